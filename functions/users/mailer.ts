import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

/** One message of SendEmail: plain text, to users of one study. */
export interface OutgoingEmail {
  studyId: number;
  to: string[];
  subject: string;
  body: string;
}

export interface Mailer {
  /** Sends the message; returns its id (SES's message id, or the outbox file's name). */
  send(email: OutgoingEmail): Promise<string>;
}

/** The environment variable naming the sender address of SES messages (a verified SES identity). */
export const MAIL_FROM_ENV = 'MAIL_FROM';

/**
 * `npm start` and tests: each message is a JSON file `<ISO time>-<uuid>.json` in the data folder's `outbox/`:
 * {id, at, from, studyId, to, subject, body}. Nothing leaves the machine.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly directory: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    const at = this.now().toISOString();
    const id = `${at.replace(/[:.]/g, '-')}-${randomUUID()}`;
    await mkdir(this.directory, { recursive: true });
    const message = { id, at, from: 'slidescore@localhost', ...email };
    await writeFile(join(this.directory, `${id}.json`), `${JSON.stringify(message, null, 2)}\n`, { flag: 'wx' });
    return id;
  }
}

/** The cloud: Amazon SES (v2 API), from the address in MAIL_FROM. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    const reply = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: email.to },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.body, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    return reply.MessageId ?? '';
  }
}

/** The outbox when the configuration names one (the embedded runtime), else SES when MAIL_FROM is set. */
export function createMailer(outbox: string | undefined, region: string, env = process.env): Mailer | undefined {
  if (outbox) return new OutboxMailer(outbox);
  const from = env[MAIL_FROM_ENV];
  return from ? new SesMailer(new SESv2Client({ region }), from) : undefined;
}
