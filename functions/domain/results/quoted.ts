/** A value as error messages show it: in double quotes, cut to `max` characters so a huge cell stays readable. */
export function quoted(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
