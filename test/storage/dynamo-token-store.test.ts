import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { TokenRecord } from '../../functions/auth/token-store.js';
import { createDynamoClient } from '../../functions/storage/aws-clients.js';
import { DynamoTokenStore } from '../../functions/storage/dynamo-token-store.js';

const config = inject('appConfig');
const client = createDynamoClient(config);
const store = new DynamoTokenStore(client, config.tables.tokens);
afterAll(() => client.destroy());

function record(fields: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: randomUUID(),
    name: 'store test',
    capabilities: ['CanGetResults'],
    studies: [1, 2],
    expiresOn: '2030-01-01T00:00:00.000Z',
    createdOn: new Date().toISOString(),
    ...fields,
  };
}

describe('DynamoTokenStore (DynamoDB Local)', () => {
  it('stores and reads a token record', async () => {
    const saved = record();
    await store.create(saved);
    expect(await store.get(saved.id)).toEqual(saved);
    expect(await store.get(randomUUID())).toBeUndefined();
  });

  it('keeps "all studies" as such', async () => {
    const saved = record({ studies: 'all', capabilities: [] });
    await store.create(saved);
    expect(await store.get(saved.id)).toEqual(saved);
  });

  it('refuses a second record with the same id', async () => {
    const saved = record();
    await store.create(saved);
    await expect(store.create({ ...saved, name: 'other' })).rejects.toThrow();
    expect((await store.get(saved.id))?.name).toBe('store test');
  });

  it('revokes once and keeps the first date', async () => {
    const saved = record();
    await store.create(saved);
    expect(await store.revoke(saved.id, new Date('2026-01-01T00:00:00Z'))).toBe(true);
    expect(await store.revoke(saved.id, new Date('2026-02-01T00:00:00Z'))).toBe(true);
    expect((await store.get(saved.id))?.revokedOn).toBe('2026-01-01T00:00:00.000Z');
    expect(await store.revoke(randomUUID(), new Date())).toBe(false);
  });

  it('lists newest first', async () => {
    const older = record({ createdOn: '2001-01-01T00:00:00.000Z', name: 'older' });
    const newer = record({ createdOn: '2099-01-01T00:00:00.000Z', name: 'newer' });
    await store.create(older);
    await store.create(newer);
    const names = (await store.list()).map((r) => r.name);
    expect(names[0]).toBe('newer');
    expect(names.at(-1)).toBe('older');
  });
});
