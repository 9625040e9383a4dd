import type { ProblemLog } from './problems.js';

/** A line of a config file with its 1-based number. */
export interface TextLine {
  number: number;
  text: string;
}

/** Every line, numbered from 1. A leading UTF-8 BOM is dropped; `\r\n`, `\n` and a lone `\r` all end a line. */
export function splitLines(text: string): TextLine[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/).map((line, index) => ({ number: index + 1, text: line }));
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** True when the text holds a C0 control character other than TAB, or DEL. */
export function hasControlCharacter(text: string, allowTab = true): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !(allowTab && code === 0x09)) || code === 0x7f) return true;
  }
  return false;
}

export const CONTROL_CHARACTER_REASON = 'the line contains a control character; line skipped';

/**
 * The lines a line-per-item file is made of: blank lines are skipped, and a line with a control character is an
 * error (it is almost always a binary or mis-encoded file, and would corrupt names downstream).
 */
export function contentLines(text: string, log: ProblemLog): TextLine[] {
  const lines: TextLine[] = [];
  for (const line of splitLines(text)) {
    if (isBlank(line.text)) continue;
    if (hasControlCharacter(line.text)) {
      log.error(line.number, CONTROL_CHARACTER_REASON);
      continue;
    }
    lines.push(line);
  }
  return lines;
}

/** Writers end every line with `\n`, including the last. */
export function joinLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** Makes a model value safe for one field of one line: control characters (TAB, newlines…) become spaces. */
export function oneLine(text: string): string {
  let out = '';
  for (const char of text) out += hasControlCharacter(char, false) ? ' ' : char;
  return out.trim();
}
