import type { AnswerKey, TargetFilter } from '../scores/score-repository.js';

/**
 * Keys of the scores table (see DynamoScoreRepository for the whole layout).
 *
 * A study's answers are spread over SCORE_SHARDS partitions, `SCORES#<studyId>#<shard>`, the shard being a hash
 * of the sort key. One DynamoDB partition takes about 1,000 write units a second (500 transactional writes), so a
 * 50,000-row upload into one partition would need more than the 29 s an API call may last; eight partitions
 * written in parallel need an eighth of that. Readers query the shards in parallel and merge them by sort key.
 * The shard count is part of the key schema: changing it means rewriting every answer.
 */
export const SCORE_SHARDS = 8;

const pad = (n: number, width = 10) => String(n).padStart(width, '0');

/**
 * The sort key names the target, the question (by ID, so renaming a question keeps its answers) and the user:
 *   C#<caseId>#<questionId>#<email>                  a case-level answer
 *   I#<imageId>#-#<questionId>#<email>               an answer about the whole slide
 *   I#<imageId>#T<row>,<col>#<questionId>#<email>    an answer about a TMA core
 * so one current answer per (target, user, question) is enforced by the key itself. IDs are zero-padded to sort
 * numerically; `-` sorts before `T`, putting an image's whole-slide answers before its cores'.
 */
export function answerSortKey(key: AnswerKey): string {
  // Lower case: one answer per user whatever the spelling of their email (matching ignores case).
  const tail = `${pad(key.questionId)}#${key.user.toLowerCase()}`;
  if (key.imageId === undefined) return `C#${pad(key.caseId ?? 0)}#${tail}`;
  const core = key.tmaRow === undefined ? '-' : `T${pad(key.tmaRow, 5)},${pad(key.tmaCol ?? 0, 5)}`;
  return `I#${pad(key.imageId)}#${core}#${tail}`;
}

/**
 * The sort key of an answer's pending version (written by an upload, visible once that upload commits): the
 * answer's own key and a space. Emails hold no spaces and every other character of a key sorts after it, so the
 * pending version always comes right after the committed one, in the same shard.
 */
export const PENDING_MARK = ' ';
export const pendingSortKey = (sortKey: string) => `${sortKey}${PENDING_MARK}`;
export const isPendingSortKey = (sortKey: string) => sortKey.endsWith(PENDING_MARK);
export const committedSortKey = (sortKey: string) =>
  isPendingSortKey(sortKey) ? sortKey.slice(0, -PENDING_MARK.length) : sortKey;

/**
 * How each user of a study was first written in it (`e`), by lower-case email: answers keep the lower case in
 * their keys, and readers give them back in this spelling.
 */
export const userSpellingsPartition = (studyId: number) => `USERS#${studyId}`;

/** One item per upload of results: whether its answers are visible (see DynamoScoreRepository). */
export const uploadKey = (uploadId: number) => ({ pk: `UPLOAD#${uploadId}`, sk: 'STATE' });

/** The key fields a sort key (committed or pending) was made from. */
export function answerKeyOf(sortKey: string): AnswerKey {
  const parts = committedSortKey(sortKey).split('#');
  if (parts[0] === 'C') {
    return { caseId: Number(parts[1]), questionId: Number(parts[2]), user: parts.slice(3).join('#') };
  }
  const key: AnswerKey = { imageId: Number(parts[1]), questionId: Number(parts[3]), user: parts.slice(4).join('#') };
  const core = parts[2] ?? '-';
  if (core !== '-') {
    const [row, col] = core.slice(1).split(',');
    key.tmaRow = Number(row);
    key.tmaCol = Number(col);
  }
  return key;
}

/** The sort-key prefix shared by every answer about a target. */
export function targetPrefix(target: TargetFilter): string {
  return 'imageId' in target ? `I#${pad(target.imageId)}#` : `C#${pad(target.caseId)}#`;
}

/** The shard of an answer, the same for its committed and its pending version. */
export function shardOf(sortKey: string): number {
  return fnv1a(committedSortKey(sortKey)) % SCORE_SHARDS;
}

export const answerPartition = (studyId: number, shard: number) => `SCORES#${studyId}#${shard}`;

/**
 * One "last changed" item per (study, shard), all in one partition, so GetStudiesUpdated reads a few items per
 * study whatever the number of answers. Written in the transaction that commits an upload.
 */
export const UPDATES_PARTITION = 'UPDATED';
export const updateMarkerKey = (studyId: number, shard: number) => `${pad(studyId)}#${shard}`;
export const updateMarkerPrefix = (studyId: number) => `${pad(studyId)}#`;

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across runtimes, and spreads similar keys well. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
