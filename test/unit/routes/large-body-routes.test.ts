import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes/manifest.js';
import { DEFAULT_BODY_MB, LARGE_BODY_MB } from '../../../functions/routes/route-definition.js';
import { LARGE_BODY_HANDLERS, largeBodyRoutes } from '../../../functions/tus/large-body-routes.js';

describe('large-body routes', () => {
  it('the container imports the handler of exactly the routes that allow more than Lambda takes', () => {
    expect(Object.keys(LARGE_BODY_HANDLERS).sort()).toEqual(
      largeBodyRoutes()
        .map((route) => route.handler)
        .sort(),
    );
  });

  it('no route allows more than LARGE_BODY_MB, and none less than 1 MB', () => {
    for (const route of ROUTES) {
      const limit = (route as { maxBodyMb?: number }).maxBodyMb ?? DEFAULT_BODY_MB;
      expect(limit, route.id).toBeGreaterThanOrEqual(1);
      expect(limit, route.id).toBeLessThanOrEqual(LARGE_BODY_MB);
    }
  });

  it('each imported handler module exports a handler', async () => {
    for (const load of Object.values(LARGE_BODY_HANDLERS)) expect(typeof (await load()).handler).toBe('function');
  });
});
