import { services } from '../../common/services.js';
import { contentDisposition } from '../../domain/attachments/attachment-files.js';
import { publicHandler } from '../../http/api-handler.js';
import { notFound } from '../../http/errors.js';
import { raw } from '../../http/replies.js';

/** Attachments up to this size are sent by the function itself; larger ones from S3 by a signed URL. */
export const SERVED_INLINE_BYTES = 4 * 1024 * 1024;
const SIGNED_URL_SECONDS = 15 * 60;

/**
 * GET /a/{attId}/{guid}/{filename}: an attachment, to whoever has the link (the guid is its secret). Images,
 * PDF, plain text, CSV and MP4 are shown in the browser; every other type is a download, so nothing uploaded
 * can run script on this site. `nosniff` and a sandboxing CSP make the browser keep to that.
 */
export const handler = publicHandler('ServeAttachment', async ({ event }) => {
  const path = event.pathParameters ?? {};
  const attId = Number(path.attId);
  const name = path.filename ?? '';
  const found =
    Number.isSafeInteger(attId) && attId > 0
      ? await services().attachments.find(attId, path.guid ?? '', safeDecode(name))
      : undefined;
  if (!found) throw notFound('No such attachment');
  const disposition = found.inline
    ? contentDisposition('inline', found.attachment.filename)
    : contentDisposition('attachment', found.attachment.filename);
  if (found.file.size > SERVED_INLINE_BYTES) {
    const url = await services().files.signedDownloadUrl(found.file, {
      contentType: found.contentType,
      disposition,
      expiresInSeconds: SIGNED_URL_SECONDS,
    });
    return { statusCode: 302, headers: { location: url, 'cache-control': 'no-store' } };
  }
  const bytes = await services().files.readObjectRange(found.file, 0, found.file.size);
  return raw(bytes, found.contentType, {
    'content-disposition': disposition,
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'",
    'cache-control': 'private, max-age=300',
  });
});

/** API Gateway may pass a path parameter still percent-encoded; the embedded server decodes it. */
function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
