import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Peer, Port, SecurityGroup, SubnetType, type Vpc } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import {
  type ApplicationListener,
  ApplicationLoadBalancer,
  ApplicationProtocol,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TUS_CONTAINER_PORT, TUS_HEALTH_PATH } from '../../functions/tus/tus-server.js';
import type { DeploymentEnvironment } from '../environments.js';
import { REPO_ROOT } from '../paths.js';
import type { DataStores } from './data-stores.js';

export interface TusServiceProps {
  environment: DeploymentEnvironment;
  vpc: Vpc;
  /** The VPC's CIDR as a literal: the load balancer accepts HTTP from inside the VPC only. */
  vpcCidr: string;
  dataStores: DataStores;
  /** Variables every server process reads (CONFIG_ENV), AWS_REGION included. */
  configEnvironment: Record<string, string>;
}

/**
 * The container service (functions/tus/container.ts) on ECS Fargate behind an internal Application Load
 * Balancer: the tus 1.0 upload server, and the routes whose request bodies pass Lambda's 6 MB (UploadResults,
 * UploadASAPAnnotations: up to 100 MB). Uploads are long streaming PATCH requests of any size, which Lambda
 * (6 MB bodies, 15 min) cannot take; CloudFront reaches the internal ALB through a VPC origin, so nothing here
 * is public.
 */
export class TusService extends Construct {
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly listener: ApplicationListener;
  readonly service: FargateService;

  constructor(scope: Construct, id: string, props: TusServiceProps) {
    super(scope, id);
    const { environment, vpc, dataStores } = props;

    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });

    const taskRole = new Role(this, 'TaskRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'The container service (tus uploads, large-body routes): objects, tables, signing key',
    });
    dataStores.grantServerAccess(taskRole, {
      objectPrefixes: [''],
      reason:
        'The tus server creates objects named by upload id under uploads/ (S3 multipart uploads plus .info/.part ' +
        'objects) and commits files under files/; the large-body routes run API handlers, which read and write ' +
        'config files, answers and caches anywhere in the bucket, like the API functions.',
    });

    const taskDefinition = new FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: environment.tus.cpu,
      memoryLimitMiB: environment.tus.memoryMiB,
      // The image is built for linux/amd64 (below), like the Lambda functions' architecture.
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
      taskRole,
    });
    const logGroup = new LogGroup(this, 'Logs', {
      retention: environment.logRetention,
      removalPolicy: environment.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    taskDefinition.addContainer('tus', {
      // Staged at synth (no Docker needed), built and pushed by `cdk deploy`. The context is the repository
      // root because the container bundles shared code from functions/; .dockerignore keeps it small.
      image: ContainerImage.fromAsset(REPO_ROOT, {
        file: 'functions/tus/Dockerfile',
        platform: Platform.LINUX_AMD64,
      }),
      environment: { ...props.configEnvironment, PORT: String(TUS_CONTAINER_PORT) },
      portMappings: [{ containerPort: TUS_CONTAINER_PORT }],
      logging: LogDrivers.awsLogs({ streamPrefix: 'tus', logGroup }),
      healthCheck: {
        // node:22-slim has no curl; Node's fetch probes the same endpoint as the load balancer.
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${TUS_CONTAINER_PORT}${TUS_HEALTH_PATH}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(20),
      },
      // The server stops accepting, lets running PATCHes finish, then exits; clients resume the rest.
      stopTimeout: Duration.seconds(60),
    });
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The variables are resource names (tables, bucket, secret ARN, port), not secrets; the signing key is read ' +
        'from Secrets Manager at run time by ARN.',
    });
    // The execution role's policy: ecr:GetAuthorizationToken only exists on "*".
    const executionRole = taskDefinition.obtainExecutionRole();
    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, needed to pull the image, does not support resource-level permissions.',
    });

    const albSecurityGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: 'tus load balancer: HTTP from inside the VPC (CloudFront VPC origin ENIs)',
      allowAllOutbound: false,
    });
    // CloudFront's VPC origin connects from ENIs it places in this VPC's private subnets; the ALB is internal,
    // so nothing outside the VPC can reach it at all.
    albSecurityGroup.addIngressRule(Peer.ipv4(props.vpcCidr), Port.tcp(80), 'CloudFront VPC origin');

    this.loadBalancer = new ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
      // Upload PATCHes stream for minutes; an idle connection between chunks must not be cut too early.
      idleTimeout: Duration.seconds(120),
    });
    this.loadBalancer.logAccessLogs(dataStores.logBucket, 'alb');
    this.listener = this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: ApplicationProtocol.HTTP,
      open: false,
    });

    this.service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: environment.tus.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });
    this.listener.addTargets('Tus', {
      port: TUS_CONTAINER_PORT,
      protocol: ApplicationProtocol.HTTP,
      targets: [this.service],
      healthCheck: { path: TUS_HEALTH_PATH, healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(60),
    });

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: environment.tus.minTasks,
      maxCapacity: environment.tus.maxTasks,
    });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
  }
}
