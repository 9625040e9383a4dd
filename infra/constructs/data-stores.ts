import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { TableNames } from '../../functions/common/config.js';
import { EXPORTS_PREFIX } from '../../functions/scores/export-settings.js';
import { TABLE_DEFINITIONS } from '../../functions/storage/tables.js';
import type { DeploymentEnvironment } from '../environments.js';
import { acknowledgeWildcardResource } from '../nag.js';

export interface DataStoresProps {
  environment: DeploymentEnvironment;
}

/** Least-privilege data access for one role: which object prefixes of the bucket it may read and write. */
export interface DataAccessOptions {
  /** Key prefixes such as `uploads/`; `''` means every object. */
  objectPrefixes: string[];
  /** Why this role needs objects under a wildcard, for the cdk-nag acknowledgement. */
  reason: string;
}

const TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
];

const OBJECT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
];

/**
 * Everything that holds data: the four DynamoDB tables (shape from TABLE_DEFINITIONS, shared with the embedded
 * runtime), the bucket for config files, slides and uploads, the bucket receiving every access log, and the
 * secret that signs API tokens.
 */
export class DataStores extends Construct {
  readonly tables: Record<keyof TableNames, Table>;
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly signingKey: Secret;

  constructor(scope: Construct, id: string, props: DataStoresProps) {
    super(scope, id);
    const { production } = props.environment;
    // Production data outlives the stack; dev and test stacks clean up after themselves.
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.tables = Object.fromEntries(
      Object.entries(TABLE_DEFINITIONS).map(([name, definition]) => {
        const table = new Table(this, `${name[0]?.toUpperCase()}${name.slice(1)}Table`, {
          partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
          sortKey: { name: definition.sortKey, type: AttributeType.STRING },
          billingMode: BillingMode.PAY_PER_REQUEST,
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
          deletionProtection: production,
          removalPolicy,
        });
        for (const index of definition.indexes) {
          table.addGlobalSecondaryIndex({
            indexName: index.name,
            partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
            sortKey: { name: index.sortKey, type: AttributeType.STRING },
          });
        }
        return [name, table];
      }),
    ) as Record<keyof TableNames, Table>;

    this.logBucket = new Bucket(this, 'LogBucket', {
      // CloudFront standard logging writes with ACLs, so this bucket keeps them enabled (owner preferred).
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // ALB access logs accept only SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.environment.accessLogExpirationDays) }],
      removalPolicy,
      autoDeleteObjects: !production,
      // No access logs of its own (they would land in itself); cdk-nag S1 accepts a bucket that receives others' logs.
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-access/',
      lifecycleRules: [
        // tus uploads are S3 multipart uploads; abandoned ones would otherwise be billed forever, unseen.
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // Large Scores exports are read once through a 15-minute presigned URL; a day is ample.
        { id: 'ExpireExports', prefix: EXPORTS_PREFIX, expiration: Duration.days(1) },
      ],
      removalPolicy,
      autoDeleteObjects: !production,
    });

    this.signingKey = new Secret(this, 'SigningKey', {
      description: `HS256 key signing the API tokens of SlideScore-${props.environment.name}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.signingKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the token-signing key would invalidate every API token issued; tokens expire and are revoked individually instead.',
    });
  }

  tableNames(): TableNames {
    const { studies, tokens, scores, files } = this.tables;
    return {
      studies: studies.tableName,
      tokens: tokens.tableName,
      scores: scores.tableName,
      files: files.tableName,
    };
  }

  /**
   * Read/write on every table (and its named indexes), the objects under the given prefixes, and the signing
   * key. Explicit actions instead of the grant* helpers, whose action wildcards (s3:GetObject*, s3:List*) are
   * broader than the server needs.
   */
  grantServerAccess(role: Role, options: DataAccessOptions): void {
    const tableResources = Object.entries(this.tables).flatMap(([name, table]) => [
      table.tableArn,
      ...TABLE_DEFINITIONS[name as keyof TableNames].indexes.map((index) => `${table.tableArn}/index/${index.name}`),
    ]);
    role.addToPolicy(new PolicyStatement({ actions: TABLE_ACTIONS, resources: tableResources }));

    const objectResources = options.objectPrefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}*`));
    role.addToPolicy(new PolicyStatement({ actions: OBJECT_ACTIONS, resources: objectResources }));
    for (const resource of objectResources) acknowledgeWildcardResource(role, resource, options.reason);
    // Without ListBucket, S3 answers 403 instead of 404 for a missing key, and "not found" paths break.
    // ListBucketMultipartUploads: the tus store finds expired unfinished uploads to clean up.
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.bucket.bucketArn],
      }),
    );

    this.signingKey.grantRead(role);
  }
}
