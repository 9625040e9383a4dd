import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

/**
 * What differs between deployments. One stack per environment (`-c env=<name>`); everything not listed here is
 * the same everywhere, so a test deployment exercises the production template.
 */
export interface DeploymentEnvironment {
  /** Short name: part of the stack name (`SlideScore-<name>`) and of the token issuer. */
  name: string;
  /** Data survives the stack (Retain, deletion protection) and the network survives an AZ outage. */
  production: boolean;
  /** The stack's region: from `-c region=`, else the CLI's profile (CDK_DEFAULT_REGION), else us-east-1. */
  region: string;
  /** One NAT gateway is enough for dev/test; production gets one per AZ so an AZ outage keeps egress. */
  natGateways: number;
  logRetention: RetentionDays;
  /** Access logs (S3, CloudFront, ALB, VPC flow logs) in the log bucket expire after this many days. */
  accessLogExpirationDays: number;
  tus: { cpu: number; memoryMiB: number; minTasks: number; maxTasks: number };
  /** Optional custom hostname for CloudFront; the ACM certificate must be in us-east-1. */
  domain?: { name: string; certificateArn: string };
  /** Optional AWS WAF web ACL (scope CLOUDFRONT, created in us-east-1) to attach to the distribution. */
  webAclArn?: string;
  /** Optional sender of SendEmail, an address or domain verified in Amazon SES; without it SendEmail refuses. */
  mailFrom?: string;
}

const NAME = /^[a-z][a-z0-9-]{0,23}$/;
const PRODUCTION_NAMES = new Set(['prod', 'production']);
const FALLBACK_REGION = 'us-east-1';

/** Reads `-c env=<name>` (required) and the optional `-c production=true`, `region`, `domainName`… */
export function resolveEnvironment(node: Node): DeploymentEnvironment {
  const name = stringContext(node, 'env');
  if (!name) {
    throw new Error('Choose an environment: npx cdk <synth|deploy|destroy> -c env=<name> (e.g. dev, test, prod)');
  }
  if (!NAME.test(name)) {
    throw new Error(`Environment name "${name}" must be lowercase letters, digits and dashes (max 24)`);
  }
  const production = PRODUCTION_NAMES.has(name) || booleanContext(node, 'production');
  const domainName = stringContext(node, 'domainName');
  const certificateArn = stringContext(node, 'certificateArn');
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    throw new Error('Give both -c domainName=… and -c certificateArn=… (an ACM certificate in us-east-1), or neither');
  }
  const webAclArn = stringContext(node, 'webAclArn');
  const mailFrom = stringContext(node, 'mailFrom');
  if (mailFrom !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(mailFrom)) {
    throw new Error(`-c mailFrom=${mailFrom} is not an email address`);
  }
  return {
    name,
    production,
    region: stringContext(node, 'region') ?? process.env.CDK_DEFAULT_REGION ?? FALLBACK_REGION,
    natGateways: production ? 2 : 1,
    logRetention: production ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    accessLogExpirationDays: production ? 365 : 90,
    // Memory: a large-body request (up to 100 MB) takes about 5× its body while it is parsed and saved
    // (bench/large-bodies.ts), and a task runs two at a time (functions/http/route-server.ts).
    tus: production
      ? { cpu: 1024, memoryMiB: 4096, minTasks: 2, maxTasks: 6 }
      : { cpu: 512, memoryMiB: 2048, minTasks: 1, maxTasks: 2 },
    ...(domainName && certificateArn ? { domain: { name: domainName, certificateArn } } : {}),
    ...(webAclArn ? { webAclArn } : {}),
    ...(mailFrom ? { mailFrom } : {}),
  };
}

export function stackName(environment: DeploymentEnvironment): string {
  return `SlideScore-${environment.name}`;
}

function stringContext(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function booleanContext(node: Node, key: string): boolean {
  const value: unknown = node.tryGetContext(key);
  return value === true || value === 'true';
}
