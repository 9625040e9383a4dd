import { quoted } from './quoted.js';

/**
 * Options of selection questions (DropDown, ClickFriendly*, Checkbox): the configuration separates them with
 * `;;` (`Option1;;Option2;;Option3`), and, as the `.scores` parser reads it, with any run of `;`.
 */
export function optionsOf(valuesAllowed: string): string[] {
  const options = valuesAllowed.split(/;+/).map((option) => option.trim());
  return [...new Set(options.filter((option) => option !== ''))];
}

/**
 * The option an answer names: the exact option (after trimming), else the one option equal to it ignoring
 * case, whose spelling is then stored. Undefined when none, or when several differ only in case.
 */
export function matchOption(answer: string, options: readonly string[]): string | undefined {
  const wanted = answer.trim();
  if (options.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  const matches = options.filter((o) => o.toLowerCase() === lower);
  return matches.length === 1 ? matches[0] : undefined;
}

/** How error messages list the options: the first few, quoted. */
export function listOptions(options: readonly string[]): string {
  const shown = options.slice(0, 10).map((o) => quoted(o));
  return options.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
}

export type Ticked = { options: string[]; stored: string } | { reason: string };

/**
 * A Checkbox answer, which may tick several options: nothing (`` or `[]`), one option, a JSON list of options
 * (`["A","B"]`, which dlup reads) or options joined by `;` or `;;`. The stored text keeps the answer's form,
 * with each option in its configured spelling.
 */
export function readTicked(answer: string, options: readonly string[]): Ticked {
  const trimmed = answer.trim();
  if (trimmed === '') return { options: [], stored: '' };
  const single = matchOption(trimmed, options);
  if (single !== undefined) return { options: [single], stored: single };
  if (trimmed.startsWith('[')) return readTickedList(trimmed, options);
  const separator = trimmed.includes(';;') ? ';;' : ';';
  const names = trimmed.split(';').filter((p) => p.trim() !== '');
  return matchAll(names, options, (ticked) => ticked.join(separator));
}

function readTickedList(text: string, options: readonly string[]): Ticked {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: 'starts with [ but is not a JSON list of options' };
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    return { reason: 'a list of ticked options must hold only text, as ["A","B"]' };
  }
  return matchAll(value as string[], options, (ticked) => JSON.stringify(ticked));
}

function matchAll(names: readonly string[], options: readonly string[], store: (ticked: string[]) => string): Ticked {
  const ticked: string[] = [];
  for (const name of names) {
    const option = matchOption(name, options);
    if (option === undefined) return { reason: `${quoted(name.trim())} is not one of ${listOptions(options)}` };
    ticked.push(option);
  }
  return { options: ticked, stored: store(ticked) };
}
