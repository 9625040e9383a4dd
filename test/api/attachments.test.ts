import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http-client.js';
import { createStudy, uniqueStudyName } from '../support/studies.js';
import { uploadFile } from '../support/tus-client.js';

/**
 * Attachments as the Python SDK makes them (slidescore.py `upload_attachment`): RequestUploadAttachment, then a
 * new client with the temporary token uploads (RequestUpload, tus, FinishUpload), and the link is built as
 * `{server}/a/{attId}/{filename.split('-')[0]}/{original name}`.
 */
interface AttachmentReply {
  success: boolean;
  token: string;
  folder: string;
  filename: string;
  attId: number;
  log?: string;
}

let studyId: number;
let otherStudyId: number;
let limitedToken: string;

async function createToken(form: Record<string, string>): Promise<string> {
  const reply = await call('POST', '/Admin/CreateToken', { form: { name: 'attachments test', ...form } });
  const token = reply.json<{ token?: string }>().token;
  if (!token) throw new Error(reply.text);
  return token;
}

async function attach(name: string, bytes: Buffer, token?: string): Promise<{ reply: AttachmentReply; link: string }> {
  const reply = (
    await call('POST', '/Api/RequestUploadAttachment', { form: { studyId, filename: name }, token })
  ).json<AttachmentReply>();
  expect(reply.success, reply.log).toBe(true);
  expect(await uploadFile(reply.folder, reply.filename, bytes, reply.token)).toBe('"OK"');
  const guid = reply.filename.split('-')[0];
  return { reply, link: `/a/${reply.attId}/${guid}/${encodeURIComponent(name)}` };
}

beforeAll(async () => {
  const name = uniqueStudyName('attach');
  studyId = await createStudy(name, { [`study.${name}.emails`]: 'reader@example.org\n' });
  const other = uniqueStudyName('attach-other');
  otherStudyId = await createStudy(other, { [`study.${other}.emails`]: 'reader@example.org\n' });
  limitedToken = await createToken({ capabilities: 'CanUpload', studies: String(studyId) });
}, 60_000);

describe('RequestUploadAttachment and /a/…', () => {
  it('serves an uploaded PNG inline with its type, nosniff and a sandbox', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const { reply, link } = await attach('figure 1.png', png, limitedToken);
    expect(reply.folder).toBe(`_attachments_${studyId}`);
    expect(reply.filename).toMatch(/^[0-9a-f]{32}-figure 1\.png$/);
    const served = await call('GET', link, { token: null });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(String(served.headers['content-disposition'])).toMatch(/^inline; filename="figure 1\.png"/);
    expect(String(served.headers['content-security-policy'])).toContain('sandbox');
    expect(served.body.equals(png)).toBe(true);
  });

  it('serves HTML as a download, never as a page of this site', async () => {
    const { link } = await attach('notes.html', Buffer.from('<script>alert(1)</script>'));
    const served = await call('GET', link, { token: null });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(String(served.headers['content-disposition'])).toMatch(/^attachment;/);
  });

  it('answers 404 alike for a wrong guid, a wrong name, an unknown id and an upload not finished', async () => {
    const { reply, link } = await attach('a.txt', Buffer.from('hello'));
    expect((await call('GET', link, { token: null })).text).toBe('hello');
    const guid = reply.filename.split('-')[0] ?? '';
    const wrongGuid = `/a/${reply.attId}/${guid.replace(/^./, guid[0] === 'a' ? 'b' : 'a')}/a.txt`;
    const pending = (
      await call('POST', '/Api/RequestUploadAttachment', { form: { studyId, filename: 'b.txt' } })
    ).json<AttachmentReply>();
    const pendingLink = `/a/${pending.attId}/${pending.filename.split('-')[0]}/b.txt`;
    for (const path of [wrongGuid, `/a/${reply.attId}/${guid}/b.txt`, `/a/999999999/${guid}/a.txt`, pendingLink]) {
      const refused = await call('GET', path, { token: null });
      expect(refused.status, path).toBe(404);
      expect(refused.json()).toEqual({ success: false, log: 'No such attachment' });
    }
  });

  it("gives a temporary token that can upload only into the study's files, and ends within the hour", async () => {
    const { reply } = await attach('c.txt', Buffer.from('c'), limitedToken);
    const expiry = (await call('GET', '/Api/GetTokenExpiry', { token: reply.token })).json<{ expiresOn: string }>();
    expect(Date.parse(expiry.expiresOn) - Date.now()).toBeLessThanOrEqual(3600_000 + 5_000);
    const elsewhere = await call('POST', '/Api/RequestUpload', {
      form: { folder: `_attachments_${otherStudyId}`, filename: 'x.txt' },
      token: reply.token,
    });
    expect(elsewhere.status).toBe(403);
    const root = await call('POST', '/Api/RequestUpload', {
      form: { folder: '', filename: 'x.txt' },
      token: reply.token,
    });
    expect(root.status).toBe(403);
    // It cannot read results or make tokens: it holds CanUpload only.
    expect((await call('GET', '/Api/Scores', { form: { studyId }, token: reply.token })).status).toBe(403);
  });

  it('keeps other studies out of the attachment folder', async () => {
    const otherToken = await createToken({ capabilities: 'CanUpload,CanCreateFolders', studies: String(otherStudyId) });
    const refused = await call('POST', '/Api/RequestUpload', {
      form: { folder: `_attachments_${studyId}`, filename: 'x.txt' },
      token: otherToken,
    });
    expect(refused.status).toBe(403);
  });

  it('never lets a study read an attachment folder as its slide folder', async () => {
    const name = uniqueStudyName('attach-folder');
    await uploadFile('', `study.${name}.emails`, Buffer.from('reader@example.org\n'));
    await uploadFile('', `study.${name}.config`, Buffer.from(`folder: _attachments_${studyId}\n`));
    const result = (await call('POST', '/Api/Reimport', { form: { studyName: name } })).json<{ log: string }>();
    expect(result.log).toContain('folder refused: it names an attachment folder');
  });

  it('sends a large attachment from storage, as a download when its type is not shown inline', async () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024, 7);
    const { link } = await attach('scan.bin', bytes);
    const served = await call('GET', link, { token: null });
    expect(served.status).toBe(200); // the cloud answers 302 to S3; `npm start` follows it itself
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(String(served.headers['content-disposition'])).toMatch(/^attachment; filename="scan\.bin"/);
    expect(served.body.equals(bytes)).toBe(true);
  });

  it('refuses in the forms of the reply table', async () => {
    const refusals: [Record<string, string | number>, string | undefined, number, string][] = [
      [{ filename: 'x.txt' }, undefined, 200, 'Missing parameter studyId'],
      [{ moduleId: 3, filename: 'x.txt' }, undefined, 200, 'Teaching modules are not supported'],
      [{ studyId, filename: '../x.txt' }, undefined, 200, 'File name must not contain'],
      [{ studyId: otherStudyId, filename: 'x.txt' }, limitedToken, 403, `no access to study ${otherStudyId}`],
      [{ studyId: 99999999, filename: 'x.txt' }, undefined, 200, 'No study 99999999'],
    ];
    for (const [form, token, status, log] of refusals) {
      const reply = await call('POST', '/Api/RequestUploadAttachment', { form, token });
      expect(reply.status, JSON.stringify(form)).toBe(status);
      expect(reply.json<{ success: boolean; log: string }>()).toEqual({
        success: false,
        log: expect.stringContaining(log),
      });
    }
    const noCapability = await createToken({ capabilities: 'CanGetResults', studies: String(studyId) });
    const reply = await call('POST', '/Api/RequestUploadAttachment', {
      form: { studyId, filename: 'x.txt' },
      token: noCapability,
    });
    expect(reply.status).toBe(403);
  });

  it('keeps an attachment link in a slide description', async () => {
    const { link } = await attach('d.pdf', Buffer.from('%PDF-1.4\n'));
    const images = await call('GET', '/Api/Images', { form: { studyId } });
    expect(images.status).toBe(200);
    const html = `<p>See <a class="jsSquireAttachment jsSquireLink" href="${link}">d.pdf</a></p>`;
    const { sanitizeDescription } = await import('../../functions/domain/descriptions/description-html.js');
    expect(sanitizeDescription(html)).toContain(`href="${link}"`);
  });
});
