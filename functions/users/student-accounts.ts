import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { services } from '../common/services.js';

/**
 * Student accounts (GenerateStudentAccount, reference §3.8): a username (an email-like id such as `acc10@v`)
 * with a generated password, for one study. Kept in the studies table:
 *
 *   pk        sk                     item
 *   STUDENT   <username, lower case> { username, email?, studyId, passwordHash, createdOn }
 *
 * The password is stored only as an scrypt hash (`scrypt$N$r$p$<salt>$<hash>`, base64). Generating the
 * account of a username again gives it a new password (the old one stops working).
 */
export interface StudentAccount {
  username: string;
  email?: string;
  studyId: number;
  passwordHash: string;
  createdOn: string;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };
/** 18 random bytes: 24 characters of base64url. */
const PASSWORD_BYTES = 18;

export class StudentAccounts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates (or renews) the account; returns the new password, which is never stored. */
  async create(account: { username: string; email?: string; studyId: number }): Promise<string> {
    const password = randomBytes(PASSWORD_BYTES).toString('base64url');
    const item: StudentAccount = {
      username: account.username,
      ...(account.email ? { email: account.email } : {}),
      studyId: account.studyId,
      passwordHash: await hashPassword(password),
      createdOn: this.now().toISOString(),
    };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: 'STUDENT', sk: account.username.toLowerCase(), ...item },
      }),
    );
    return password;
  }

  async get(username: string): Promise<StudentAccount | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: 'STUDENT', sk: username.toLowerCase() } }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...account } = Item;
    return account as StudentAccount;
  }

  /** The account when the password is its password (compared in constant time), else undefined. */
  async verify(username: string, password: string): Promise<StudentAccount | undefined> {
    const account = await this.get(username);
    if (!account) {
      await hashPassword(password); // the same work either way: no timing hint of which usernames exist
      return undefined;
    }
    return (await passwordMatches(password, account.passwordHash)) ? account : undefined;
  }
}

/**
 * For the viewer's sign-in page: the student account whose username is `email` (ignoring case), when the
 * password is its password. The account may score its study (GenerateStudentAccount made it a user of the
 * study with `canscore`).
 */
export async function verifyStudentPassword(
  email: string,
  password: string,
): Promise<{ username: string; email?: string; studyId: number } | undefined> {
  if (email.length > 254 || password.length > 1024) return undefined;
  const account = await services().students.verify(email.trim(), password);
  return account && { username: account.username, email: account.email, studyId: account.studyId };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keyLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(
  password: string,
  salt: Buffer,
  options: { N: number; r: number; p: number; keyLength: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      options.keyLength,
      { N: options.N, r: options.r, p: options.p, maxmem: 64 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}
