import { apiHandler } from '../../http/api-handler.js';
import { setPublished } from './set-published.js';

/** POST /Api/Unpublish (studyId) → {"success":true}. Wins over `published:` in `.config` until that file changes. */
export const handler = apiHandler('Unpublish', (request) => setPublished(request, false));
