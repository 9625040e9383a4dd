import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoute } from '../../../functions/routes/match.js';

const routes = compileRoutes([
  { path: '/Api/Studies' },
  { path: '/swagger/assets/{file}' },
  { path: '/swagger/v1/swagger.json' },
  { path: '/i/{imageId}/{urlPart}/i_files/{level}/{tile}' },
  { path: '/i/{imageId}/{urlPart}/{level}/{tile}' },
]);

describe('matchRoute', () => {
  it('ignores the case of literal segments and gives the canonical path', () => {
    const match = matchRoute(routes, '/api/STUDIES');
    expect(match?.route.path).toBe('/Api/Studies');
    expect(match?.canonicalPath).toBe('/Api/Studies');
  });

  it('ignores a trailing slash', () => {
    expect(matchRoute(routes, '/Api/Studies/')?.route.path).toBe('/Api/Studies');
  });

  it('decodes path parameters and keeps their case', () => {
    const match = matchRoute(routes, '/swagger/assets/Swagger%20UI.css');
    expect(match?.pathParameters).toEqual({ file: 'Swagger UI.css' });
  });

  it('prefers the route with more literal segments', () => {
    expect(matchRoute(routes, '/i/1/abc/i_files/12/3_4.jpeg')?.route.path).toBe(
      '/i/{imageId}/{urlPart}/i_files/{level}/{tile}',
    );
  });

  it('refuses a segment that is not valid percent-encoding', () => {
    expect(matchRoute(routes, '/swagger/assets/%E0%A4%A')).toBeUndefined();
  });

  it('matches nothing else', () => {
    expect(matchRoute(routes, '/Api/Studies/extra')).toBeUndefined();
    expect(matchRoute(routes, '/')).toBeUndefined();
  });
});
