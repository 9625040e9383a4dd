import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SUBSCRIPTIONS, type EventSubscription } from '../../functions/routes/manifest.js';
import type { ServerFunctions } from './server-functions.js';

export interface EventsProps {
  bucket: Bucket;
  functions: ServerFunctions;
  subscriptions?: readonly EventSubscription[];
}

/** Lambda's default for asynchronous invocations, written out: two more tries before the dead-letter queue. */
const RETRY_ATTEMPTS = 2;

/**
 * The bucket's ObjectCreated notifications, each filtered by its subscription's key prefix, to its function.
 * An event whose function fails every attempt lands in that function's dead-letter queue (the event and the
 * error, kept 14 days), and an alarm goes off as soon as the queue holds a message.
 */
export class Events extends Construct {
  readonly functions = new Map<string, NodejsFunction>();
  readonly deadLetterQueues = new Map<string, Queue>();
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    for (const subscription of props.subscriptions ?? EVENT_SUBSCRIPTIONS) {
      const fn = props.functions.create(this, `${subscription.id}Function`, subscription);
      this.functions.set(subscription.id, fn);
      const deadLetters = new Queue(this, `${subscription.id}DeadLetters`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(deadLetters).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead-letter queue (of the event function), the end of the line.',
      });
      fn.configureAsyncInvoke({ retryAttempts: RETRY_ATTEMPTS, onFailure: new SqsDestination(deadLetters) });
      this.deadLetterQueues.set(subscription.id, deadLetters);
      this.alarms.set(
        subscription.id,
        deadLetters
          .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) })
          .createAlarm(this, `${subscription.id}DeadLettersAlarm`, {
            alarmDescription: `${subscription.id} failed on an S3 event every attempt; the event and its error are in the dead-letter queue`,
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
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
