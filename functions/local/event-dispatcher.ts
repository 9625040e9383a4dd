import type { Context, S3Event } from 'aws-lambda';
import { log } from '../common/log.js';
import { lambdaContext } from '../http/lambda-adapter.js';
import type { EventSubscription } from '../routes/manifest.js';
import type { HandlerLoader } from './handler-loader.js';

/**
 * Lambda retries a failed asynchronous invocation twice (after about one and two minutes) before giving the
 * event to the dead-letter queue. The embedded runtime retries as often, sooner.
 */
export const RETRY_DELAYS_MS = [1_000, 5_000];

/**
 * Delivers s3rver's ObjectCreated events to the manifest's event functions, as the cloud's S3 notifications
 * would: one invocation per record, filtered by key prefix, after the S3 request has been answered, retried as
 * Lambda retries. An event that fails every attempt is logged as an error (the cloud's dead-letter queue).
 */
export class EventDispatcher {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly subscriptions: readonly EventSubscription[],
    private readonly load: HandlerLoader,
  ) {}

  deliver(event: S3Event): void {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const key = decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
      for (const subscription of this.subscriptions) {
        if (!key.startsWith(subscription.prefix)) continue;
        const run = new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => this.invokeWithRetries(subscription, { Records: [record] }, key))
          .catch((error: unknown) =>
            log.error('event handler failed every attempt; event dropped', {
              handler: subscription.id,
              key,
              error: error as Error,
            }),
          )
          .finally(() => this.pending.delete(run));
        this.pending.add(run);
      }
    }
  }

  /** Resolves when every event delivered so far has been handled (tests and shutdown wait on it). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async invokeWithRetries(subscription: EventSubscription, event: S3Event, key: string): Promise<void> {
    for (const delay of RETRY_DELAYS_MS) {
      try {
        return await this.invoke(subscription, event);
      } catch (error) {
        log.warn('event handler failed; retrying', { handler: subscription.id, key, delay, error: error as Error });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    await this.invoke(subscription, event);
  }

  private async invoke(subscription: EventSubscription, event: S3Event): Promise<void> {
    const handler = (await this.load(subscription.handler)) as (event: S3Event, context: Context) => Promise<unknown>;
    await handler(event, lambdaContext(subscription.id, subscription.timeoutSeconds));
  }
}
