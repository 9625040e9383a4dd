import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_UPLOAD_TOKEN_HOURS } from '../functions/common/config.js';
import { MAIL_FROM_ENV } from '../functions/users/mailer.js';
import { type CloudConfig, configEnvironment, lambdaConfigEnvironment } from './config-environment.js';
import { Api } from './constructs/api.js';
import { DataStores } from './constructs/data-stores.js';
import { Events } from './constructs/events.js';
import { FrontDoor } from './constructs/front-door.js';
import { Network } from './constructs/network.js';
import { ServerFunctions } from './constructs/server-functions.js';
import { TusService } from './constructs/tus-service.js';
import { type DeploymentEnvironment, stackName } from './environments.js';
import { acknowledgeWildcardResource } from './nag.js';
import type { STACK_OUTPUTS } from './stack-outputs.js';

export interface SlideScoreStackProps extends StackProps {
  environment: DeploymentEnvironment;
}

/** One deployment: data stores, the HTTP API and its functions, S3 event functions, the tus service, CloudFront. */
export class SlideScoreStack extends Stack {
  readonly dataStores: DataStores;
  readonly functions: ServerFunctions;
  readonly api: Api;
  readonly events: Events;
  readonly tus: TusService;
  readonly frontDoor: FrontDoor;

  constructor(scope: Construct, id: string, props: SlideScoreStackProps) {
    super(scope, id, props);
    const { environment } = props;

    this.dataStores = new DataStores(this, 'Data', { environment });
    const tables = this.dataStores.tableNames();
    const config: CloudConfig = {
      region: this.region,
      studiesTable: tables.studies,
      tokensTable: tables.tokens,
      scoresTable: tables.scores,
      filesTable: tables.files,
      bucket: this.dataStores.bucket.bucketName,
      signingKeySecretArn: this.dataStores.signingKey.secretArn,
      // One issuer per deployment, so a token of one stack is never taken by another.
      tokenIssuer: stackName(environment),
      maxUploadBytes: String(DEFAULT_MAX_UPLOAD_BYTES),
      uploadTokenHours: String(DEFAULT_UPLOAD_TOKEN_HOURS),
    };

    const functions = new ServerFunctions(this, 'Functions', {
      environment,
      configEnvironment: {
        ...lambdaConfigEnvironment(config),
        ...(environment.mailFrom ? { [MAIL_FROM_ENV]: environment.mailFrom } : {}),
      },
    });
    if (environment.mailFrom) {
      const identities = `arn:${this.partition}:ses:${this.region}:${this.account}:identity/*`;
      functions.role.addToPolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identities] }));
      acknowledgeWildcardResource(
        functions.role,
        identities,
        "SendEmail: SES authorizes the sender's identity and, in the SES sandbox, each recipient's; only this " +
          "account's identities in this region, and only SendEmail.",
      );
    }
    this.functions = functions;
    this.dataStores.grantServerAccess(functions.role, {
      objectPrefixes: [''],
      reason:
        'API and event functions read and write config files, slides, exports and caches anywhere in the bucket; ' +
        'the bucket holds nothing else.',
    });
    this.api = new Api(this, 'Api', { environment, functions });
    this.events = new Events(this, 'Events', { bucket: this.dataStores.bucket, functions });

    const network = new Network(this, 'Network', { environment, logBucket: this.dataStores.logBucket });
    this.tus = new TusService(this, 'Tus', {
      environment,
      vpc: network.vpc,
      vpcCidr: Network.CIDR,
      dataStores: this.dataStores,
      configEnvironment: configEnvironment(config),
    });

    this.frontDoor = new FrontDoor(this, 'FrontDoor', {
      environment,
      apiDomainName: this.api.domainName,
      tusLoadBalancer: this.tus.loadBalancer,
      logBucket: this.dataStores.logBucket,
    });

    // Read by the token CLI (DescribeStacks) and by operators.
    const outputs: Record<(typeof STACK_OUTPUTS)[keyof typeof STACK_OUTPUTS], string> = {
      ApiUrl: this.frontDoor.url,
      HttpApiUrl: this.api.stage.url,
      BucketName: this.dataStores.bucket.bucketName,
      StudiesTableName: tables.studies,
      TokensTableName: tables.tokens,
      ScoresTableName: tables.scores,
      FilesTableName: tables.files,
      SigningKeySecretArn: this.dataStores.signingKey.secretArn,
      TokenIssuer: config.tokenIssuer,
      Region: this.region,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
