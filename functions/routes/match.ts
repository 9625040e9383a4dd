import type { RouteDefinition } from './manifest.js';

type Segment = { literal: string; canonical: string } | { parameter: string };

export interface CompiledRoute<R extends Pick<RouteDefinition, 'path'> = RouteDefinition> {
  route: R;
  segments: Segment[];
}

export interface RouteMatch<R extends Pick<RouteDefinition, 'path'> = RouteDefinition> {
  route: R;
  pathParameters: Record<string, string>;
  /** The request path with every literal segment in the manifest's case. */
  canonicalPath: string;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Routes with more literal segments are tried first, so `/a/b` wins over `/a/{x}`. */
export function compileRoutes<R extends Pick<RouteDefinition, 'path'>>(routes: readonly R[]): CompiledRoute<R>[] {
  return routes
    .map((route) => ({
      route,
      segments: splitPath(route.path).map((segment): Segment => {
        const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
        return parameter ? { parameter } : { literal: segment.toLowerCase(), canonical: segment };
      }),
    }))
    .sort((a, b) => literalCount(b) - literalCount(a));
}

function literalCount(route: CompiledRoute<Pick<RouteDefinition, 'path'>>): number {
  return route.segments.filter((s) => 'literal' in s).length;
}

/** Matches a raw (still percent-encoded) path, ignoring case in literal segments and a trailing slash. */
export function matchRoute<R extends Pick<RouteDefinition, 'path'>>(
  routes: readonly CompiledRoute<R>[],
  rawPath: string,
): RouteMatch<R> | undefined {
  const parts = splitPath(rawPath);
  for (const { route, segments } of routes) {
    if (segments.length !== parts.length) continue;
    const pathParameters: Record<string, string> = {};
    const canonical: string[] = [];
    let matched = true;
    for (const [index, segment] of segments.entries()) {
      const part = parts[index] as string;
      if ('literal' in segment) {
        if (part.toLowerCase() !== segment.literal) {
          matched = false;
          break;
        }
        canonical.push(segment.canonical);
      } else {
        const value = safeDecode(part);
        if (value === undefined) {
          matched = false;
          break;
        }
        pathParameters[segment.parameter] = value;
        canonical.push(part);
      }
    }
    if (matched) return { route, pathParameters, canonicalPath: `/${canonical.join('/')}` };
  }
  return undefined;
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
