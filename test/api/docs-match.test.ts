import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../functions/local/handler-loader.js';
import { DEFAULT_BODY_MB } from '../../functions/routes/route-definition.js';
import { largeBodyRoutes } from '../../functions/tus/large-body-routes.js';
import { call } from '../support/http-client.js';
import { tus } from '../support/tus-client.js';

/** Statements of the docs that the server's behaviour can contradict, checked against it. */
const read = (path: string) => readFileSync(join(REPOSITORY_ROOT, path), 'utf8');

describe('the docs', () => {
  it('README links every document in docs/', () => {
    const readme = read('README.md');
    for (const doc of readdirSync(join(REPOSITORY_ROOT, 'docs')).filter((name) => name.endsWith('.md'))) {
      expect(readme, `README does not link docs/${doc}`).toContain(`](docs/${doc})`);
    }
  });

  it("api.md's body-limit table gives every route's limit", () => {
    const table = read('docs/api.md').split('### Request body limits')[1]?.split('###')[0] ?? '';
    const rows = new Map(
      [...table.matchAll(/^\| (.+?) +\| (\d+) MB +\|/gm)].map((m) => [m[1]?.replaceAll('`', ''), Number(m[2])]),
    );
    expect(rows.get('every route not below')).toBe(DEFAULT_BODY_MB);
    const large = largeBodyRoutes();
    expect([...rows.keys()].filter((name) => name !== 'every route not below').sort()).toEqual(
      large.map((route) => route.id).sort(),
    );
    for (const route of large) expect(rows.get(route.id), route.id).toBe(route.maxBodyMb);
  });

  it('uploads.md lists the Tus-Extension header the server sends', async () => {
    const documented = read('docs/uploads.md').match(/`Tus-Extension` \(`([^`]+)`\)/)?.[1];
    const reply = await tus('OPTIONS', '/files/');
    expect(documented).toBe(reply.headers['tus-extension']);
  });

  it('uploads.md: RequestUpload takes no folder as the upload root, as its table says', async () => {
    expect(read('docs/uploads.md')).toMatch(/\| `folder` +\| no +\| `""` \(the default\) for the upload root/);
    const reply = await call('POST', '/Api/RequestUpload', { form: { filename: 'study.docs-check.emails' } });
    expect(reply.json()).toEqual({ token: expect.any(String) });
  });

  it('tus replies carry the x-request-id that api.md promises', async () => {
    const reply = await tus('OPTIONS', '/files/');
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uploads.md shows the curl upload that the quickstart test runs', () => {
    const uploadFunction = (doc: string) => doc.match(/^upload\(\) \{[\s\S]*?^\}$/m)?.[0];
    const quickstart = uploadFunction(read('docs/quickstart.md'));
    expect(quickstart).toBeDefined();
    expect(uploadFunction(read('docs/uploads.md'))).toBe(quickstart);
  });
});
