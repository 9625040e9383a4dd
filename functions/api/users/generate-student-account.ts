import { services } from '../../common/services.js';
import { isEmailAddress } from '../../domain/study-config/emails-file.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';

/** An email-like id (`acc10@v`): something@something, no spaces, semicolons or commas. */
const USERNAME = /^[^\s@;,]{1,64}@[^\s@;,]{1,190}$/u;

/**
 * POST /Api/GenerateStudentAccount (username, email optional, classId: the study ID; `classID` and `studyId`
 * are read too) → {"success":true,"password":"…"} (reference §3.8). Creates the account, or gives an existing
 * one a new password, and makes the username a user of the study with `canscore`. The password signs in on the
 * viewer's sign-in page; it is stored only as an scrypt hash.
 */
export const handler = apiHandler('GenerateStudentAccount', async ({ params, caller }) => {
  const studyId = params.integer('classId') ?? params.requiredInteger('studyId');
  const study = await studyFor(caller, studyId);
  const username = params.requiredField('username', 'email').trim();
  if (!USERNAME.test(username)) return failure(`"${username.slice(0, 80)}" is not a username like acc10@class`);
  const email = params.get('email')?.trim();
  if (email && !isEmailAddress(email)) return failure(`"${email.slice(0, 80)}" is not a valid email address`);
  const { students, studies } = services();
  const existing = await students.get(username);
  if (existing && existing.studyId !== study.id) {
    return failure(`The username ${username} is taken by a student account of another study`);
  }
  const contents = await studies.loadContents(study.id);
  const member = contents?.members.find((m) => m.email.toLowerCase() === username.toLowerCase());
  if (!member || member.removed || !member.rights.includes('canscore')) {
    const rights = member && !member.removed ? member.rights.filter((r) => r !== 'viewonly') : [];
    await studies.putMembers(study.id, [{ email: member?.email ?? username, rights: ['canscore', ...rights] }]);
  }
  const password = await students.create({ username, email, studyId: study.id });
  return success({ password });
});
