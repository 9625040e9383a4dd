import type { Invocable } from '../http/route-server.js';
import { ROUTES } from '../routes/manifest.js';
import { isLargeBodyRoute, type RouteDefinition } from '../routes/route-definition.js';

/** Routes whose bodies may pass Lambda's 6 MB: in the cloud, CloudFront sends them to the container service. */
export function largeBodyRoutes(routes: readonly RouteDefinition[] = ROUTES): RouteDefinition[] {
  return routes.filter(isLargeBodyRoute);
}

/**
 * Their handler modules, imported by name so that the container's bundle carries them (a bundler cannot follow
 * the manifest's file names). test/unit/routes/large-body-routes.test.ts keeps this table and the manifest
 * in step.
 */
export const LARGE_BODY_HANDLERS: Record<string, () => Promise<{ handler: unknown }>> = {
  'functions/api/results/upload-results.ts': () => import('../api/results/upload-results.js'),
  'functions/api/qupath/anno-answer.ts': () => import('../api/qupath/anno-answer.js'),
  'functions/api/asap/upload-asap-annotations.ts': () => import('../api/asap/upload-asap-annotations.js'),
};

/** Loads the handler of every large-body route, keyed by handler module. */
export async function loadLargeBodyHandlers(routes: readonly RouteDefinition[]): Promise<Map<string, Invocable>> {
  const handlers = new Map<string, Invocable>();
  for (const route of routes) {
    const load = LARGE_BODY_HANDLERS[route.handler];
    if (!load) throw new Error(`No large-body handler import for ${route.handler}; add it to LARGE_BODY_HANDLERS`);
    handlers.set(route.handler, (await load()).handler as Invocable);
  }
  return handlers;
}
