import { apiHandler } from '../../http/api-handler.js';
import { setPublished } from './set-published.js';

/** POST /Api/Publish (studyId) → {"success":true}. Wins over `published:` in `.config` until that file changes. */
export const handler = apiHandler('Publish', (request) => setPublished(request, true));
