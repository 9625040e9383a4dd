import { Stack, Validations } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { EVENT_SUBSCRIPTIONS, type EventSubscription } from '../../functions/routes/manifest.js';
import type { ServerFunctions } from './server-functions.js';

export interface EventsProps {
  bucket: Bucket;
  functions: ServerFunctions;
  subscriptions?: readonly EventSubscription[];
}

/** The bucket's ObjectCreated notifications, each filtered by its subscription's key prefix, to its function. */
export class Events extends Construct {
  readonly functions = new Map<string, NodejsFunction>();

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    for (const subscription of props.subscriptions ?? EVENT_SUBSCRIPTIONS) {
      const fn = props.functions.create(this, `${subscription.id}Function`, subscription);
      this.functions.set(subscription.id, fn);
      props.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), {
        prefix: subscription.prefix,
      });
    }
    acknowledgeNotificationsHandler(Stack.of(this));
  }
}

/**
 * S3 notifications are configured by a CDK-provided custom resource (a singleton Lambda named
 * BucketNotificationsHandler…) whose role CDK builds with the AWSLambdaBasicExecutionRole managed policy.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
    Validations.of(child).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-managed custom resource that configures bucket notifications; it only needs to write its logs.',
    });
  }
}
