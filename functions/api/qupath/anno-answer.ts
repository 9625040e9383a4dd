import { publicHandler } from '../../http/api-handler.js';
import { json } from '../../http/replies.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { linkQuestion, saveLinkAnswer } from '../../qupath/link-answers.js';

/**
 * POST /i/{imageId}/{token}/AnnoAnswer.json (form: question, answer) → {"success":true,"saved":n}: the link's
 * user answers `question` about the whole slide, or (the `TMAs:` form) about the TMA cores it names.
 */
export const handler = publicHandler('QupathAnnoAnswer', async ({ event, params }) => {
  const link = await slideLinkRequest(event);
  const { contents, question } = await linkQuestion(link, { name: params.required('question') });
  const saved = await saveLinkAnswer(link, contents, question, params.get('answer') ?? '');
  return json({ success: true, saved });
});
