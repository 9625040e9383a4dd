import type { Capability } from '../auth/capabilities.js';

export type HttpMethod = 'GET' | 'POST';

export interface ParameterDoc {
  name: string;
  required?: boolean;
  description: string;
}

/**
 * How a route answers, which decides how it refuses (the reply table in docs/api.md):
 * - `success`: a `{"success":…}` object (or SetSlideDescription's `{}`). A logical error (bad or missing
 *   parameter, unknown object, refused content) is HTTP 200 `{"success":false,"log":"…"}`, as Slide Score
 *   answers, so SDK helpers raise their own exception with the reason.
 * - `string`: a bare JSON string (`"OK"`, or the reason). A logical error is HTTP 200 and the reason as a
 *   bare JSON string: clients test whether the body starts with `"`.
 * - `data`: an array, bytes, XML, TSV or a keyed object without `success`. A logical error is 400 or 404
 *   with `{"success":false,"log":"…"}`, so `raise_for_status()` fires and no refusal is saved as a `.jpg`.
 * Missing or bad token (401), missing capability or study (403) and server faults (5xx) keep their status
 * on every kind.
 */
export type ReplyKind = 'success' | 'string' | 'data';

export interface RouteDefinition {
  /** Unique, PascalCase; names the Lambda function and the OpenAPI operation. */
  id: string;
  methods: readonly HttpMethod[];
  /**
   * Canonical path, matched case-insensitively (ASP.NET routing ignores case and clients rely on it).
   * `{name}` matches one segment.
   */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  handler: string;
  reply: ReplyKind;
  /**
   * `token`: needs a valid bearer token (and `capability`, when given). `public`: no token. `session`: a web
   * page or form of the viewer, for a person signed in with the session cookie (functions/web/session.ts).
   */
  auth: 'token' | 'public' | 'session';
  capability?: Capability;
  memoryMb: number;
  timeoutSeconds: number;
  /** A longer limit for `npm start`, where the route does work the cloud does not (see FinishUpload). */
  localTimeoutSeconds?: number;
  summary: string;
  params?: readonly ParameterDoc[];
  /**
   * The largest request body the route accepts, in MB (default `DEFAULT_BODY_MB`, within Lambda's 6 MB
   * request payload). A route that allows more (up to `LARGE_BODY_MB`) is served in the cloud by the container
   * service behind the same CloudFront, running the same handler code; `npm start` serves it in process.
   */
  maxBodyMb?: number;
  /** Static files the handler reads at run time, copied next to the bundle. */
  assets?: 'swagger-ui' | 'viewer';
  /** The response is not JSON (HTML, JavaScript, CSS, JPEG…); documented as such. */
  produces?: string;
}

/** Lambda's synchronous request payload is 6 MB, and API Gateway may hand the body over in base64 (4/3 larger). */
export const DEFAULT_BODY_MB = 4;
/** The most any route accepts: UploadResults and UploadASAPAnnotations files of up to 100 MB. */
export const LARGE_BODY_MB = 100;

/** A route that may take more than Lambda does: served by the container service in the cloud. */
export function isLargeBodyRoute(route: Pick<RouteDefinition, 'maxBodyMb'>): boolean {
  return (route.maxBodyMb ?? DEFAULT_BODY_MB) > DEFAULT_BODY_MB;
}

export const READ = ['GET', 'POST'] as const;
export const WRITE = ['POST'] as const;
export const SMALL = { memoryMb: 256, timeoutSeconds: 10 };
