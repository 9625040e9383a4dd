import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import * as tusJs from 'tus-js-client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { call, createToken } from '../support/http-client.js';
import { testStores } from '../support/stores.js';
import {
  createUpload,
  finishUpload,
  metadata,
  patch,
  requestUpload,
  sendAll,
  tus,
  uploadFile,
} from '../support/tus-client.js';

const stores = testStores();
afterAll(() => stores.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const stagedFiles = async () => (await readdir(join(inject('dataDir'), 'tus')).catch(() => [])).length;

async function storedSha(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await stores.files.open(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('RequestUpload', () => {
  it('gives an upload token for the root and for one folder below it', async () => {
    for (const folder of ['', 'plain', './dotted/', 'trailing/']) {
      const reply = await call('POST', '/Api/RequestUpload', { form: { filename: 'a.svs', folder } });
      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ token: expect.stringMatching(/^[\w-]{43}$/) });
    }
  });

  it('refuses bad folders and file names with a bare JSON string', async () => {
    const refused: [string, string][] = [
      ['a/b', 'x.svs'],
      ['..', 'x.svs'],
      ['./..', 'x.svs'],
      ['a\\b', 'x.svs'],
      ['/abs', 'x.svs'],
      ['C:\\data', 'x.svs'],
      ['tab\there', 'x.svs'],
      ['', 'a/b.svs'],
      ['', 'a\\b.svs'],
      ['', '..'],
      ['', ''],
      ['', 'nul\u0000.svs'],
      ['', 'é'.repeat(128)],
    ];
    for (const [folder, filename] of refused) {
      const reply = await call('POST', '/Api/RequestUpload', { form: { filename, folder } });
      expect(reply.text[0], `${folder} / ${filename}`).toBe('"');
      expect(typeof reply.json()).toBe('string');
    }
  });

  it('needs CanCreateFolders for a new folder, not for an existing one', async () => {
    const uploader = await createToken({ capabilities: 'CanUpload' });
    const refused = await call('POST', '/Api/RequestUpload', {
      token: uploader,
      form: { filename: 'x.txt', folder: 'brand-new' },
    });
    expect(refused.json()).toBe('Folder "brand-new" does not exist and this API token lacks CanCreateFolders');
    expect(await uploadFile('existing-folder', 'first.txt', Buffer.from('hello'))).toBe('"OK"');
    const allowed = await call('POST', '/Api/RequestUpload', {
      token: uploader,
      form: { filename: 'x.txt', folder: 'existing-folder' },
    });
    expect(allowed.json()).toMatchObject({ token: expect.any(String) });
  });

  it('needs CanUpload and checks studyId against the token', async () => {
    // Path ownership (a limited token writing its study's files) is tested in path-ownership.test.ts.
    const reader = await createToken({ capabilities: 'CanGetResults' });
    expect(
      (await call('POST', '/Api/RequestUpload', { token: reader, form: { filename: 'x', folder: '' } })).status,
    ).toBe(403);
    const limited = await createToken({ capabilities: 'CanUpload', studies: '5' });
    const other = await call('POST', '/Api/RequestUpload', {
      token: limited,
      form: { filename: 'x', folder: '', studyId: 6 },
    });
    expect(other.status).toBe(403);
    const own = await call('POST', '/Api/RequestUpload', {
      token: limited,
      form: { filename: 'x', folder: '', studyId: 5 },
    });
    // Its study is named, but the root file x belongs to no study: only all-studies tokens write there.
    expect(own.status).toBe(403);
    expect(own.json()).toEqual({
      success: false,
      log: 'x belongs to no study this API token holds; only a token for all studies may write it',
    });
  });
});

describe('tus upload and FinishUpload', () => {
  it('round-trips the bytes unchanged through tus-js-client, 10 MB chunks, and answers exactly "OK"', async () => {
    const bytes = randomBytes(25 * 1024 * 1024 + 123);
    const uploadToken = await requestUpload({ folder: 'roundtrip', filename: 'slide.svs' });
    const url = await new Promise<string>((resolve, reject) => {
      const upload = new tusJs.Upload(bytes, {
        endpoint: `${inject('baseUrl')}/files/`,
        chunkSize: 10_000_000,
        metadata: { uploadtoken: uploadToken, apitoken: inject('adminToken') },
        onError: reject,
        onSuccess: () => resolve(upload.url as string),
      });
      upload.start();
    });
    expect(url).toMatch(/\/files\/[0-9a-f]{32}$/); // no trailing slash: clients take the last segment
    const id = url.slice(url.lastIndexOf('/') + 1);
    expect(await finishUpload(id, uploadToken)).toBe('"OK"');
    expect(await finishUpload(id, uploadToken)).toBe('"OK"'); // twice: still OK, no duplicate
    const listed = [];
    for await (const file of stores.files.list('roundtrip')) listed.push(file);
    expect(listed).toEqual([
      expect.objectContaining({ path: 'roundtrip/slide.svs', size: bytes.length, uploadId: id }),
    ]);
    expect(await storedSha('roundtrip/slide.svs')).toBe(sha256(bytes));
    const range = await stores.files.readRange('roundtrip/slide.svs', 10_000_000 - 5, 10);
    expect(range.equals(bytes.subarray(10_000_000 - 5, 10_000_000 + 5))).toBe(true);
  }, 60_000);

  it('writes the commit marker that automatic import listens to', async () => {
    expect(await uploadFile('', 'study.marker.emails', Buffer.from('a@b.org\n'))).toBe('"OK"');
    const marker = await stores.s3.send(
      new GetObjectCommand({ Bucket: stores.config.bucket, Key: 'files/study.marker.emails' }),
    );
    expect(
      JSON.parse(await (marker.Body as { transformToString(): Promise<string> }).transformToString()),
    ).toMatchObject({
      path: 'study.marker.emails',
    });
  });

  it('handles an empty file (creation only)', async () => {
    expect(await uploadFile('', 'empty.txt', Buffer.alloc(0))).toBe('"OK"');
    expect((await stores.files.stat('empty.txt'))?.size).toBe(0);
  });

  it('repoints a path on a second upload and keeps reading the newest', async () => {
    await uploadFile('repoint', 'file.txt', Buffer.from('first'));
    await uploadFile('repoint', 'file.txt', Buffer.from('second version'));
    expect((await stores.files.readRange('repoint/file.txt', 0, 100)).toString()).toBe('second version');
  });

  it('resumes an interrupted upload from the offset the server reports', async () => {
    const bytes = randomBytes(3_000_000);
    const uploadToken = await requestUpload({ folder: 'resume', filename: 'big.bin' });
    const id = await createUpload(bytes.length, uploadToken);
    expect((await patch(id, 0, bytes.subarray(0, 1_000_000))).status).toBe(204);
    const head = await tus('HEAD', `/files/${id}`);
    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe('1000000');
    expect(head.headers['upload-length']).toBe('3000000');
    expect(head.headers['cache-control']).toBe('no-store');
    expect(await finishUpload(id, uploadToken)).toBe('"The upload is not complete: 1000000 of 3000000 bytes received"');
    expect((await patch(id, 1_000_000, bytes.subarray(1_000_000))).status).toBe(204);
    expect(await finishUpload(id, uploadToken)).toBe('"OK"');
    expect(await storedSha('resume/big.bin')).toBe(sha256(bytes));
  });

  it('answers 409 to a PATCH at the wrong offset', async () => {
    const uploadToken = await requestUpload({ folder: '', filename: 'offset.bin' });
    const id = await createUpload(100, uploadToken);
    expect((await patch(id, 10, Buffer.alloc(10))).status).toBe(409);
    expect((await patch(id, 0, Buffer.alloc(10))).status).toBe(204);
    expect((await patch(id, 0, Buffer.alloc(10))).status).toBe(409);
  });

  it('leaves one complete file when two uploads to one path finish at the same time', async () => {
    const a = randomBytes(2_000_000);
    const b = randomBytes(2_500_000);
    const prepared = await Promise.all(
      [a, b].map(async (bytes) => {
        const token = await requestUpload({ folder: 'race', filename: 'same.bin' });
        const id = await createUpload(bytes.length, token);
        await sendAll(id, bytes);
        return { token, id, bytes };
      }),
    );
    const replies = await Promise.all(prepared.map((p) => finishUpload(p.id, p.token)));
    expect(replies).toEqual(['"OK"', '"OK"']);
    const file = await stores.files.stat('race/same.bin');
    const winner = prepared.find((p) => p.id === file?.uploadId);
    expect(winner).toBeDefined();
    expect(file?.size).toBe(winner?.bytes.length);
    expect(await storedSha('race/same.bin')).toBe(sha256(winner?.bytes as Buffer));
  });

  it('refuses to download through tus and to delete a finished upload', async () => {
    const uploadToken = await requestUpload({ folder: '', filename: 'nodelete.txt' });
    const id = await createUpload(5, uploadToken);
    await sendAll(id, Buffer.from('bytes'));
    expect((await tus('GET', `/files/${id}`)).status).toBe(405);
    expect((await tus('DELETE', `/files/${id}`)).status).toBeGreaterThanOrEqual(400);
    expect(await finishUpload(id, uploadToken)).toBe('"OK"');
  });

  it('terminates an unfinished upload on DELETE', async () => {
    const uploadToken = await requestUpload({ folder: '', filename: 'abandon.bin' });
    const id = await createUpload(100, uploadToken);
    expect((await tus('DELETE', `/files/${id}`)).status).toBe(204);
    expect((await tus('HEAD', `/files/${id}`)).status).toBe(404);
  });

  it('answers OPTIONS with the tus capabilities', async () => {
    const reply = await tus('OPTIONS', '/files/');
    expect(reply.headers['tus-version']).toContain('1.0.0');
    expect(String(reply.headers['tus-extension'])).toContain('creation');
    expect(Number(reply.headers['tus-max-size'])).toBeGreaterThan(0);
  });

  it('refuses an upload larger than the maximum size before storing anything', async () => {
    const uploadToken = await requestUpload({ folder: '', filename: 'huge.bin' });
    const reply = await tus('POST', '/files/', {
      'upload-length': String(1024 ** 4),
      'upload-metadata': metadata({ uploadtoken: uploadToken, apitoken: inject('adminToken') }),
    });
    expect(reply.status).toBe(413);
  });
});

describe('tus authentication (no Authorization header, as the SDK sends)', () => {
  async function creation(meta: Record<string, string>): Promise<number> {
    return (await tus('POST', '/files/', { 'upload-length': '10', 'upload-metadata': metadata(meta) })).status;
  }

  it('refuses creation with a missing, forged, revoked or underprivileged API token, storing nothing', async () => {
    const uploadToken = await requestUpload({ folder: '', filename: 'denied.bin' });
    const revoked = await createToken({ capabilities: 'CanUpload' });
    await call('POST', '/Api/GiveUpToken', { token: revoked });
    const reader = await createToken({ capabilities: 'CanGetResults' });
    const before = await stagedFiles();
    expect(await creation({ uploadtoken: uploadToken })).toBe(401);
    expect(await creation({ uploadtoken: uploadToken, apitoken: `${inject('adminToken')}x` })).toBe(401);
    expect(await creation({ uploadtoken: uploadToken, apitoken: revoked })).toBe(401);
    expect(await creation({ uploadtoken: uploadToken, apitoken: reader })).toBe(403);
    expect(await stagedFiles()).toBe(before);
  });

  it('refuses an unknown upload token and one issued to another API token', async () => {
    const other = await createToken({ capabilities: 'CanUpload,CanCreateFolders' });
    const othersUploadToken = await requestUpload({ folder: '', filename: 'theirs.bin' }, other);
    const before = await stagedFiles();
    expect(await creation({ uploadtoken: 'made-up', apitoken: inject('adminToken') })).toBe(403);
    expect(await creation({ apitoken: inject('adminToken') })).toBe(403);
    expect(await creation({ uploadtoken: othersUploadToken, apitoken: inject('adminToken') })).toBe(403);
    expect(await stagedFiles()).toBe(before);
  });

  it('stops every later request on an upload once its API token is given up', async () => {
    const uploader = await createToken({ capabilities: 'CanUpload' });
    const uploadToken = await requestUpload({ folder: '', filename: 'cut.bin' }, uploader);
    const id = await createUpload(20, uploadToken, uploader);
    expect((await patch(id, 0, Buffer.alloc(10))).status).toBe(204);
    await call('POST', '/Api/GiveUpToken', { token: uploader });
    expect((await patch(id, 10, Buffer.alloc(10))).status).toBe(403);
    expect((await tus('HEAD', `/files/${id}`)).status).toBe(403);
  });

  it('does not keep the API token in the stored upload metadata', async () => {
    const uploadToken = await requestUpload({ folder: '', filename: 'secret.bin' });
    const id = await createUpload(3, uploadToken);
    const head = await tus('HEAD', `/files/${id}`);
    const stored = String(head.headers['upload-metadata']);
    expect(stored).not.toContain(Buffer.from(inject('adminToken')).toString('base64'));
    expect(stored).not.toContain(Buffer.from(uploadToken).toString('base64'));
  });

  it("does not show the owner's token id in the HEAD reply, and still checks the owner (issue 8 item 4)", async () => {
    const created = await call('POST', '/Admin/CreateToken', { form: { name: 'uploader', capabilities: 'CanUpload' } });
    const { token, id: tokenId } = created.json<{ token: string; id: string | number }>();
    const uploadToken = await requestUpload({ folder: '', filename: 'owner.bin' }, token);
    const id = await createUpload(6, uploadToken, token);
    const head = await tus('HEAD', `/files/${id}`);
    expect(head.status).toBe(200);
    const pairs = String(head.headers['upload-metadata'] ?? '')
      .split(',')
      .map((pair) => pair.trim().split(' '));
    expect(pairs.map(([key]) => key?.toLowerCase())).not.toContain('apitokenid');
    const values = pairs.map(([, value]) => Buffer.from(value ?? '', 'base64').toString('utf8'));
    expect(values).not.toContain(String(tokenId));
    expect((await patch(id, 0, Buffer.alloc(3))).status).toBe(204);
    await call('POST', '/Api/GiveUpToken', { token });
    expect((await patch(id, 3, Buffer.alloc(3))).status).toBe(403);
  });
});

describe('FinishUpload refusals', () => {
  it('refuses an unknown token, an unknown id, another upload token and another API token', async () => {
    const uploadToken = await requestUpload({ folder: '', filename: 'finish.bin' });
    const id = await createUpload(4, uploadToken);
    await sendAll(id, Buffer.from('four'));
    expect(await finishUpload(id, 'nope')).toBe('"Unknown or expired upload token"');
    expect(await finishUpload('0'.repeat(32), uploadToken)).toBe(
      '"Unknown upload \\"00000000000000000000000000000000\\""',
    );
    expect(await finishUpload('../../etc/passwd', uploadToken)).toBe('"Unknown upload \\"../../etc/passwd\\""');
    const second = await requestUpload({ folder: '', filename: 'finish.bin' });
    expect(await finishUpload(id, second)).toBe('"This upload was not made with that upload token"');
    const otherApiToken = await createToken({ capabilities: 'CanUpload' });
    const reply = await call('POST', '/Api/FinishUpload', { token: otherApiToken, form: { id, token: uploadToken } });
    expect(reply.status).toBe(403);
    expect(await finishUpload(id, uploadToken)).toBe('"OK"');
  });
});
