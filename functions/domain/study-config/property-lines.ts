/** Helpers for the `property: value` lines shared by `.config` files and TMA map headers. */

export interface PropertyLine {
  /** Lower case, trimmed. */
  name: string;
  value: string;
}

/** Splits at the first `:` (so values may hold colons); undefined when there is no `:` or no name. */
export function splitPropertyLine(text: string): PropertyLine | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const name = text.slice(0, colon).trim().toLowerCase();
  if (name === '') return undefined;
  return { name, value: text.slice(colon + 1).trim() };
}

/** The trimmed, non-empty items of a list value. */
export function splitList(value: string, separator: RegExp = /,/): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `true`/`false`, also `yes`/`no`, in any case; undefined for anything else. */
export function parseBoolean(value: string): boolean | undefined {
  const lower = value.trim().toLowerCase();
  if (lower === 'true' || lower === 'yes') return true;
  if (lower === 'false' || lower === 'no') return false;
  return undefined;
}

/** Adds items not already in the list, comparing with `key`; keeps the first spelling. */
export function appendUnique(list: string[], items: readonly string[], key = (item: string) => item): void {
  const seen = new Set(list.map(key));
  for (const item of items) {
    if (seen.has(key(item))) continue;
    seen.add(key(item));
    list.push(item);
  }
}
