import type { Context, S3Event } from 'aws-lambda';
import { log } from '../common/log.js';
import type { EventSubscription } from '../routes/manifest.js';
import type { HandlerLoader } from './handler-loader.js';
import { lambdaContext } from './lambda-adapter.js';

/**
 * Delivers s3rver's ObjectCreated events to the manifest's event functions, as the cloud's S3 notifications
 * would: one invocation per record, filtered by key prefix, after the S3 request has been answered.
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
          .then(() => this.invoke(subscription, { Records: [record] }))
          .catch((error: unknown) =>
            log.error('event handler failed', { handler: subscription.id, key, error: error as Error }),
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

  private async invoke(subscription: EventSubscription, event: S3Event): Promise<void> {
    const handler = (await this.load(subscription.handler)) as (event: S3Event, context: Context) => Promise<unknown>;
    await handler(event, lambdaContext(subscription.id, subscription.timeoutSeconds));
  }
}
