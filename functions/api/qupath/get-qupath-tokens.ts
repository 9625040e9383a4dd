import { SLIDE_TOKEN_CAPABILITIES } from '../../auth/slide-tokens.js';
import { mapConcurrently } from '../../common/concurrency.js';
import { services } from '../../common/services.js';
import { studyLinkOrigin } from '../../domains/study-links.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, forbidden } from '../../http/errors.js';
import { json } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';

/**
 * GET /Api/GetQupathTokensForStudy (studyId, email) → [{"imageID","imageName","url"}], one per slide of the
 * study, url = {server}/i/{imageId}/{token}/SlideScoreMetadata.json: what a QuPath project opens. The links
 * read pixels and answers and post answers as `email`, so the calling token needs all three capabilities, and
 * `email` must be a user of the study who may score.
 */
export const handler = apiHandler('GetQupathTokensForStudy', async ({ params, caller, event }) => {
  const missing = SLIDE_TOKEN_CAPABILITIES.filter((c) => !caller.can(c));
  if (missing.length > 0) throw forbidden(`This API token lacks the ${missing.join(' and ')} capability`);
  const studyId = params.requiredInteger('studyId');
  const email = params.required('email').trim();
  const contents = await contentsFor(caller, studyId);
  const member = contents.members.find((m) => !m.removed && m.email.toLowerCase() === email.toLowerCase());
  if (!member?.rights.includes('canscore')) {
    throw badRequest(`${email} is no user of study ${studyId} who may score`);
  }
  const origin = await studyLinkOrigin(event, studyId);
  const images = contents.images.filter((i) => !i.removed).sort((a, b) => a.id - b.id);
  const links = await mapConcurrently(images, 8, async (image) => {
    const { token } = await services().slideTokens.create(caller, {
      studyId,
      imageId: image.id,
      imageName: image.name,
      email: member.email,
    });
    return {
      imageID: image.id,
      imageName: image.name,
      url: `${origin}/i/${image.id}/${token}/SlideScoreMetadata.json`,
    };
  });
  return json(links);
});
