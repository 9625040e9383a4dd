import { publicHandler } from '../../http/api-handler.js';
import { raw } from '../../http/replies.js';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Renew QuPath links</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.5">
<h1>Your QuPath project's links have expired</h1>
<p>QuPath opens slides of this server through per-slide links that last a year at most, and never longer
than the API token that made them. This server does not rewrite project files: make a new project instead.</p>
<ol>
<li>Ask the study's administrator for new links. They call <code>GetQupathTokensForStudy</code> with the
study's ID and your email address (an API token with CanGetPixels, CanGetResults and CanUploadScores), which
answers one <code>…/SlideScoreMetadata.json</code> URL per slide.</li>
<li>In QuPath, create a project and add the URLs (<em>Add images</em>, <em>Input URL</em>), one per slide.</li>
</ol>
<p>Your answers are kept on the server: import them again with the Slide Score extension's
<em>Import answers</em> command.</p>
</body>
</html>
`;

/** GET /Studies/RenewProject: the page QuPath opens when its project is more than a year old. */
export const handler = publicHandler('RenewProject', async () =>
  raw(PAGE, 'text/html; charset=utf-8', { 'x-content-type-options': 'nosniff' }),
);
