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
 * Every HTTP endpoint of the server, in one table made of one table per area (`areas/`). The CDK stack makes
 * one Lambda function per entry and one API Gateway route per (entry, method); the embedded runtime mounts the
 * same handler modules; the OpenAPI document is generated from it. Adding an endpoint is one entry in its
 * area's table plus one handler file.
 */
export const ROUTES = [
  ...TOKENS_ROUTES,
  ...UPLOADS_ROUTES,
  ...STUDIES_ROUTES,
  ...STUDY_ADMIN_ROUTES,
  ...RESULTS_ROUTES,
  ...PIXELS_ROUTES,
  ...SCREENSHOT_ROUTES,
  ...EXTERNAL_VIEWER_ROUTES,
  ...ATTACHMENTS_ROUTES,
  ...DOMAINS_ROUTES,
  ...ANNO2_ROUTES,
  ...ASAP_ROUTES,
  ...SWAGGER_ROUTES,
  ...SLIDE_ADMIN_ROUTES,
  ...USERS_ROUTES,
  ...VIEWER_ROUTES,
  ...REVIEWING_ROUTES,
] as const satisfies readonly RouteDefinition[];

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
