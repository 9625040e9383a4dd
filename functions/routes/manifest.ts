import type { Capability } from '../auth/capabilities.js';
import { EXPORT_JOBS_PREFIX } from '../scores/export-settings.js';

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
  /** A longer limit for `npm start`, where the route does work the cloud does not (see FinishUpload). */
  localTimeoutSeconds?: number;
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
    // The cloud commits without copying; `npm start` moves the file into its S3 (~150-300 MB/s here).
    localTimeoutSeconds: 3600,
    summary:
      'Step 3 of an upload: commits the finished tus upload to its path. Replies exactly "OK" (also when called again).',
    params: [
      { name: 'id', required: true, description: 'The tus file id: the last segment of the upload URL.' },
      { name: 'token', required: true, description: 'The upload token from RequestUpload.' },
    ],
  },
  // ── Studies: listing, configuration, slides, questions, TMA maps, Reimport ──
  {
    id: 'Images',
    methods: READ,
    path: '/Api/Images',
    handler: 'functions/api/studies/list-images.ts',
    auth: 'token',
    memoryMb: 512,
    timeoutSeconds: 29,
    summary:
      "The study's slides: [{id, name, fileName, fileSize, studyID, caseID?, caseName?, tmaMap?, rotation, format, addedOn}].",
    params: [{ name: 'studyid', required: true, description: 'Study ID.' }],
  },
  {
    id: 'Cases',
    methods: READ,
    path: '/Api/Cases',
    handler: 'functions/api/studies/list-cases.ts',
    auth: 'token',
    ...SMALL,
    summary: "The study's cases: [{id, name}].",
    params: [{ name: 'studyid', required: true, description: 'Study ID.' }],
  },
  {
    id: 'Questions',
    methods: READ,
    path: '/Api/Questions',
    handler: 'functions/api/studies/list-questions.ts',
    auth: 'token',
    ...SMALL,
    summary: "The study's questions in scoring-sheet order: [{id, name, typeName, valuesAllowed, order}].",
    params: [{ name: 'studyId', required: true, description: 'Study ID.' }],
  },
  {
    id: 'GetConfig',
    methods: READ,
    path: '/Api/GetConfig',
    handler: 'functions/api/studies/get-config.ts',
    auth: 'token',
    capability: 'CanGetConfig',
    memoryMb: 512,
    timeoutSeconds: 29,
    summary: 'The whole study as an object graph: {"success":true,"config":{…}}; config.scores are the questions.',
    params: [{ name: 'studyid', required: true, description: 'Study ID.' }],
  },
  {
    id: 'GetConfigFiles',
    methods: READ,
    path: '/Api/GetConfigFiles',
    handler: 'functions/api/studies/get-config-files.ts',
    auth: 'token',
    capability: 'CanGetConfig',
    memoryMb: 512,
    timeoutSeconds: 29,
    summary:
      'The study\'s configuration as files, generated from the database: {"success":true,"files":{"study.<name>.emails":"…",…}}.',
    params: [{ name: 'studyid', required: true, description: 'Study ID.' }],
  },
  {
    id: 'Reimport',
    methods: WRITE,
    path: '/Api/Reimport',
    handler: 'functions/api/studies/reimport.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary:
      'Creates or adds to a study from its config files and folder: {"success":true,"id":N,"log":"…"}. Never removes anything.',
    params: [
      { name: 'studyName', required: true, description: 'The <name> of study.<name>.* files.' },
      { name: 'ignoreImageErrors', description: 'true: unreadable or missing slides are warnings, not failures.' },
    ],
  },
  {
    id: 'GetImportLogs',
    methods: READ,
    path: '/Api/GetImportLogs',
    handler: 'functions/api/studies/get-import-logs.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'The latest import logs of a study, Reimport calls and automatic imports, newest first.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'count', description: 'How many (default 20, at most 100).' },
    ],
  },
  {
    id: 'AddSlide',
    methods: WRITE,
    path: '/Api/AddSlide',
    handler: 'functions/api/studies/add-slide.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'Adds one uploaded slide to a study: {"success":true,"id":N,"isOOF":false}.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'path', required: true, description: 'Upload path of the slide, e.g. MyStudy/slide.svs.' },
    ],
  },
  {
    id: 'GetSlidePath',
    methods: READ,
    path: '/Api/GetSlidePath',
    handler: 'functions/api/studies/get-slide-path.ts',
    auth: 'token',
    capability: 'CanGetConfig',
    ...SMALL,
    summary: 'The slide\'s upload path: {"success":true,"path":"…"}.',
    params: [{ name: 'imageId', required: true, description: 'Image ID.' }],
  },
  {
    id: 'UpdateSlidePath',
    methods: WRITE,
    path: '/Api/UpdateSlidePath',
    handler: 'functions/api/studies/update-slide-path.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'Points an image at another uploaded slide file.',
    params: [
      { name: 'imageId', required: true, description: 'Image ID.' },
      { name: 'newPath', required: true, description: 'Upload path of the new file.' },
    ],
  },
  {
    id: 'UpdateSlideName',
    methods: WRITE,
    path: '/Api/UpdateSlideName',
    handler: 'functions/api/studies/update-slide-name.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'Renames an image.',
    params: [
      { name: 'imageId', required: true, description: 'Image ID.' },
      { name: 'newName', required: true, description: 'The new name.' },
    ],
  },
  {
    id: 'GetSlideDescription',
    methods: READ,
    path: '/Api/GetSlideDescription',
    handler: 'functions/api/studies/get-slide-description.ts',
    auth: 'token',
    ...SMALL,
    summary: 'The slide\'s description (HTML): {"success":true,"description":"…"}.',
    params: [{ name: 'imageId', required: true, description: 'Image ID.' }],
  },
  {
    id: 'SetSlideDescription',
    methods: WRITE,
    path: '/Api/SetSlideDescription',
    handler: 'functions/api/studies/set-slide-description.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: "Sets the slide's description, reduced to the allowed HTML tags. Replies exactly {}.",
    params: [
      { name: 'imageId', required: true, description: 'Image ID.' },
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'description', required: true, description: 'HTML.' },
    ],
  },
  {
    id: 'GetCaseDescription',
    methods: READ,
    path: '/Api/GetCaseDescription',
    handler: 'functions/api/studies/get-case-description.ts',
    auth: 'token',
    ...SMALL,
    summary: "The case's description (HTML).",
    params: [{ name: 'caseId', required: true, description: 'Case ID.' }],
  },
  {
    id: 'AddQuestion',
    methods: WRITE,
    path: '/Api/AddQuestion',
    handler: 'functions/api/studies/add-question.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'Adds a question from one .scores line: {"success":true,"id":<scoreId>}.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'questionSpec', required: true, description: 'name<TAB>type<TAB>config, or name;type;config.' },
    ],
  },
  {
    id: 'UpdateQuestion',
    methods: WRITE,
    path: '/Api/UpdateQuestion',
    handler: 'functions/api/studies/update-question.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'Changes a question and its position.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'scoreId', required: true, description: 'Question ID.' },
      { name: 'order', required: true, description: 'New position, from 0.' },
      { name: 'questionSpec', required: true, description: 'One .scores line.' },
    ],
  },
  {
    id: 'RemoveQuestion',
    methods: WRITE,
    path: '/Api/RemoveQuestion',
    handler: 'functions/api/studies/remove-question.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'Takes a question off the scoring sheet (its answers are kept).',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'scoreId', required: true, description: 'Question ID.' },
    ],
  },
  {
    id: 'CreateTMAMap',
    methods: WRITE,
    path: '/Api/CreateTMAMap',
    handler: 'functions/api/studies/create-tma-map.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: 'Reads an uploaded TMA map file into the study: {"success":true,"mapName":"…"}.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'tmaMapFileName', required: true, description: 'Upload path of the map file.' },
    ],
  },
  {
    id: 'SetSlideTMAMap',
    methods: WRITE,
    path: '/Api/SetSlideTMAMap',
    handler: 'functions/api/studies/set-slide-tma-map.ts',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary: "Attaches a study's TMA map to a slide.",
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'imageId', required: true, description: 'Image ID.' },
      { name: 'tmaMapName', required: true, description: "The map's name (from CreateTMAMap)." },
    ],
  },
  // ── Results: Scores, UploadResults, GetStudiesUpdated ──
  {
    id: 'Scores',
    methods: READ,
    path: '/Api/Scores',
    handler: 'functions/api/results/scores.ts',
    auth: 'token',
    capability: 'CanGetResults',
    // One full vCPU (Lambda gives 1 vCPU at 1,769 MB): an export is CPU-bound in Node, ≈ 9 s of CPU per million
    // answers measured (bench/results-scale.ts), and must finish within the 29 s of an API call.
    memoryMb: 1769,
    timeoutSeconds: 29,
    summary:
      'The answers of a study: a JSON array when Accept contains application/json, else TSV. Exports over 5 MB or ' +
      '20 s run in the background: the reply is a 303 to a waiting URL (/Api/Scores/Export/{jobId}), which ' +
      'redirects to the finished export.',
    params: [
      { name: 'studyid', required: true, description: 'Study ID.' },
      { name: 'question', description: 'Only answers to this question (its name).' },
      { name: 'email', description: 'Only answers by this user.' },
      { name: 'imageid', description: 'Only answers about this image (whole slide and TMA cores).' },
      { name: 'caseid', description: 'Only answers about this case and its images.' },
    ],
  },
  {
    id: 'ScoresExport',
    methods: ['GET'],
    path: '/Api/Scores/Export/{jobId}',
    handler: 'functions/api/results/scores-export.ts',
    auth: 'token',
    capability: 'CanGetResults',
    // Waits up to 20 s for the background export, polling S3: little memory, within the 29 s of an API call.
    memoryMb: 256,
    timeoutSeconds: 29,
    summary:
      'Where Scores sends a client while a large export runs: 302 to the export once written (a download URL ' +
      'valid for 15 minutes; streamed directly by npm start), else after up to 20 s a 303 to itself.',
    params: [{ name: 'jobId', required: true, description: 'The export, as named by the redirect of Scores.' }],
  },
  {
    id: 'UploadResults',
    methods: WRITE,
    path: '/Api/UploadResults',
    handler: 'functions/api/results/upload-results.ts',
    auth: 'token',
    capability: 'CanUploadScores',
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary:
      'Saves answers from results TSV (first line: a header, ignored). All or nothing: {"success":true}, or ' +
      '{"success":false,"log":"…"} naming every bad line, with nothing saved.',
    params: [
      { name: 'studyid', required: true, description: 'Study ID.' },
      { name: 'results', required: true, description: 'Header line, then rows in any of the five layouts.' },
    ],
  },
  {
    id: 'GetStudiesUpdated',
    methods: READ,
    path: '/Api/GetStudiesUpdated',
    handler: 'functions/api/results/get-studies-updated.ts',
    auth: 'token',
    capability: 'CanGetResults',
    ...SMALL,
    summary:
      'The studies of this token whose answers changed at or after `since`: {"studyIDs":[…],"StudyIDs":[…]} (both spellings).',
    params: [
      {
        name: 'since',
        required: true,
        description: 'ISO 8601 date and time with a time zone, e.g. 2024-01-01T00:00:00+01:00.',
      },
    ],
  },
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
