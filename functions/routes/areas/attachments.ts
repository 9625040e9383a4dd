import { type RouteDefinition, SMALL, WRITE } from '../route-definition.js';

/** Attachments of study descriptions (docs/studies.md, "Attachments"). */
export const ATTACHMENTS_ROUTES = [
  {
    id: 'RequestUploadAttachment',
    methods: WRITE,
    path: '/Api/RequestUploadAttachment',
    handler: 'functions/api/attachments/request-upload-attachment.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanUpload',
    ...SMALL,
    summary:
      'Starts an attachment of a study: {"success":true,"token","folder","filename","attId"}. Upload the file with the temporary token (RequestUpload of that folder and filename, tus, FinishUpload); it is then served at /a/{attId}/{guid}/{name}, guid being the filename before its first "-".',
    params: [
      { name: 'studyId', required: true, description: 'The study whose descriptions will link the file.' },
      { name: 'filename', required: true, description: 'The file name (no folders), as the link will show it.' },
      {
        name: 'moduleId',
        description: 'Teaching modules do not exist on this server: accepted only beside a studyId, and ignored.',
      },
    ],
  },
  {
    id: 'ServeAttachment',
    methods: ['GET'],
    path: '/a/{attId}/{guid}/{filename}',
    handler: 'functions/api/attachments/serve-attachment.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    summary:
      'An attachment, for whoever has its link. Images, PDF, text, CSV and MP4 show in the browser; other types download. Over 4 MB: a 302 to a 15-minute S3 URL.',
    produces: 'application/octet-stream',
  },
] as const satisfies readonly RouteDefinition[];
