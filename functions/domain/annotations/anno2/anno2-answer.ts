/**
 * How an anno2 answer is stored and shown in Scores: an AnnoPoints or AnnoShapes answer whose text is one item,
 * `[{"type":"anno2","annoUUID":"<uuid>"}]`, referring to the zip kept at `anno2/<uuid>.zip` (docs/annotations.md).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isAnno2Uuid(text: string): boolean {
  return UUID.test(text);
}

/** The answer text that refers to an anno2 zip. */
export function anno2AnswerText(uuid: string): string {
  return JSON.stringify([{ type: 'anno2', annoUUID: uuid }]);
}

/**
 * The UUID an answer text refers to, when it is exactly one anno2 reference (spacing aside); otherwise
 * undefined. Cheap on any text: only short texts starting with `[` are parsed.
 */
export function anno2Reference(text: string): string | undefined {
  if (text.length > 200 || !text.trimStart().startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 1) return undefined;
  const item = value[0] as Record<string, unknown> | null;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const keys = Object.keys(item);
  if (keys.length !== 2 || item.type !== 'anno2' || typeof item.annoUUID !== 'string') return undefined;
  return isAnno2Uuid(item.annoUUID) ? item.annoUUID : undefined;
}

/** Where the zip of an anno2 is kept in the bucket. */
export const anno2Key = (uuid: string) => `anno2/${uuid}.zip`;
