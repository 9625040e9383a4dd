import type { ScoreJson } from '../../functions/domain/results/results-format.js';
import { call, type Reply } from './http-client.js';

/** One item of the Scores JSON reply. */
export type ScoreItem = ScoreJson;

/** POST /Api/UploadResults as the official SDK sends it: form body, `"\n" + rows` unless a header is given. */
export function uploadResults(
  studyId: number,
  rows: readonly string[],
  options: { header?: string; token?: string } = {},
): Promise<Reply> {
  const results = `${options.header ?? ''}\n${rows.join('\n')}`;
  return call('POST', '/Api/UploadResults', { form: { studyid: studyId, results }, token: options.token });
}

/** GET /Api/Scores with a form body and `Accept: application/json` (the SDK's get_results). */
export async function scoresJson(
  studyId: number,
  filters: Record<string, string | number> = {},
  token?: string,
): Promise<ScoreItem[]> {
  const reply = await call('GET', '/Api/Scores', { form: { studyid: studyId, ...filters }, token });
  if (reply.status !== 200) throw new Error(`Scores answered ${reply.status}: ${reply.text}`);
  return reply.json<ScoreItem[]>();
}

/** GET /Api/Scores without a JSON Accept header: the TSV export. */
export function scoresTsv(studyId: number, filters: Record<string, string | number> = {}): Promise<Reply> {
  return call('GET', '/Api/Scores', { form: { studyid: studyId, ...filters }, headers: { accept: '*/*' } });
}
