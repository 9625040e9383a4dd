import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { qupathLine } from '../../scores/qupath-lines.js';

/**
 * GET /i/{imageId}/{token}/Questions.json → text/plain, one question per line in sheet order:
 * `name;typeName;valuesAllowed` (QuPath reads the first two fields; a `;` in a name is written as `,`).
 */
export const handler = publicHandler('QupathQuestions', async ({ event }) => {
  const { studyId } = await slideLinkRequest(event);
  const contents = await services().studies.loadContents(studyId);
  if (!contents) throw notFound(`No study ${studyId}`);
  const lines = contents.questions
    .filter((q) => !q.removed)
    .sort((a, b) => a.order - b.order)
    .map((q) => `${qupathLine([q.name, q.type])};${oneLine(q.valuesAllowed)}`);
  return raw(lines.map((l) => `${l}\n`).join(''), 'text/plain; charset=utf-8', { 'cache-control': 'no-store' });
});

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
