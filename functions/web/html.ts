/**
 * HTML for the viewer pages, escaped by construction: `html` escapes every interpolated value unless it is
 * already `SafeHtml` (made by `html` itself or `raw`), so study and slide names, which are user data, can never
 * become markup. Arrays of SafeHtml are joined.
 */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Interpolated = SafeHtml | string | number | boolean | undefined | null | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup that is trusted as it is (our own constants, or HTML sanitized on the way in). */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}

/** JSON for a `<script type="application/json">` block: no `<` can close the element. */
export function jsonForScript(value: unknown): SafeHtml {
  return new SafeHtml(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

/** A query string from defined values, escaped for a URL (then `html` escapes `&` for the attribute). */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface PageOptions {
  title: string;
  /** The signed-in user, shown in the header with a sign-out link. */
  email?: string;
  body: SafeHtml;
  /** Extra scripts, from /viewer/assets/. */
  scripts?: readonly string[];
  bodyClass?: string;
}

export function page(options: PageOptions): string {
  const scripts = (options.scripts ?? []).map((file) => html`<script src="/viewer/assets/${file}"></script>`);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${options.title} · Slide Score</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/viewer/assets/viewer.css">
</head>
<body class="${options.bodyClass ?? ''}">
  <header class="top">
    <a class="brand" href="/">Slide Score</a>
    ${options.email ? html`<nav><a href="/Studies">My studies</a> <span class="who">${options.email}</span> <a href="/SignOut">Sign out</a></nav>` : html`<nav><a href="/SignIn">Sign in</a></nav>`}
  </header>
  <main>
${options.body}
  </main>
  ${scripts}
</body>
</html>
`.text;
}

/** Headers of every page: no framing, no inline scripts, nothing from other origins, no caching of user data. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};
