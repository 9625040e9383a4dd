import type { RouteDefinition } from '../route-definition.js';
import { SMALL, WRITE } from '../route-definition.js';

/** Reading and writing anno2 zips (parsing, encoding) takes memory and time: as the results uploads. */
const ANNO2 = { memoryMb: 1024, timeoutSeconds: 29 };

const TARGET_PARAMS = [
  { name: 'studyId', required: true, description: 'Study ID (also sent as studyid).' },
  { name: 'imageId', required: true, description: 'An image of the study; the answer is about the whole slide.' },
  { name: 'caseId', description: "Optional; when given (not 0), it must be the image's case." },
  { name: 'tmaCoreId', description: 'Optional; 0 or absent (answers about single TMA cores are not supported).' },
  { name: 'scoreId', description: 'The question ID (an AnnoPoints or AnnoShapes question); or give question.' },
  { name: 'question', description: 'The question name, when scoreId is not given.' },
  { name: 'email', required: true, description: 'The answering user.' },
] as const;

/**
 * Anno2 (docs/annotations.md "Anno2"): binary, zip-based annotation answers. The zip itself arrives by tus with
 * the upload token CreateAnno2 or CreateOrphanAnno2 returns, and FinishUpload checks and keeps it.
 */
export const ANNO2_ROUTES = [
  {
    id: 'CreateAnno2',
    methods: WRITE,
    path: '/Api/CreateAnno2',
    handler: 'functions/api/anno2/create-anno2.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanUploadScores',
    ...SMALL,
    summary:
      'Step 1 of an anno2 answer: {"success":true,"uploadToken","annoUUID"}. Then send the zip with tus to /files/ ' +
      '(metadata uploadtoken and apitoken; needs CanUpload) and call FinishUpload (token = uploadToken), which ' +
      'checks the zip, keeps it and saves the answer [{"type":"anno2","annoUUID":"…"}].',
    params: TARGET_PARAMS,
  },
  {
    id: 'CreateOrphanAnno2',
    methods: WRITE,
    path: '/Api/CreateOrphanAnno2',
    handler: 'functions/api/anno2/create-orphan-anno2.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanUploadScores',
    ...SMALL,
    summary:
      'An anno2 that no answer refers to yet (webhook results): {"success":true,"uploadToken","annoUUID"}; the zip ' +
      'then goes by tus and FinishUpload, as for CreateAnno2.',
    params: [],
  },
  {
    id: 'ConvertAnnotationToAnno2',
    methods: WRITE,
    path: '/Api/ConvertAnnotationToAnno2',
    handler: 'functions/api/anno2/convert-annotation-to-anno2.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanUploadScores',
    ...ANNO2,
    summary:
      "Converts that user's JSON answer on the image into an anno2 zip; the answer then refers to it. " +
      '{"success":true,"annoUUID"}, or {"success":false,"log"} (nothing changed).',
    params: [
      ...TARGET_PARAMS,
      { name: 'metadata', description: "A JSON value kept as the zip's user_metadata.json (default {})." },
    ],
  },
  {
    id: 'ConvertScoreValueToAnno2',
    methods: WRITE,
    path: '/Api/ConvertScoreValueToAnno2',
    handler: 'functions/api/anno2/convert-score-value-to-anno2.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanUploadScores',
    ...ANNO2,
    summary:
      'ConvertAnnotationToAnno2 for the answer whose Scores id is given: {"success":true,"annoUUID"}, or ' +
      '{"success":false,"error"} (the reason is in error, not log).',
    params: [
      {
        name: 'scoreValueId',
        required: true,
        description: 'The id of a Scores row (an AnnoPoints or AnnoShapes answer).',
      },
      { name: 'metadata', description: "A JSON value kept as the zip's user_metadata.json (default {})." },
    ],
  },
] as const satisfies readonly RouteDefinition[];
