import { FlowLogDestination, GatewayVpcEndpointAwsService, IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DeploymentEnvironment } from '../environments.js';

export interface NetworkProps {
  environment: DeploymentEnvironment;
  logBucket: IBucket;
}

/**
 * The VPC of the tus service: two AZs, private subnets for the tasks and the internal load balancer, NAT for
 * ECR, Secrets Manager and CloudWatch Logs. S3 and DynamoDB are reached through gateway endpoints (free), so
 * upload bytes never cross the NAT gateway, which bills per GB.
 */
export class Network extends Construct {
  /** A literal (not the VpcCidrBlock token), so security-group rules built from it can be checked at synth. */
  static readonly CIDR = '10.40.0.0/16';
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr(Network.CIDR),
      maxAzs: 2,
      natGateways: props.environment.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: {
        S3: { service: GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: {
        ToLogBucket: { destination: FlowLogDestination.toS3(props.logBucket, 'vpc-flow-logs/') },
      },
    });
  }
}
