import { READ, type RouteDefinition, SMALL, WRITE } from '../route-definition.js';

/**
 * The viewer's second part (docs/viewer.md): slide file links (GenerateSlideFileURL and the page and tiles they
 * open), reviewing sessions (Sessions, SessionEvents and the page's beacon) and slide-list thumbnails.
 */
export const REVIEWING_ROUTES = [
  {
    id: 'GenerateSlideFileURL',
    methods: WRITE,
    path: '/Api/GenerateSlideFileURL',
    handler: 'functions/api/viewer/generate-slide-file-url.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanGetPixels',
    ...SMALL,
    summary:
      'A viewer link for one slide file outside any study: {"success":true,"link":"/SlideFile?token=…"} (server-relative). ' +
      'The link works until it expires (a week, never after the calling token).',
    params: [
      {
        name: 'filename',
        required: true,
        description:
          'An upload path the token may name, or (npm start) an absolute path under a directory listed in SLIDE_FILE_DIRS.',
      },
      { name: 'user', description: 'Email of the person the link is for (shown on the page).' },
    ],
  },
  {
    id: 'SlideFilePage',
    methods: ['GET'],
    path: '/SlideFile',
    handler: 'functions/api/viewer/slide-file-page.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    memoryMb: 512,
    summary:
      "Where a GenerateSlideFileURL link points: the file in OpenSeadragon, or a page saying why it can't be shown.",
    produces: 'text/html',
    params: [{ name: 'token', required: true, description: 'The signed link token.' }],
  },
  {
    id: 'SlideFileTile',
    methods: ['GET'],
    path: '/SlideFile/{key}/i_files/{level}/{tile}',
    handler: 'functions/api/viewer/slide-file-tile.ts',
    reply: 'data',
    auth: 'public',
    memoryMb: 1024,
    timeoutSeconds: 15,
    summary:
      'One DeepZoom tile of a slide file link ({col}_{row}.jpeg), with the cookie `sf` its page set (the link token).',
    produces: 'image/jpeg',
    params: [
      { name: 'key', required: true, description: 'The fingerprint of the link token, from its page.' },
      { name: 'level', required: true, description: 'DeepZoom level.' },
      { name: 'tile', required: true, description: '{col}_{row}.jpeg' },
    ],
  },
  {
    id: 'Sessions',
    methods: READ,
    path: '/Api/Sessions',
    handler: 'functions/api/viewer/sessions.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanGetResults',
    ...SMALL,
    summary:
      'Reviewing sessions the viewer recorded: {"success":true,"sessions":[{id,imageID,email,length,studyID,createdOn}]}; length in seconds.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'imageId', description: 'Only sessions on this image.' },
      { name: 'email', description: 'Only sessions of this user.' },
    ],
  },
  {
    id: 'SessionEvents',
    methods: READ,
    path: '/Api/SessionEvents',
    handler: 'functions/api/viewer/session-events.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanGetResults',
    ...SMALL,
    summary:
      'The samples of one session: {"success":true,"events":["<ms>\\t<x>\\t<y>\\t<width>\\t<height>\\t<cursorX>\\t<cursorY>",…]}, level-0 pixels.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'sessionId', required: true, description: 'Session ID, from Sessions.' },
    ],
  },
  {
    id: 'SessionBeacon',
    methods: WRITE,
    path: '/Image/SessionBeacon',
    handler: 'functions/api/viewer/session-beacon.ts',
    reply: 'success',
    auth: 'session',
    ...SMALL,
    summary:
      "The viewer page's samples of its reviewing session (form: studyId, sessionId, events = JSON [[ms,x,y,w,h,cx,cy],…], closed).",
    produces: 'application/json',
  },
  {
    id: 'SlideThumbnail',
    methods: ['GET'],
    path: '/Studies/Thumbnail',
    handler: 'functions/api/viewer/slide-thumbnail.ts',
    reply: 'data',
    auth: 'session',
    memoryMb: 512,
    timeoutSeconds: 10,
    summary:
      "A slide's thumbnail in the slide list: the overview rendered on upload, scaled down; else a redirect to its one-tile DeepZoom level.",
    produces: 'image/jpeg',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'imageId', required: true, description: 'Image ID.' },
    ],
  },
] as const satisfies readonly RouteDefinition[];
