import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server';
import { log } from '../common/log.js';

export interface DynamoLockerOptions {
  /** A holder that stops renewing (a crashed task) loses the lock this long after its last renewal. */
  leaseMs?: number;
  /** How often a holder renews its lease and looks for a release request; how often a waiter tries again. */
  pollMs?: number;
  /** A request gives up waiting for the lock after this long (@tus/server's MemoryLocker default). */
  acquireTimeoutMs?: number;
}

/** DynamoDB's TTL deletes a lock item this long after its lease ran out (until then the lease decides). */
const KEEP_EXPIRED_SECONDS = 24 * 3600;

/**
 * The tus upload lock, shared by every tus process through DynamoDB, so several tasks behind one load
 * balancer serve an upload one request at a time (@tus/server's own lock lives in one process's memory).
 *
 * One item per locked upload in the tokens table (pk = `UPLOADLOCK#<upload id>`, sk = `LOCK`), next to the
 * upload tokens: the holder's id and a lease its holder renews while the request runs. A second request
 * asks the holder to let go (as @tus/server's lock does: a client that resumes has given up on the older
 * request) by flagging the item; the holder sees the flag at its next renewal and cancels its request. A
 * holder that died stops renewing: its lease runs out and the next request takes the lock.
 */
export class DynamoLocker implements Locker {
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly acquireTimeoutMs: number;

  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly table: string,
    options: DynamoLockerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000;
  }

  newLock(id: string): Lock {
    return new DynamoLock(this, id);
  }
}

class DynamoLock implements Lock {
  private readonly holder = randomUUID();
  private readonly key: { pk: string; sk: string };
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly locker: DynamoLocker,
    id: string,
  ) {
    this.key = { pk: `UPLOADLOCK#${id}`, sk: 'LOCK' };
  }

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = Date.now() + this.locker.acquireTimeoutMs;
    let asked = false;
    while (!signal.aborted && Date.now() < deadline) {
      if (await this.tryAcquire()) {
        this.keepRenewing(requestRelease);
        return;
      }
      if (!asked) asked = await this.askHolderToRelease();
      await sleep(Math.min(this.locker.pollMs, Math.max(0, deadline - Date.now())), signal);
    }
    throw ERRORS.ERR_LOCK_TIMEOUT;
  }

  async unlock(): Promise<void> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    try {
      await this.locker.db.send(
        new DeleteCommand({
          TableName: this.locker.table,
          Key: this.key,
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: { ':me': this.holder },
        }),
      );
    } catch (error) {
      // Our lease ran out and another request holds the lock now: it is theirs to release.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async tryAcquire(): Promise<boolean> {
    const now = Date.now();
    try {
      await this.locker.db.send(
        new PutCommand({
          TableName: this.locker.table,
          Item: { ...this.key, holder: this.holder, ...this.lease(now) },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async askHolderToRelease(): Promise<boolean> {
    try {
      await this.locker.db.send(
        new UpdateCommand({
          TableName: this.locker.table,
          Key: this.key,
          UpdateExpression: 'SET releaseRequested = :yes',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false; // released meanwhile: try again
      throw error;
    }
  }

  /** Renews the lease while the request runs; cancels the request when asked to, or when the lock was lost. */
  private keepRenewing(requestRelease: RequestRelease): void {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      void Promise.resolve(requestRelease()).catch(() => {});
    };
    this.renewal = setInterval(() => {
      this.locker.db
        .send(
          new UpdateCommand({
            TableName: this.locker.table,
            Key: this.key,
            UpdateExpression: 'SET leaseUntil = :leaseUntil, expiresAt = :expiresAt',
            ConditionExpression: 'holder = :me',
            ExpressionAttributeValues: { ':me': this.holder, ...prefixed(this.lease(Date.now())) },
            ReturnValues: 'ALL_NEW',
          }),
        )
        .then(({ Attributes }) => {
          if (Attributes?.releaseRequested) release();
        })
        .catch((error: unknown) => {
          if (error instanceof ConditionalCheckFailedException) release();
          else log.warn('upload lock not renewed', { key: this.key.pk, error: error as Error });
        });
    }, this.locker.pollMs);
    this.renewal.unref();
  }

  private lease(now: number): { leaseUntil: number; expiresAt: number } {
    const leaseUntil = now + this.locker.leaseMs;
    return { leaseUntil, expiresAt: Math.ceil(leaseUntil / 1000) + KEEP_EXPIRED_SECONDS };
  }
}

function prefixed(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`:${name}`, value]));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
