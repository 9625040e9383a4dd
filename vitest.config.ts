import { defineConfig } from 'vitest/config';

const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'WARN' };
// The global setup (the embedded runtime) runs in this process, not in a worker: give it the same environment.
Object.assign(process.env, env);

/**
 * Three kinds of test, one command (`npm test`):
 * - unit: pure code, no servers;
 * - storage and api: against one embedded runtime (DynamoDB Local, s3rver, tus, every route) started once
 *   per run by the global setup, on a free port with a temporary data folder;
 * - infra: synthesizes the CDK stack and runs cdk-nag.
 */
export default defineConfig({
  test: {
    env,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env } },
      {
        test: {
          name: 'api',
          include: ['test/api/**/*.test.ts', 'test/storage/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          env,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], env, testTimeout: 300_000, hookTimeout: 300_000 },
      },
    ],
  },
});
