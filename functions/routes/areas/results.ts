import type { RouteDefinition } from '../route-definition.js';
import { READ, SMALL, WRITE } from '../route-definition.js';

/** Results: Scores, UploadResults, GetStudiesUpdated. */
export const RESULTS_ROUTES = [
  {
    id: 'Scores',
    methods: READ,
    path: '/Api/Scores',
    handler: 'functions/api/results/scores.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanGetResults',
    // One full vCPU (Lambda gives 1 vCPU at 1,769 MB): an export is CPU-bound in Node, ≈ 9 s of CPU per million
    // answers measured (bench/results-scale.ts), and must finish within the 29 s of an API call.
    memoryMb: 1769,
    timeoutSeconds: 29,
    // `npm start` reads DynamoDB Local, 10,000 to 40,000 answers a second here against far more from DynamoDB, and
    // no API Gateway cuts its calls off: a study of a million answers downloads in about two minutes.
    localTimeoutSeconds: 600,
    summary:
      'The answers of a study: a JSON array when Accept contains application/json, else TSV. Exports over 5 MB are ' +
      'answered with a 302 to a download URL valid for 15 minutes (streamed directly by npm start).',
    params: [
      { name: 'studyid', required: true, description: 'Study ID.' },
      { name: 'question', description: 'Only answers to this question (its name).' },
      { name: 'email', description: 'Only answers by this user.' },
      { name: 'imageid', description: 'Only answers about this image (whole slide and TMA cores).' },
      { name: 'caseid', description: 'Only answers about this case and its images.' },
    ],
  },
  {
    id: 'UploadResults',
    methods: WRITE,
    path: '/Api/UploadResults',
    handler: 'functions/api/results/upload-results.ts',
    reply: 'success',
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
    reply: 'data',
    auth: 'token',
    capability: 'CanGetResults',
    ...SMALL,
    summary: 'The studies of this token whose answers changed at or after `since`: {"studyIDs":[…]}.',
    params: [
      {
        name: 'since',
        required: true,
        description: 'ISO 8601 date and time with a time zone, e.g. 2024-01-01T00:00:00+01:00.',
      },
    ],
  },
] as const satisfies readonly RouteDefinition[];
