/**
 * An error that becomes an HTTP reply, shaped by the route's reply kind (functions/http/middlewares/
 * error-replies.ts, docs/api.md "Replies and refusals"). Anything else thrown becomes a 500 whose body names
 * only the request id (the stack goes to the log, never to the client).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Bad or missing parameter, value too long, refused content. */
export const badRequest = (message: string) => new HttpError(400, message);
export const unauthorized = (message: string) =>
  new HttpError(401, message, { 'www-authenticate': 'Bearer realm="slidescore"' });
/** The token lacks the route's capability, or a study the request names directly. */
export const forbidden = (message: string) => new HttpError(403, message);
/** An unknown object, or one in a study the token does not hold: the two must read the same. */
export const notFound = (message: string) => new HttpError(404, message);
/** A write that conflicts with what is stored (a name already taken…). */
export const conflict = (message: string) => new HttpError(409, message);

const LOGICAL = new Set([400, 404, 409, 422]);

/** Errors of the request's content, as opposed to its credentials or the server's state. */
export function isLogicalError(error: HttpError): boolean {
  return LOGICAL.has(error.statusCode);
}
