import { READ, type RouteDefinition } from '../route-definition.js';

/** Screenshots: regions of a slide with a user's annotations drawn, label and macro images (docs/annotations.md). */
export const SCREENSHOT_ROUTES = [
  {
    id: 'GetScreenshot',
    methods: READ,
    path: '/Api/GetScreenshot',
    handler: 'functions/api/screenshots/get-screenshot.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanGetPixels',
    memoryMb: 1536,
    timeoutSeconds: 29,
    summary:
      'A JPEG of a region of the slide at a DeepZoom level, with a user’s annotation answers drawn in their questions’ colours and a scale bar. Drawing answers also needs CanGetResults. At most 10,000 px a side and 40 M pixels.',
    produces: 'image/jpeg',
    params: [
      { name: 'imageId', required: true, description: 'Image ID (also `imageid`).' },
      {
        name: 'level',
        description:
          'DeepZoom level: output scale 2^(level − maxLevel), maxLevel = ceil(log2(max(width, height))); clamped to 0…maxLevel. Default: the whole region in about 1024 px.',
      },
      { name: 'x', description: 'Left of the region, level-0 pixels (default 0).' },
      { name: 'y', description: 'Top of the region, level-0 pixels (default 0).' },
      { name: 'width', description: 'Width of the region, level-0 pixels (default: to the slide’s right edge).' },
      { name: 'height', description: 'Height of the region, level-0 pixels (default: to the slide’s bottom).' },
      { name: 'withAnnotationForUser', description: 'Email: draws this user’s annotation answers (CanGetResults).' },
      {
        name: 'question',
        description: 'Only this annotation question’s answers (default: every annotation question).',
      },
      { name: 'showScalebar', description: '`false` hides the scale bar (µm; drawn when the resolution is known).' },
    ],
  },
  {
    id: 'GetSlideLabel',
    methods: READ,
    path: '/Api/GetSlideLabel',
    handler: 'functions/api/screenshots/get-slide-label.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanDownloadSlides',
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary:
      'The label or macro image of a slide (JPEG), extracted on upload. Labels can carry patient identifiers, so this needs CanDownloadSlides.',
    produces: 'image/jpeg',
    params: [
      { name: 'imageId', required: true, description: 'Image ID.' },
      { name: 'kind', description: '`label` (default) or `macro`.' },
    ],
  },
] as const satisfies readonly RouteDefinition[];
