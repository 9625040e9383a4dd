/**
 * QuPath's text lists (Questions.json, Answers.json) are split on `;` and read line by line, so a field can
 * hold neither: a `;` becomes `,` and a line break a space (documented in docs/clients.md).
 */
export function qupathField(text: string): string {
  return text.replaceAll(';', ',').replace(/\r\n|[\r\n]/g, ' ');
}

export function qupathLine(fields: readonly string[]): string {
  return fields.map(qupathField).join(';');
}

/** A posted question name matches a question as written, or as QuPath got it from Questions.json. */
export function sameQuestionName(posted: string, name: string): boolean {
  return posted === name || posted === qupathField(name);
}
