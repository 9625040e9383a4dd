import { gunzipSync } from 'node:zlib';
import { services } from '../../common/services.js';
import { publicHandler } from '../../http/api-handler.js';
import { HttpError } from '../../http/errors.js';
import { json } from '../../http/replies.js';
import { slideLinkRequest } from '../../pixels/slide-link-request.js';
import { linkQuestion, saveLinkAnswer } from '../../qupath/link-answers.js';
import { withLinkRefusals } from '../../qupath/link-replies.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * POST /i/{imageId}/{token}/FinishAnno2Upload.json (form: uploadToken, uploadId, apiToken) → {"success":true}:
 * the gzipped answer QuPath sent by tus is read (at most the largest answer once unzipped), checked by the
 * annotation model and saved as the link's user's answer to the question CreateAnno2.json named.
 */
export const handler = publicHandler('QupathFinishAnno2Upload', async ({ event, params }) =>
  withLinkRefusals(async () => {
    const link = await slideLinkRequest(event);
    const finished = await services().uploads.finishQupathAnswer(
      { tokenId: link.tokenId, imageId: link.image.id },
      params.required('uploadId'),
      params.required('uploadToken'),
      async (target, bytes) => {
        const text = unzippedText(bytes, services().scores.maxAnswerBytes);
        if (!text.ok) return text;
        const { contents, question } = await linkQuestion(link, { id: target.questionId });
        await saveLinkAnswer(link, contents, question, text.value);
        return { ok: true };
      },
    );
    if (!finished.ok) throw new HttpError(finished.status, finished.reason);
    return json({ success: true });
  }),
);

/** The upload's text: gzip (as QuPath sends it) or plain, UTF-8, never beyond `maxBytes`. */
function unzippedText(bytes: Buffer, maxBytes: number): { ok: true; value: string } | { ok: false; reason: string } {
  let raw = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return {
        ok: false,
        reason: tooLarge
          ? `The answer is larger than the ${maxBytes} bytes an answer may be`
          : 'The upload is no gzip file',
      };
    }
  }
  if (raw.length > maxBytes)
    return { ok: false, reason: `The answer is larger than the ${maxBytes} bytes an answer may be` };
  try {
    return { ok: true, value: UTF8.decode(raw) };
  } catch {
    return { ok: false, reason: 'The answer is not UTF-8 text' };
  }
}
