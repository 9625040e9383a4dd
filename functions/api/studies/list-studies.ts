import { apiHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';

/** GET /Api/Studies → a bare JSON array of the studies the token may see. */
export const handler = apiHandler('Studies', async () => json([]));
