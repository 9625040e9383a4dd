import { LARGE_BODY_MB, READ, type RouteDefinition, WRITE } from '../route-definition.js';

/** ASAP XML in and out (docs/annotations.md, "ASAP XML"). */
export const ASAP_ROUTES = [
  {
    id: 'UploadASAPAnnotations',
    methods: WRITE,
    path: '/Api/UploadASAPAnnotations',
    handler: 'functions/api/asap/upload-asap-annotations.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanUploadScores',
    // A file of 10⁶ coordinates is about 50 MB of XML (85 MB form-encoded): the container takes it in the cloud.
    memoryMb: 2048,
    timeoutSeconds: 29,
    // `npm start` takes the large body itself, on whatever machine it runs (the container: 55 s, container.ts).
    localTimeoutSeconds: 120,
    maxBodyMb: LARGE_BODY_MB,
    summary:
      'Imports an ASAP XML file as answers of `user` on the image: the annotations mapped to one question become ' +
      'that user\'s answer, replacing the previous one. {"success":true}, or {"success":false,"log":"…"} with ' +
      'nothing written. Without questionsMap a question is created per colour, which also needs CanManageStudies.',
    params: [
      { name: 'imageid', required: true, description: 'The image (also `imageId`); its study is implied.' },
      { name: 'user', required: true, description: 'Email of the user the answers are saved under.' },
      { name: 'asapAnnotation', required: true, description: 'The ASAP XML document (no DOCTYPE).' },
      {
        name: 'questionsMap',
        description:
          'Lines `<colour or group>;<question name>`; colours as hex, with or without `#`, in any case. ' +
          'Unmapped annotations are ignored. Absent or empty: a new question per colour.',
      },
      { name: 'annotationName', description: 'Kept as the label of every answer the import writes.' },
    ],
  },
  {
    id: 'ExportASAPAnnotations',
    methods: READ,
    path: '/Api/ExportASAPAnnotations',
    handler: 'functions/api/asap/export-asap-annotations.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanGetResults',
    memoryMb: 1024,
    timeoutSeconds: 29,
    produces: 'application/xml',
    summary:
      "A user's answer to an annotation question on an image, as ASAP XML (the first character is `<`): points, " +
      'polygons and rects exactly; an ellipse as a 64-vertex polygon, a brush as its outer polygons; ' +
      'polylines, lines and heatmaps left out.',
    params: [
      { name: 'imageid', required: true, description: 'The image (also `imageId`).' },
      { name: 'user', required: true, description: 'Email of the user whose answer is exported.' },
      { name: 'question', required: true, description: 'Question name.' },
    ],
  },
] as const satisfies readonly RouteDefinition[];
