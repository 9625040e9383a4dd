import { log } from '../../common/log.js';
import { services } from '../../common/services.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';

const MAX_RECIPIENTS = 50;
const MAX_SUBJECT = 255;
const MAX_BODY = 100_000;

/**
 * POST /Api/SendEmail (studyId, to, subject, body) → {"success":true,"id":"…"}. Sends a plain-text message to
 * users of the study (`to`: one or more of its users' emails, separated by `,` or `;`); any other address is
 * refused, so the call cannot mail strangers. Through Amazon SES in the cloud (from MAIL_FROM); `npm start`
 * writes it to `<data folder>/outbox/` instead (docs/administration.md).
 */
export const handler = apiHandler('SendEmail', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  const to = params
    .required('to')
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const subject = params.requiredField('subject', 'name');
  const body = params.requiredField('body', 'freeText');
  if (to.length === 0) return failure('No recipient in to');
  if (to.length > MAX_RECIPIENTS) return failure(`At most ${MAX_RECIPIENTS} recipients`);
  if (subject.length > MAX_SUBJECT) return failure(`The subject is longer than ${MAX_SUBJECT} characters`);
  if (body.length > MAX_BODY) return failure(`The body is longer than ${MAX_BODY} characters`);
  const users = new Set(contents.members.filter((m) => !m.removed).map((m) => m.email.toLowerCase()));
  const strangers = to.filter((a) => !users.has(a.toLowerCase()));
  if (strangers.length > 0) {
    return failure(`Not users of study ${contents.study.id}: ${strangers.join(', ').slice(0, 500)}`);
  }
  const { mailer } = services();
  if (!mailer) return failure('Email is not set up on this server (set MAIL_FROM to a verified SES sender)');
  const id = await mailer.send({ studyId: contents.study.id, to, subject, body });
  log.info('email sent', { studyId: contents.study.id, recipients: to.length, id });
  return success({ id });
});
