import { services } from '../../common/services.js';
import { sanitizeDescription } from '../../domain/descriptions/description-html.js';
import { fieldProblem } from '../../domain/limits/field-limits.js';
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
  const problem = fieldProblem('freeText', description, 'description');
  if (problem) throw badRequest(problem);
  await services().studies.updateImage({ ...image, description: sanitizeDescription(description) });
  return raw('{}', 'application/json; charset=utf-8');
});
