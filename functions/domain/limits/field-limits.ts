/**
 * The one table of input limits (docs/api.md "Input limits"): per kind of field, the most UTF-8 bytes it may
 * hold and which control characters it may contain. Every place a field enters (API parameters, uploaded
 * results, config files) checks it here, so an oversized or garbled value is a clear refusal, never a 500 from
 * DynamoDB (partition keys hold at most 2048 bytes, sort keys 1024, items 400 KB).
 */
export type FieldKind = 'name' | 'email' | 'fileName' | 'freeText' | 'answer';

export interface FieldLimit {
  /** Most UTF-8 bytes. */
  maxBytes: number;
  /** Control characters (C0 and DEL) the field may hold; every other one is refused. */
  allowedControls: readonly string[];
  /** How a reason names the kind. */
  label: string;
}

export const FIELD_LIMITS: Readonly<Record<FieldKind, FieldLimit>> = {
  // Study, question, image, case, TMA-map and token names. Study and question names are sort keys of their
  // name locks (`STUDYNAME`/<name>, `QUESTIONNAME#<name>`), well under 1024 bytes.
  name: { maxBytes: 255, allowedControls: [], label: 'name' },
  // RFC 5321's 254; emails end sort keys of answers (`I#<id>#T<row>,<col>#<question>#<email>`) and members.
  email: { maxBytes: 254, allowedControls: [], label: 'email address' },
  // Whole paths in the slide store; `IMAGEPATH#<path>` is a sort key (1024 bytes), S3 keys also end at 1024.
  fileName: { maxBytes: 900, allowedControls: [], label: 'file name' },
  // Descriptions (HTML) and other free text: many lines, well below DynamoDB's 400 KB item.
  freeText: { maxBytes: 262_144, allowedControls: ['\t', '\n', '\r'], label: 'text' },
  // One answer as uploaded (a number, an option, a free-text answer or annotation JSON).
  answer: { maxBytes: 262_144, allowedControls: ['\t', '\n', '\r'], label: 'answer' },
};

// C0 controls (NUL…US, including ESC) and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is checked
const CONTROL = /[\u0000-\u001f\u007f]/g;

const shown = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `value` is not a valid field of `kind`, or undefined when it is. Pure. */
export function checkField(kind: FieldKind, value: string): string | undefined {
  const limit = FIELD_LIMITS[kind];
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > limit.maxBytes) return `the ${limit.label} is ${bytes} bytes long; at most ${limit.maxBytes} are allowed`;
  for (const match of value.matchAll(CONTROL)) {
    const c = match[0];
    if (!limit.allowedControls.includes(c)) return `the ${limit.label} holds the control character ${shown(c)}`;
  }
  return undefined;
}

/** `checkField` with the field's own name in the reason, e.g. `newName: the name is 3000 bytes long; …`. */
export function fieldProblem(kind: FieldKind, value: string, field: string): string | undefined {
  const reason = checkField(kind, value);
  return reason === undefined ? undefined : `${field}: ${reason}`;
}
