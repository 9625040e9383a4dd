import { services } from '../../common/services.js';
import { MAX_DESCRIPTION_BYTES, sanitizeDescription } from '../../domain/descriptions/description-html.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { imageFor } from '../../studies/study-access.js';

/**
 * POST /Api/SetSlideDescription (imageId, studyId, description) → exactly `{}` (the SDK compares the body).
 * The HTML is reduced to the allowed tags before it is stored.
 */
export const handler = apiHandler('SetSlideDescription', async ({ params, caller }) => {
  const image = await imageFor(caller, params.requiredInteger('imageId'), params.requiredInteger('studyId'));
  const description = params.get('description') ?? '';
  if (Buffer.byteLength(description) > MAX_DESCRIPTION_BYTES) throw badRequest('The description is larger than 256 KB');
  await services().studies.updateImage({ ...image, description: sanitizeDescription(description) });
  return raw('{}', 'application/json; charset=utf-8');
});
