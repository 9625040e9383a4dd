import type { RouteDefinition } from '../route-definition.js';
import { SMALL, WRITE } from '../route-definition.js';

/** Uploads: RequestUpload, then tus on /files/, then FinishUpload. */
export const UPLOADS_ROUTES = [
  {
    id: 'RequestUpload',
    methods: WRITE,
    path: '/Api/RequestUpload',
    handler: 'functions/api/uploads/request-upload.ts',
    reply: 'string',
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
    reply: 'string',
    auth: 'token',
    capability: 'CanUpload',
    ...SMALL,
    // An anno2 zip (up to 100 MB) is read and checked in memory, its expansion capped at 256 MB.
    memoryMb: 1024,
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
] as const satisfies readonly RouteDefinition[];
