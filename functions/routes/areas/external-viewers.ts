import { READ, type RouteDefinition, SMALL, WRITE } from '../route-definition.js';

/** Memory of the functions that decode and encode pixels (as the pixel area's). */
const PIXELS = { memoryMb: 1024, timeoutSeconds: 29 };

/**
 * External viewers (docs/clients.md): the per-slide URLs of Slide Score's QuPath extension, the calls that
 * make them, and TMA core sizes. The `/i/{imageId}/{urlPart}/…` paths share their first segments with the
 * DeepZoom tile URLs (functions/routes/areas/pixels.ts) and differ in the literal that follows, so both kinds
 * of credential live under one prefix: `urlPart` is a tile credential there and a per-slide token here.
 */
export const EXTERNAL_VIEWER_ROUTES = [
  {
    id: 'GetQupathTokensForStudy',
    methods: READ,
    path: '/Api/GetQupathTokensForStudy',
    handler: 'functions/api/qupath/get-qupath-tokens.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanGetPixels',
    ...SMALL,
    timeoutSeconds: 29,
    summary:
      'Per-slide QuPath links for every slide of a study, for one user who may score: [{"imageID","imageName","url"}], url = {server}/i/{imageId}/{token}/SlideScoreMetadata.json. Needs CanGetPixels, CanGetResults and CanUploadScores; each token expires within a year and never after the calling token, and is listed in /Admin/Tokens.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      {
        name: 'email',
        required: true,
        description: 'A user of the study who may score: answers posted through the links are theirs.',
      },
    ],
  },
  {
    id: 'UpdateTMACoreSize',
    methods: WRITE,
    path: '/Api/UpdateTMACoreSize',
    handler: 'functions/api/qupath/update-tma-core-size.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary:
      "Sets the core diameter (µm) of a study's TMA map, used by TMAPositions.json and the viewer; 0 goes back to the map file's or the default. Kept by Reimport.",
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'imageId', description: 'An image of the study: its TMA map is changed (or give `tmaMapName`).' },
      { name: 'tmaMapName', description: 'The TMA map, by the name Images and SetSlideTMAMap use.' },
      {
        name: 'coreDiameterUm',
        required: true,
        description: 'Core diameter in µm, 0 to 100000 (0: back to the default).',
      },
    ],
  },
  {
    id: 'QupathMetadata',
    methods: ['GET'],
    path: '/i/{imageId}/{urlPart}/SlideScoreMetadata.json',
    handler: 'functions/api/qupath/metadata.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    memoryMb: 512,
    summary:
      'QuPath: the slide metadata of GetImageMetadata with PascalCase keys. `urlPart` is a per-slide token (GetQupathTokensForStudy); an expired or revoked one is 503.',
  },
  {
    id: 'QupathRawRegion',
    methods: ['GET'],
    path: '/i/{imageId}/{urlPart}/raw/{level}/{origin}/{size}',
    handler: 'functions/api/qupath/raw-region.ts',
    reply: 'data',
    auth: 'public',
    ...PIXELS,
    summary:
      'QuPath: a region of native `level` as JPEG, `{origin}` = `<x>_<y>` (level-0 pixels) and `{size}` = `<w>_<h>.jpeg` (pixels at `level`, at most 4096): exactly w×h, background-coloured outside the slide.',
    produces: 'image/jpeg',
  },
  {
    id: 'QupathTmaPositions',
    methods: ['GET'],
    path: '/i/{imageId}/{urlPart}/TMAPositions.json',
    handler: 'functions/api/qupath/tma-positions.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    memoryMb: 512,
    summary:
      'QuPath: the TMA cores of the slide, {"coreRadiusUM","rotate","cores":[{row,col,name,x,y}]} in the map\'s row-major order, coordinates × 1000 · width / max(width, height), x = 0 for an empty position.',
  },
  {
    id: 'QupathQuestions',
    methods: ['GET'],
    path: '/i/{imageId}/{urlPart}/Questions.json',
    handler: 'functions/api/qupath/questions.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    summary: "QuPath: the study's questions, text/plain, one per line: name;typeName;valuesAllowed.",
    produces: 'text/plain',
  },
  {
    id: 'QupathAnswers',
    methods: ['GET'],
    path: '/i/{imageId}/{urlPart}/Answers.json',
    handler: 'functions/api/qupath/answers.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    timeoutSeconds: 29,
    summary:
      "QuPath: the slide's answers (whole slide and cores), text/plain, one per line: question;email;value[;#rrggbb]; a `;` inside a value is written as `,`.",
    produces: 'text/plain',
  },
  {
    id: 'QupathAnnoAnswer',
    methods: ['POST'],
    path: '/i/{imageId}/{urlPart}/AnnoAnswer.json',
    handler: 'functions/api/qupath/anno-answer.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    timeoutSeconds: 29,
    // TMA answers always come this way (the extension's large-annotation path is for whole slides only).
    maxBodyMb: 32,
    summary:
      'QuPath: saves an answer of the link\'s user (form: question, answer), for the whole slide or, as `TMAs:` followed by `\\n<row>,<col>\\n<answer>` blocks, for TMA cores: {"success":true,"saved":n}.',
    params: [
      { name: 'question', required: true, description: 'Question name.' },
      {
        name: 'answer',
        required: true,
        description: 'The answer (AnnoShapes JSON for annotation questions), or the `TMAs:` form.',
      },
    ],
  },
  {
    id: 'QupathCreateAnno2',
    methods: ['POST'],
    path: '/i/{imageId}/{urlPart}/CreateAnno2.json',
    handler: 'functions/api/qupath/create-large-answer.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    summary:
      'QuPath, for an annotation over 100,000 characters: {"success":true,"uploadToken","apiToken","annoUUID"}. Send the gzipped answer JSON with tus (metadata uploadtoken, apitoken), then call FinishAnno2Upload.json. Refusals: 200 {"success":false,"error"}.',
    params: [{ name: 'question', required: true, description: 'An annotation question of the study.' }],
  },
  {
    id: 'QupathFinishAnno2Upload',
    methods: ['POST'],
    path: '/i/{imageId}/{urlPart}/FinishAnno2Upload.json',
    handler: 'functions/api/qupath/finish-large-answer.ts',
    reply: 'data',
    auth: 'public',
    // Reads the upload (at most 100 MB gzipped) and the answer it holds.
    memoryMb: 2048,
    timeoutSeconds: 29,
    summary:
      'QuPath: saves the uploaded gzipped answer as the link\'s user\'s answer to the question CreateAnno2.json named: {"success":true}. Refusals: 200 {"success":false,"error"}.',
    params: [
      { name: 'uploadToken', required: true, description: 'From CreateAnno2.json.' },
      { name: 'uploadId', required: true, description: 'The tus file id.' },
      { name: 'apiToken', description: "From CreateAnno2.json (the link's token); not needed." },
    ],
  },
  {
    id: 'RenewProject',
    methods: ['GET'],
    path: '/Studies/RenewProject',
    handler: 'functions/api/qupath/renew-project.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    summary: 'The page QuPath opens when its project is a year old: how to get new per-slide links.',
    produces: 'text/html',
  },
] as const satisfies readonly RouteDefinition[];
