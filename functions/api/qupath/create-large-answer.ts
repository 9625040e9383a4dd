import { randomUUID } from 'node:crypto';
import { services } from '../../common/services.js';
import { isAnnotationType } from '../../domain/questions/question-types.js';
import { publicHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { json } from '../../http/replies.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { linkQuestion } from '../../qupath/link-answers.js';
import { withLinkRefusals } from '../../qupath/link-replies.js';

/**
 * POST /i/{imageId}/{token}/CreateAnno2.json (form: question) → {"success":true,"uploadToken","apiToken",
 * "annoUUID"}: how QuPath starts an annotation of more than 100,000 characters. It then sends the answer's JSON,
 * gzipped, with tus (metadata uploadtoken and apitoken = the link's own token) and calls FinishAnno2Upload.json,
 * which saves it as an ordinary answer of the link's user. `annoUUID` names the upload in QuPath's log only.
 */
export const handler = publicHandler('QupathCreateAnno2', async ({ event, params }) =>
  withLinkRefusals(async () => {
    const link = await slideLinkRequest(event);
    if ((params.integer('tmaCoreId') ?? 0) !== 0)
      throw badRequest('Large annotations of single TMA cores are not taken');
    const { question } = await linkQuestion(link, { name: params.required('question') });
    if (!isAnnotationType(question.type)) throw badRequest(`"${question.name}" is no annotation question`);
    const uploadToken = await services().uploads.requestQupathAnswerUpload(link, {
      studyId: link.studyId,
      imageId: link.image.id,
      questionId: question.id,
      user: link.grant.email,
    });
    return json({
      success: true,
      uploadToken,
      apiToken: event.pathParameters?.urlPart ?? '',
      annoUUID: randomUUID(),
    });
  }),
);
