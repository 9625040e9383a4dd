import type { RouteDefinition } from '../route-definition.js';
import { READ, SMALL, WRITE } from '../route-definition.js';

/** Slide administration: removing slides, resolution overrides, details and the focus check (docs/administration.md). */
export const SLIDE_ADMIN_ROUTES = [
  {
    id: 'DeleteSlide',
    methods: WRITE,
    path: '/Api/DeleteSlide',
    handler: 'functions/api/slide-admin/delete-slide.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary:
      'Removes an image from its study (the file stays; its answers stay stored but leave Scores). Reimport or AddSlide of its path brings it back.',
    params: [
      { name: 'imageId', required: true, description: 'Image ID (also `imageid`).' },
      { name: 'studyId', description: "The image's study, checked when given." },
    ],
  },
  {
    id: 'SetSlideResolution',
    methods: WRITE,
    path: '/Api/SetSlideResolution',
    handler: 'functions/api/slide-admin/set-slide-resolution.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageStudies',
    ...SMALL,
    summary:
      "Sets the slide's microns per pixel, winning over the file's in GetImageMetadata, QuPath metadata and scale bars; 0 and 0 remove it.",
    params: [
      { name: 'imageId', required: true, description: 'Image ID (also `imageid`).' },
      { name: 'mppX', required: true, description: 'Microns per pixel across, at level 0 (0 to 1000).' },
      { name: 'mppY', required: true, description: 'Microns per pixel down, at level 0 (0 to 1000).' },
      { name: 'studyId', description: "The image's study, checked when given." },
    ],
  },
  {
    id: 'GetSlideDetails',
    methods: READ,
    path: '/Api/GetSlideDetails',
    handler: 'functions/api/slide-admin/get-slide-details.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanGetConfig',
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary:
      'Everything known of one slide: {"success":true,"details":{id, name, path, study, case, tmaMap, size, levels, mpp, format, vendor, focus, …}}.',
    params: [
      { name: 'imageId', required: true, description: 'Image ID (also `imageid`).' },
      { name: 'studyId', description: "The image's study, checked when given." },
    ],
  },
  {
    id: 'IsSlideOutOfFocus',
    methods: READ,
    path: '/Api/IsSlideOutOfFocus',
    handler: 'functions/api/slide-admin/is-slide-out-of-focus.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanGetPixels',
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary:
      'The focus check: {"success":true,"isOOF":<bool>}, true when the variance of the Laplacian over tissue is under 100.',
    params: [
      { name: 'studyId', required: true, description: 'Study ID.' },
      { name: 'imageId', required: true, description: 'Image ID (also `imageid`).' },
    ],
  },
] as const satisfies readonly RouteDefinition[];
