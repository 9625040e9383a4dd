import { READ, type RouteDefinition, SMALL } from '../route-definition.js';

/** Memory of the functions that decode and encode pixels: sharp's threads and one region's buffers. */
const PIXELS = { memoryMb: 1024, timeoutSeconds: 29 };

/** Pixels: slide metadata, DeepZoom tiles, raw regions, downloads of the original file (docs/pixels.md). */
export const PIXELS_ROUTES = [
  {
    id: 'GetImageMetadata',
    methods: READ,
    path: '/Api/GetImageMetadata',
    handler: 'functions/api/pixels/get-image-metadata.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanGetPixels',
    ...SMALL,
    memoryMb: 512,
    summary:
      'The slide\'s size, levels, tile size, resolution and more: {"success":true,"metadata":{level0Width, …, osdTileSize, mppX, mppY, objectivePower, …}}.',
    params: [{ name: 'imageId', required: true, description: 'Image ID (also `imageid`).' }],
  },
  {
    id: 'GetTileServer',
    methods: READ,
    path: '/Api/GetTileServer',
    handler: 'functions/api/pixels/get-tile-server.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanGetPixels',
    ...SMALL,
    memoryMb: 512,
    summary:
      'A DeepZoom tile credential for one image: {"cookiePart","urlPart","expiresOn"}. Tiles: GET /i/{imageId}/{urlPart}/i_files/{level}/{col}_{row}.jpeg with cookie t=<cookiePart>.',
    params: [{ name: 'imageId', required: true, description: 'Image ID.' }],
  },
  {
    id: 'DeepZoomTile',
    methods: ['GET'],
    path: '/i/{imageId}/{urlPart}/{files}/{level}/{tile}',
    handler: 'functions/api/pixels/deep-zoom-tile.ts',
    reply: 'data',
    auth: 'public',
    ...PIXELS,
    summary:
      'One DeepZoom tile (JPEG), `{files}` being `i_files` or `_files` and `{tile}` `<col>_<row>.jpeg`. Authorized by the GetTileServer credential: cookie t=<cookiePart>. An expired credential is 503.',
    produces: 'image/jpeg',
  },
  {
    id: 'DeepZoomDescriptor',
    methods: ['GET'],
    path: '/i/{imageId}/{urlPart}/i.dzi',
    handler: 'functions/api/pixels/deep-zoom-descriptor.ts',
    reply: 'data',
    auth: 'public',
    ...SMALL,
    memoryMb: 512,
    summary: 'The DeepZoom descriptor (XML) of the image, for OpenSeadragon; same credential as the tiles.',
    produces: 'application/xml',
  },
  {
    id: 'GetTile',
    methods: READ,
    path: '/Api/GetTile',
    handler: 'functions/api/pixels/get-tile.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanGetPixels',
    ...PIXELS,
    summary: 'One DeepZoom tile (JPEG), the same bytes as the /i/ tile URL, with the bearer token.',
    produces: 'image/jpeg',
    params: [
      { name: 'imageId', required: true, description: 'Image ID.' },
      { name: 'level', required: true, description: 'DeepZoom level (0 is 1×1).' },
      { name: 'x', required: true, description: 'Tile column.' },
      { name: 'y', required: true, description: 'Tile row.' },
    ],
  },
  {
    id: 'GetRawTile',
    methods: READ,
    path: '/Api/GetRawTile',
    handler: 'functions/api/pixels/get-raw-tile.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanGetPixels',
    ...PIXELS,
    summary:
      'A region of a native level as JPEG (with a JFIF header), exactly width×height, background-coloured outside the slide.',
    produces: 'image/jpeg',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'imageId', required: true, description: 'Image ID.' },
      { name: 'level', required: true, description: 'Native level, 0 the most detailed.' },
      { name: 'x', required: true, description: 'Left, in level-0 pixels.' },
      { name: 'y', required: true, description: 'Top, in level-0 pixels.' },
      { name: 'width', required: true, description: 'Width at `level`, at most 4096.' },
      { name: 'height', required: true, description: 'Height at `level`, at most 4096.' },
      { name: 'jpegQuality', description: 'JPEG quality 1–100 (default 80).' },
    ],
  },
  {
    id: 'DownloadSlide',
    methods: READ,
    path: '/Api/DownloadSlide',
    handler: 'functions/api/pixels/download-slide.ts',
    reply: 'data',
    auth: 'token',
    capability: 'CanDownloadSlides',
    ...SMALL,
    summary:
      'The original slide file, as an attachment under its own name; byte ranges work. In the cloud a 302 to a short-lived download URL.',
    produces: 'application/octet-stream',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'imageId', required: true, description: 'Image ID.' },
    ],
  },
] as const satisfies readonly RouteDefinition[];
