import type { RouteDefinition } from '../route-definition.js';
import { LARGE_BODY_MB, READ, SMALL, WRITE } from '../route-definition.js';

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
    reply: 'data',
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
    reply: 'success',
    auth: 'token',
    capability: 'CanUploadScores',
    memoryMb: 1024,
    timeoutSeconds: 29,
    // Whole studies of answers are sent in one form body; over 4 MB the container service takes them.
    maxBodyMb: LARGE_BODY_MB,
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
] as const satisfies readonly RouteDefinition[];
