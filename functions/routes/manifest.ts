import type { Capability } from '../auth/capabilities.js';

/**
 * Every HTTP endpoint of the server, in one table. The CDK stack makes one Lambda function per entry and one
 * API Gateway route per (entry, method); the embedded runtime mounts the same handler modules; the OpenAPI
 * document is generated from it. Adding an endpoint is one entry here plus one handler file.
 */
export type HttpMethod = 'GET' | 'POST';

export interface ParameterDoc {
  name: string;
  required?: boolean;
  description: string;
}

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
  /** `token`: needs a valid bearer token (and `capability`, when given). `public`: no token. */
  auth: 'token' | 'public';
  capability?: Capability;
  memoryMb: number;
  timeoutSeconds: number;
  summary: string;
  params?: readonly ParameterDoc[];
  /** Static files the handler reads at run time, copied next to the bundle. */
  assets?: 'swagger-ui';
  /** The response is not JSON (HTML, JavaScript, CSS, JPEG…); documented as such. */
  produces?: string;
}

const READ = ['GET', 'POST'] as const;
const WRITE = ['POST'] as const;
const SMALL = { memoryMb: 256, timeoutSeconds: 10 };

export const ROUTES = [
  {
    id: 'Studies',
    methods: READ,
    path: '/Api/Studies',
    handler: 'functions/api/studies/list-studies.ts',
    auth: 'token',
    ...SMALL,
    summary: 'Lists the studies this token may access.',
  },
  {
    id: 'CreateToken',
    methods: WRITE,
    path: '/Admin/CreateToken',
    handler: 'functions/api/tokens/create-token.ts',
    auth: 'token',
    capability: 'CanManageTokens',
    ...SMALL,
    summary: 'Creates an API token. It can hold no capability or study the calling token does not hold.',
    params: [
      { name: 'name', required: true, description: 'What the token is for.' },
      {
        name: 'expiresOn',
        description: 'ISO 8601 date or date-time; a bare date means the end of that day (UTC). Default: one year.',
      },
      { name: 'capabilities', description: 'Comma-separated capability names, e.g. CanGetResults,CanGetPixels.' },
      { name: 'studies', description: 'Comma-separated study IDs the token is limited to; empty means all.' },
    ],
  },
  {
    id: 'ListTokens',
    methods: READ,
    path: '/Admin/Tokens',
    handler: 'functions/api/tokens/list-tokens.ts',
    auth: 'token',
    capability: 'CanManageTokens',
    ...SMALL,
    summary: 'Lists every API token (never the token text itself), newest first.',
  },
  {
    id: 'AdminGiveupToken',
    methods: WRITE,
    path: '/Admin/GiveupToken',
    handler: 'functions/api/tokens/give-up-token-by-value.ts',
    auth: 'public',
    ...SMALL,
    summary: 'Revokes the token sent as the `token` form field; holding a token is the right to give it up.',
    params: [{ name: 'token', required: true, description: 'The API token to revoke.' }],
  },
  {
    id: 'GiveUpToken',
    methods: WRITE,
    path: '/Api/GiveUpToken',
    handler: 'functions/api/tokens/give-up-token.ts',
    auth: 'token',
    ...SMALL,
    summary: 'Revokes the bearer token of this call.',
  },
  {
    id: 'GetTokenExpiry',
    methods: READ,
    path: '/Api/GetTokenExpiry',
    handler: 'functions/api/tokens/get-token-expiry.ts',
    auth: 'token',
    ...SMALL,
    summary: 'When the bearer token expires: {"success":true,"expiresOn":"<ISO 8601>"}.',
  },
  {
    id: 'RequestUpload',
    methods: WRITE,
    path: '/Api/RequestUpload',
    handler: 'functions/api/uploads/request-upload.ts',
    auth: 'token',
    capability: 'CanUpload',
    ...SMALL,
    summary:
      'Step 1 of an upload: {"token":"<upload token>"} for one file in the root or one folder below it; a refusal is a bare JSON string. Then send the file with tus to /files/ (metadata uploadtoken and apitoken) and call FinishUpload.',
    params: [
      { name: 'filename', required: true, description: 'File name (no folders), at most 255 bytes.' },
      {
        name: 'folder',
        required: true,
        description: '"" for the upload root, or one folder name; a new folder needs CanCreateFolders.',
      },
      { name: 'studyId', description: 'The study the file is for; checked against the token.' },
    ],
  },
  {
    id: 'FinishUpload',
    methods: WRITE,
    path: '/Api/FinishUpload',
    handler: 'functions/api/uploads/finish-upload.ts',
    auth: 'token',
    capability: 'CanUpload',
    ...SMALL,
    timeoutSeconds: 29,
    summary:
      'Step 3 of an upload: commits the finished tus upload to its path. Replies exactly "OK" (also when called again).',
    params: [
      { name: 'id', required: true, description: 'The tus file id: the last segment of the upload URL.' },
      { name: 'token', required: true, description: 'The upload token from RequestUpload.' },
    ],
  },
  // ── Studies: listing, configuration, slides, questions, TMA maps, Reimport ──
  // ── Results: Scores, UploadResults, GetStudiesUpdated ──
  // ── Swagger ──
  {
    id: 'OpenApiDocument',
    methods: ['GET'],
    path: '/swagger/v1/swagger.json',
    handler: 'functions/api/swagger/openapi-document.ts',
    auth: 'public',
    ...SMALL,
    summary: 'This OpenAPI 3 document.',
  },
  {
    id: 'SwaggerUi',
    methods: ['GET'],
    path: '/swagger',
    handler: 'functions/api/swagger/swagger-ui-page.ts',
    auth: 'public',
    ...SMALL,
    summary: 'Swagger UI for this API.',
    produces: 'text/html',
  },
  {
    id: 'SwaggerUiAsset',
    methods: ['GET'],
    path: '/swagger/assets/{file}',
    handler: 'functions/api/swagger/swagger-ui-asset.ts',
    auth: 'public',
    ...SMALL,
    summary: 'Script, style and icon files of the Swagger UI, served by this server (no CDN).',
    assets: 'swagger-ui',
    produces: 'application/javascript',
  },
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
];

export function routeById(id: RouteId): RouteDefinition {
  const route = ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`No route ${id} in the manifest`);
  return route;
}
