import type { RouteDefinition } from '../functions/routes/manifest.js';
import { compileRoutes } from '../functions/routes/match.js';

/** CloudFront Functions reject code over 10 KB; fail the synth rather than the deployment. */
export const MAX_FUNCTION_CODE_BYTES = 10 * 1024;

/**
 * Source of a CloudFront Function (viewer request, cloudfront-js-2.0) that rewrites every literal path segment
 * to the manifest's case, so `/api/studies/` reaches API Gateway, whose paths are case-sensitive, as
 * `/Api/Studies`. It mirrors `matchRoute`: routes in compileRoutes' order (more literal segments first), empty
 * segments and a trailing slash ignored, parameters passed through untouched. Unmatched paths are left alone
 * and reach the not-found function. The query string is not part of `request.uri`, so it is never touched.
 * It also copies the viewer's Host to `x-forwarded-host`, which the origin policy passes on (Host it does not).
 */
export function pathCaseFunctionCode(routes: readonly Pick<RouteDefinition, 'path'>[]): string {
  // Routes grouped by segment count; a parameter segment is 0, a literal its canonical spelling.
  const bySegmentCount: Record<number, (string | 0)[][]> = {};
  for (const { segments } of compileRoutes(routes)) {
    bySegmentCount[segments.length] ??= [];
    bySegmentCount[segments.length]?.push(segments.map((segment) => ('literal' in segment ? segment.canonical : 0)));
  }
  const code = `var ROUTES = ${JSON.stringify(bySegmentCount)};
function handler(event) {
  var request = event.request;
  // API Gateway gets its own Host; links the API builds (QuPath's) need the viewer's.
  if (request.headers.host) request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  var parts = request.uri.split('/').filter(function (part) { return part !== ''; });
  var candidates = ROUTES[parts.length] || [];
  for (var i = 0; i < candidates.length; i++) {
    var route = candidates[i];
    var canonical = [];
    for (var j = 0; j < route.length; j++) {
      if (route[j] === 0) {
        canonical.push(parts[j]);
      } else if (parts[j].toLowerCase() === route[j].toLowerCase()) {
        canonical.push(route[j]);
      } else {
        canonical = null;
        break;
      }
    }
    if (canonical) {
      request.uri = '/' + canonical.join('/');
      return request;
    }
  }
  return request;
}
`;
  const size = Buffer.byteLength(code);
  if (size > MAX_FUNCTION_CODE_BYTES) {
    throw new Error(`The path-case CloudFront Function is ${size} bytes; CloudFront allows ${MAX_FUNCTION_CODE_BYTES}`);
  }
  return code;
}
