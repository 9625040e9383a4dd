import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { setAppConfig } from '../../functions/common/config.js';
import { passwordMatches, verifyStudentPassword } from '../../functions/users/student-accounts.js';
import { call, createToken } from '../support/http-client.js';
import { createStudy, fixture, getJson, reimport, uniqueStudyName } from '../support/studies.js';

interface Users {
  config: { users: Array<{ email: string; rights: string[] }> };
}

const usersOf = async (studyId: number) => (await getJson<Users>('/Api/GetConfig', { studyid: studyId })).config.users;

let studyId: number;
let name: string;

beforeAll(async () => {
  name = uniqueStudyName('users');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: 'file@example.org;canscore\n',
    [`${name}/one.tiff`]: fixture('slidescore-test-image.tiff'),
  });
  // verifyStudentPassword runs in the viewer's process; here, in the test's, against the test server's tables.
  setAppConfig(inject('appConfig'));
});

afterAll(() => setAppConfig(undefined));

describe('AddUser and RemoveUser', () => {
  it('AddUser adds a user with .emails rights, replaces them when called again; Reimport keeps the user', async () => {
    const added = await call('POST', '/Api/AddUser', {
      form: { studyId, email: 'Api@Example.org', rights: 'CanEdit, cangetresults' },
    });
    expect(added.json()).toEqual({ success: true });
    expect(await usersOf(studyId)).toContainEqual({ email: 'Api@Example.org', rights: ['canedit', 'cangetresults'] });
    await call('POST', '/Api/AddUser', { form: { studyId, email: 'api@example.org', rights: 'viewonly' } });
    expect(await usersOf(studyId)).toContainEqual({ email: 'Api@Example.org', rights: ['viewonly'] });
    await call('POST', '/Api/AddUser', { form: { studyid: studyId, email: 'default@example.org' } });
    expect(await usersOf(studyId)).toContainEqual({ email: 'default@example.org', rights: ['canscore'] });

    // The .emails file does not name them; Reimport never removes.
    expect((await reimport(name)).success).toBe(true);
    const emails = (await usersOf(studyId)).map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['file@example.org', 'Api@Example.org', 'default@example.org']));
  });

  it('AddUser refuses a bad email or an unknown right', async () => {
    for (const form of [
      { email: 'not-an-email', rights: 'canscore' },
      { email: 'a@example.org', rights: 'canfly' },
      { email: 'a@example.org;canedit', rights: '' },
    ]) {
      const reply = await call('POST', '/Api/AddUser', { form: { studyId, ...form } });
      expect(reply.status).toBe(200);
      expect(reply.json(), JSON.stringify(form)).toMatchObject({ success: false, log: expect.any(String) });
    }
    expect((await usersOf(studyId)).map((u) => u.email)).not.toContain('a@example.org');
  });

  it('RemoveUser removes; Reimport brings back a user the .emails file names, not one it does not', async () => {
    for (const email of ['file@example.org', 'default@example.org']) {
      expect((await call('POST', '/Api/RemoveUser', { form: { studyId, email } })).json()).toEqual({ success: true });
    }
    expect((await usersOf(studyId)).map((u) => u.email)).not.toContain('file@example.org');
    const again = await call('POST', '/Api/RemoveUser', { form: { studyId, email: 'file@example.org' } });
    expect(again.json()).toEqual({ success: false, log: `No user file@example.org in study ${studyId}` });

    expect((await reimport(name)).success).toBe(true);
    const emails = (await usersOf(studyId)).map((u) => u.email);
    expect(emails).toContain('file@example.org');
    expect(emails).not.toContain('default@example.org');
    // AddUser brings a removed user back.
    await call('POST', '/Api/AddUser', { form: { studyId, email: 'default@example.org', rights: 'canscore' } });
    expect((await usersOf(studyId)).map((u) => u.email)).toContain('default@example.org');
  });
});

describe('GenerateStudentAccount', () => {
  it('returns a password that verifyStudentPassword accepts; the student may score the study', async () => {
    const reply = await call('POST', '/Api/GenerateStudentAccount', {
      form: { username: 'acc10@v', email: 'student@example.org', classID: studyId },
    });
    const { password } = reply.json<{ success: boolean; password: string }>();
    expect(reply.json()).toEqual({ success: true, password: expect.stringMatching(/^[\w-]{24}$/) });
    expect(await verifyStudentPassword('acc10@v', password)).toEqual({
      username: 'acc10@v',
      email: 'student@example.org',
      studyId,
    });
    expect(await verifyStudentPassword('ACC10@V', password)).toMatchObject({ studyId });
    expect(await verifyStudentPassword('acc10@v', `${password}x`)).toBeUndefined();
    expect(await verifyStudentPassword('nobody@v', password)).toBeUndefined();
    expect(await usersOf(studyId)).toContainEqual({ email: 'acc10@v', rights: ['canscore'] });

    // Again: a new password; the old one stops working.
    const renewed = await call('POST', '/Api/GenerateStudentAccount', {
      form: { username: 'acc10@v', classId: studyId },
    });
    const next = renewed.json<{ password: string }>().password;
    expect(next).not.toBe(password);
    expect(await verifyStudentPassword('acc10@v', password)).toBeUndefined();
    expect(await verifyStudentPassword('acc10@v', next)).toMatchObject({ studyId });
  });

  it('stores only an scrypt hash', async () => {
    expect(await passwordMatches('secret', 'scrypt$16384$8$1$AAAA$AAAA')).toBe(false);
    const { testStores } = await import('../support/stores.js');
    const stores = testStores();
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { Item } = await stores.dynamo.send(
      new GetCommand({ TableName: stores.config.tables.studies, Key: { pk: 'STUDENT', sk: 'acc10@v' } }),
    );
    stores.close();
    expect(Item?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[\w+/=]+\$[\w+/=]+$/);
    expect(JSON.stringify(Item)).not.toMatch(/"password"/);
  });

  it('refuses a bad username, a username of another study, and a missing classId', async () => {
    const other = uniqueStudyName('users-other');
    const otherId = await createStudy(other, { [`${other}/x.tiff`]: fixture('slidescore-test-image.tiff') });
    const forms: Record<string, string | number>[] = [
      { username: 'no spaces@v', classId: studyId },
      { username: 'acc10@v', classId: otherId },
      { username: 'x@v', email: 'not an email', classId: studyId },
    ];
    for (const form of forms) {
      const reply = await call('POST', '/Api/GenerateStudentAccount', { form });
      expect(reply.json(), JSON.stringify(form)).toMatchObject({ success: false, log: expect.any(String) });
    }
    const missing = await call('POST', '/Api/GenerateStudentAccount', { form: { username: 'x@v' } });
    expect(missing.json()).toEqual({ success: false, log: 'Missing parameter studyId' });
  });
});

describe('SendEmail', () => {
  const outbox = () => join(inject('dataDir'), 'outbox');

  it('writes the message to the outbox of the data folder in npm start', async () => {
    const reply = await call('POST', '/Api/SendEmail', {
      form: {
        studyId,
        to: 'file@example.org; api@example.org',
        subject: 'Please score',
        body: 'Hello,\nthe study is ready.',
      },
    });
    const { id } = reply.json<{ success: boolean; id: string }>();
    expect(reply.json()).toEqual({ success: true, id: expect.any(String) });
    expect(await readdir(outbox())).toContain(`${id}.json`);
    const message = JSON.parse(await readFile(join(outbox(), `${id}.json`), 'utf8'));
    expect(message).toMatchObject({
      id,
      studyId,
      to: ['file@example.org', 'api@example.org'],
      subject: 'Please score',
      body: 'Hello,\nthe study is ready.',
    });
  });

  it('refuses addresses that are not users of the study, and bad subjects', async () => {
    for (const form of [
      { to: 'stranger@example.org', subject: 's', body: 'b' },
      { to: '', subject: 's', body: 'b' },
      { to: 'file@example.org', subject: 'two\nlines', body: 'b' },
    ]) {
      const reply = await call('POST', '/Api/SendEmail', { form: { studyId, ...form } });
      expect(reply.status).toBe(200);
      expect(reply.json(), JSON.stringify(form)).toMatchObject({ success: false, log: expect.any(String) });
    }
  });
});

describe('refusals (docs/api.md, "Replies and refusals")', () => {
  const calls = () =>
    [
      ['/Api/AddUser', { studyId, email: 'r@example.org', rights: 'canscore' }],
      ['/Api/RemoveUser', { studyId, email: 'file@example.org' }],
      ['/Api/GenerateStudentAccount', { classId: studyId, username: 'refused@v' }],
      ['/Api/SendEmail', { studyId, to: 'file@example.org', subject: 's', body: 'b' }],
    ] as const;

  it('401 without a token', async () => {
    for (const [path, form] of calls()) {
      const reply = await call('POST', path, { form, token: null });
      expect(reply.status, path).toBe(401);
      expect(reply.json(), path).toMatchObject({ success: false });
    }
  });

  it('403 without CanManageUsers (CanManageStudies is not enough)', async () => {
    const weak = await createToken({ capabilities: 'CanManageStudies,CanGetConfig' });
    for (const [path, form] of calls()) {
      const reply = await call('POST', path, { form, token: weak });
      expect(reply.status, path).toBe(403);
      expect(reply.json(), path).toEqual({ success: false, log: 'This API token lacks the CanManageUsers capability' });
    }
  });

  it('403 for a study outside the token, whether or not it exists; 404-as-200 for an unknown study', async () => {
    const limited = await createToken({ capabilities: 'CanManageUsers', studies: '987654' });
    for (const [path, form] of calls()) {
      const reply = await call('POST', path, { form, token: limited });
      expect(reply.status, path).toBe(403);
      expect(reply.json(), path).toEqual({ success: false, log: `This API token has no access to study ${studyId}` });
      const key = 'classId' in form ? 'classId' : 'studyId';
      const unknown = await call('POST', path, { form: { ...form, [key]: 987_654_321 } });
      expect(unknown.status, path).toBe(200);
      expect(unknown.json(), path).toEqual({ success: false, log: 'No study 987654321' });
    }
  });

  it('a missing parameter is a logical error', async () => {
    const missing = await call('POST', '/Api/AddUser', { form: { studyId } });
    expect(missing.json()).toEqual({ success: false, log: 'Missing parameter email' });
    const noStudy = await call('POST', '/Api/SendEmail', { form: { to: 'a@b.nl', subject: 's', body: 'b' } });
    expect(noStudy.json()).toEqual({ success: false, log: 'Missing parameter studyId' });
  });
});
