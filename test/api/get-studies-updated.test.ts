import { afterAll, describe, expect, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import { uploadResults } from '../support/results-client.js';
import { studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
afterAll(() => fixtures.close());

async function updatedSince(since: string, token?: string): Promise<number[]> {
  const reply = await call('GET', '/Api/GetStudiesUpdated', { query: { since }, token });
  if (reply.status !== 200) throw new Error(`GetStudiesUpdated answered ${reply.status}: ${reply.text}`);
  const body = reply.json<{ studyIDs: number[]; StudyIDs: number[] }>();
  // Both spellings (the docs write StudyIDs, the camelCase serializer studyIDs), the same list in each.
  expect(Object.keys(body)).toEqual(['studyIDs', 'StudyIDs']);
  expect(body.StudyIDs).toEqual(body.studyIDs);
  return body.studyIDs;
}

async function studyWithAnswer(answer: string) {
  const study = await fixtures.create({ images: ['a.svs'], questions: [{ name: 'Q', type: 'FreeText' }] });
  const row = `${study.image('a.svs').id}\ta.svs\tjan@nki.nl\tQ\t${answer}`;
  expect((await uploadResults(study.id, [row])).json()).toEqual({ success: true });
  return { id: study.id, row };
}

describe('GetStudiesUpdated', () => {
  it('lists the studies whose answers changed at or after since, as {"studyIDs":[…],"StudyIDs":[…]}', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const { id } = await studyWithAnswer('x');
    expect(await updatedSince(before)).toContain(id);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await updatedSince(future)).not.toContain(id);
  });

  it('reads any time zone: the same instant written with an offset gives the same answer', async () => {
    const before = new Date(Date.now() - 1000);
    const { id } = await studyWithAnswer('y');
    const shifted = new Date(before.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await updatedSince(shifted)).toContain(id);
    // An unencoded `+` arrives as a space; it is read as the `+` it was meant to be.
    const reply = await call('GET', `/Api/GetStudiesUpdated?since=${shifted.replace('.000', '')}`, {});
    expect(reply.status).toBe(200);
    expect(reply.json<{ studyIDs: number[] }>().studyIDs).toContain(id);
  });

  it('does not list a study again when the same rows are uploaded again', async () => {
    const { id, row } = await studyWithAnswer('z');
    const after = new Date(Date.now() + 5).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await uploadResults(id, [row])).json()).toEqual({ success: true });
    expect(await updatedSince(after)).not.toContain(id);
    expect((await uploadResults(id, [`${row} changed`])).json()).toEqual({ success: true });
    expect(await updatedSince(after)).toContain(id);
  });

  it("lists only the token's studies", async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const mine = await studyWithAnswer('mine');
    const theirs = await studyWithAnswer('theirs');
    const token = await createToken({ capabilities: 'CanGetResults', studies: String(mine.id) });
    expect(await updatedSince(before, token)).toEqual([mine.id]);
    expect(await updatedSince(before)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const noRight = await createToken({ capabilities: 'CanUploadScores' });
    expect((await call('GET', '/Api/GetStudiesUpdated', { query: { since: before }, token: noRight })).status).toBe(
      403,
    );
  });

  it('refuses a since without a time zone, unreadable or missing, with 400 and a reason', async () => {
    for (const [since, reason] of [
      ['2024-01-01T00:00:00', 'has no time zone'],
      ['yesterday', 'is not readable'],
      ['2023-02-29T00:00:00Z', 'is not a real date and time'],
    ]) {
      const reply = await call('GET', '/Api/GetStudiesUpdated', { form: { since: since as string } });
      expect(reply.status).toBe(400);
      const body = reply.json<{ success: boolean; log: string }>();
      expect(body.success).toBe(false);
      expect(body.log).toContain(reason);
      expect(body.log).toContain('2024-01-01T00:00:00+01:00');
    }
    const missing = await call('GET', '/Api/GetStudiesUpdated', {});
    expect(missing.status).toBe(400);
    expect(missing.json<{ log: string }>().log).toContain('since is missing');
  });
});
