import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Swagger UI files we serve ourselves (no CDN), from the swagger-ui-dist package. In Lambda the bundler
 * copies them next to the handler and SWAGGER_UI_DIR says where; elsewhere they are read from node_modules.
 */
export const SWAGGER_UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** Our own start script, a file rather than inline so the page can forbid inline scripts. */
export const INITIALIZER = 'initializer.js';
export const INITIALIZER_SCRIPT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/swagger/v1/swagger.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

export const SWAGGER_UI_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Slide Score API</title>
  <link rel="stylesheet" href="/swagger/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/swagger/assets/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/swagger/assets/swagger-ui-bundle.js"></script>
  <script src="/swagger/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/swagger/assets/${INITIALIZER}"></script>
</body>
</html>
`;

export const SWAGGER_UI_DIR_ENV = 'SWAGGER_UI_DIR';

export function swaggerUiDirectory(): string {
  const configured = process.env[SWAGGER_UI_DIR_ENV];
  if (configured) return configured;
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

export async function readSwaggerUiFile(name: string): Promise<Buffer> {
  return readFile(join(swaggerUiDirectory(), name));
}
