import { parseEmailsFile } from '../domain/study-config/emails-file.js';
import type { StudyUser } from '../domain/study-config/model.js';

/**
 * One user as AddUser names them, read by the `.emails` rules (functions/domain/study-config/emails-file.ts):
 * `rights` is a comma-separated list of canscore, canedit, cangetresults, viewonly (any case); none means
 * canscore. Returns the user, or the reason they are refused.
 */
export function readUser(email: string, rights: string): StudyUser | string {
  if (/[;\r\n]/.test(email)) return `"${email.slice(0, 80)}" is not a valid email address`;
  if (/[\r\n]/.test(rights)) return 'rights must be one line';
  const parsed = parseEmailsFile('AddUser', `${email.trim()};${rights}`);
  const [user] = parsed.value;
  const error = parsed.problems.find((p) => p.severity === 'error');
  if (!user || error) return (error?.reason ?? 'no user given').replace(/; line skipped$/, '');
  return user;
}
