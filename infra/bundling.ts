/**
 * How server code is bundled, shared by the Lambda functions (CDK's NodejsFunction) and the container image
 * (infra/build-container.ts). Plain Node code (no CDK): the image build runs it.
 */

/** The Node version of Lambda's nodejs22.x runtime and of the container's base image. */
export const NODE_TARGET = 'node22';

/** ESM output still meets CommonJS dependencies that call `require`; give them one. */
// Its own name for createRequire, so that no bundled module declaring `createRequire` clashes with it.
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);";
