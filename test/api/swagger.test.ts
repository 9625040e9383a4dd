import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes/manifest.js';
import { call } from '../support/http-client.js';

describe('OpenAPI and Swagger UI', () => {
  it('serves an OpenAPI 3 document listing every route', async () => {
    const reply = await call('GET', '/swagger/v1/swagger.json', { token: null });
    expect(reply.status).toBe(200);
    const document = reply.json<{ openapi: string; info: unknown; paths: Record<string, Record<string, unknown>> }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toBeTruthy();
    for (const route of ROUTES) {
      for (const method of route.methods) expect(document.paths[route.path]?.[method.toLowerCase()]).toBeTruthy();
    }
  });

  it('serves the Swagger UI page and its assets itself', async () => {
    const page = await call('GET', '/swagger', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(source.startsWith('/swagger/assets/')).toBe(true); // no CDN
      const asset = await call('GET', source, { token: null });
      expect(asset.status, source).toBe(200);
      expect(asset.body.length).toBeGreaterThan(100);
    }
  });

  it('serves only the files on its list', async () => {
    for (const name of ['package.json', '..%2Fpackage.json', 'index.html']) {
      expect((await call('GET', `/swagger/assets/${name}`, { token: null })).status).toBe(404);
    }
  });
});
