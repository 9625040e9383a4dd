import { EXPORT_JOBS_PREFIX } from '../scores/export-settings.js';
import { ANNO2_ROUTES } from './areas/anno2.js';
import { ASAP_ROUTES } from './areas/asap.js';
import { ATTACHMENTS_ROUTES } from './areas/attachments.js';
import { DOMAINS_ROUTES } from './areas/domains.js';
import { EXTERNAL_VIEWER_ROUTES } from './areas/external-viewers.js';
import { PIXELS_ROUTES } from './areas/pixels.js';
import { RESULTS_ROUTES } from './areas/results.js';
import { REVIEWING_ROUTES } from './areas/reviewing.js';
import { SCREENSHOT_ROUTES } from './areas/screenshots.js';
import { SLIDE_ADMIN_ROUTES } from './areas/slide-admin.js';
import { STUDIES_ROUTES } from './areas/studies.js';
import { STUDY_ADMIN_ROUTES } from './areas/study-admin.js';
import { SWAGGER_ROUTES } from './areas/swagger.js';
import { TOKENS_ROUTES } from './areas/tokens.js';
import { UPLOADS_ROUTES } from './areas/uploads.js';
import { USERS_ROUTES } from './areas/users.js';
import { VIEWER_ROUTES } from './areas/viewer.js';
import { type RouteDefinition, SMALL } from './route-definition.js';

export type { HttpMethod, ParameterDoc, ReplyKind, RouteDefinition } from './route-definition.js';

/**
 * The route tables by area. The CDK stack deploys each area's functions and routes as one nested stack, so
 * that the stack stays under CloudFormation's 500 resources however many endpoints there are; a route's area
 * is where its function lives, so keep a route in its area once deployed.
 */
export const ROUTE_AREAS = {
  tokens: TOKENS_ROUTES,
  uploads: UPLOADS_ROUTES,
  studies: STUDIES_ROUTES,
  studyAdmin: STUDY_ADMIN_ROUTES,
  results: RESULTS_ROUTES,
  pixels: PIXELS_ROUTES,
  screenshots: SCREENSHOT_ROUTES,
  externalViewers: EXTERNAL_VIEWER_ROUTES,
  attachments: ATTACHMENTS_ROUTES,
  domains: DOMAINS_ROUTES,
  anno2: ANNO2_ROUTES,
  asap: ASAP_ROUTES,
  swagger: SWAGGER_ROUTES,
  slideAdmin: SLIDE_ADMIN_ROUTES,
  users: USERS_ROUTES,
  viewer: VIEWER_ROUTES,
  reviewing: REVIEWING_ROUTES,
} as const satisfies Record<string, readonly RouteDefinition[]>;

/**
 * Every HTTP endpoint of the server, in one table made of the area tables. The CDK stack makes one Lambda
 * function per entry and one API Gateway route per (entry, method); the embedded runtime mounts the same
 * handler modules; the OpenAPI document is generated from it. Adding an endpoint is one entry in its area's
 * table plus one handler file.
 */
export const ROUTES = Object.values(ROUTE_AREAS).flat() satisfies readonly RouteDefinition[];

export type RouteId = (typeof ROUTES)[number]['id'];

/** Answers every request no route matches: a JSON 404 (API Gateway's `$default` route in the cloud). */
export const NOT_FOUND_ROUTE = {
  id: 'NotFound',
  handler: 'functions/api/not-found.ts',
  ...SMALL,
} as const;

/** Functions run on S3 events of the bucket (in `npm start`, on s3rver's events). */
export interface EventSubscription {
  id: string;
  handler: string;
  /** Only objects whose keys start with this. */
  prefix: string;
  memoryMb: number;
  timeoutSeconds: number;
}

/**
 * FinishUpload writes a small marker object under `files/<folder>/<filename>` when it commits a path, so this
 * fires once per committed file and never for tus chunks or internal objects.
 */
export const COMMITTED_FILES_PREFIX = 'files/';

export const EVENT_SUBSCRIPTIONS: readonly EventSubscription[] = [
  {
    id: 'FileCommitted',
    handler: 'functions/events/file-committed.ts',
    prefix: COMMITTED_FILES_PREFIX,
    memoryMb: 1024,
    timeoutSeconds: 300,
  },
  {
    // The background Scores export: one full vCPU (an export is CPU-bound in Node) for up to Lambda's 15 minutes.
    id: 'ExportScores',
    handler: 'functions/events/export-requested.ts',
    prefix: EXPORT_JOBS_PREFIX,
    memoryMb: 1769,
    timeoutSeconds: 900,
  },
];

export function routeById(id: RouteId): RouteDefinition {
  const route = ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`No route ${id} in the manifest`);
  return route;
}
