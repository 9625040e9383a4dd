import { checkField } from '../limits/field-limits.js';
import { RIGHTS, type Right, type StudyUser } from './model.js';
import { type Parsed, ProblemLog } from './problems.js';
import { appendUnique, splitList } from './property-lines.js';
import { contentLines, joinLines, oneLine } from './text-lines.js';

/**
 * Reads `study.<name>.emails`: one user per line, `email;right,right`. Rights are matched ignoring case and
 * spaces; no rights means `canscore`. A line with a bad email or an unknown right is skipped as a whole (better
 * no access than the wrong access). A user listed twice (in any case) gets the union of the rights. Emails keep
 * their spelling; they are matched ignoring case.
 */
export function parseEmailsFile(fileName: string, text: string): Parsed<StudyUser[]> {
  const log = new ProblemLog(fileName);
  const users: StudyUser[] = [];
  const firstLine = new Map<string, { user: StudyUser; line: number }>();
  for (const line of contentLines(text, log)) {
    const read = readUserLine(line.text);
    if ('error' in read) {
      log.error(line.number, read.error);
      continue;
    }
    for (const warning of read.warnings) log.warning(line.number, warning);
    const earlier = firstLine.get(read.user.email.toLowerCase());
    if (earlier) {
      earlier.user.rights = normalizeRights([...earlier.user.rights, ...read.user.rights]);
      log.warning(
        line.number,
        `${earlier.user.email} is also on line ${earlier.line}; rights merged: ${earlier.user.rights.join(',')}`,
      );
      continue;
    }
    firstLine.set(read.user.email.toLowerCase(), { user: read.user, line: line.number });
    users.push(read.user);
  }
  return { value: users, problems: log.problems };
}

/** The file text for these users, rights always written out. */
export function writeEmailsFile(users: readonly StudyUser[]): string {
  return joinLines(users.map((user) => `${oneLine(user.email)};${user.rights.join(',')}`));
}

type UserLine = { user: StudyUser; warnings: string[] } | { error: string };

function readUserLine(text: string): UserLine {
  const semicolon = text.indexOf(';');
  const email = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
  const badEmail = checkField('email', email);
  if (badEmail) return { error: `${badEmail}; line skipped` };
  if (!isEmailAddress(email)) return { error: `"${email}" is not a valid email address; line skipped` };
  // Our choice: `;` between rights is read like `,`, so `a@b.nl;canscore;canedit` does what it looks like.
  const words = semicolon < 0 ? [] : splitList(text.slice(semicolon + 1), /[,;]/);
  const rights: Right[] = [];
  for (const word of words) {
    const right = RIGHTS.find((r) => r === word.toLowerCase());
    if (!right) {
      return { error: `unknown right "${word}" (known: ${RIGHTS.join(', ')}); line skipped` };
    }
    appendUnique(rights, [right]);
  }
  const warnings: string[] = [];
  if (rights.includes('viewonly') && rights.length > 1) {
    warnings.push(
      rights.includes('canscore')
        ? 'viewonly contradicts canscore; viewonly ignored'
        : 'viewonly is implied by the other rights; ignored',
    );
  }
  return { user: { email, rights: normalizeRights(rights) }, warnings };
}

/** Default `canscore`, `viewonly` only alone, RIGHTS order, no repeats. */
function normalizeRights(rights: readonly Right[]): Right[] {
  if (rights.length === 0) return ['canscore'];
  const others = rights.filter((r) => r !== 'viewonly');
  const kept: Right[] = others.length > 0 ? others : ['viewonly'];
  return RIGHTS.filter((r) => kept.includes(r));
}

const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** A practical check (not all of RFC 5322): `local@domain.tld`, no spaces, no quoted parts, no display name. */
export function isEmailAddress(text: string): boolean {
  if (text.length > 254) return false;
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  const labels = text.slice(at + 1).split('.');
  return (
    at > 0 &&
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => label.length <= 63 && DOMAIN_LABEL.test(label))
  );
}
