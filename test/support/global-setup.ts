import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { AppConfig } from '../../functions/common/config.js';
import { type Runtime, startRuntime } from '../../functions/local/runtime.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
    dataDir: string;
    appConfig: AppConfig;
  }
}

let runtime: Runtime | undefined;
let dataDir: string | undefined;

/** One embedded runtime for all API and storage tests: DynamoDB in memory, everything else in a temp folder. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = await mkdtemp(join(tmpdir(), 'slidescore-test-'));
  // GenerateSlideFileURL may show the fixture slides from disk (test/api/slide-file-url.test.ts).
  process.env.SLIDE_FILE_DIRS ??= resolve(import.meta.dirname, '..', 'fixtures', 'slides');
  runtime = await startRuntime({ dataDir, port: 0, host: '127.0.0.1', inMemoryDatabase: true });
  project.provide('baseUrl', runtime.url);
  project.provide('adminToken', runtime.adminToken);
  project.provide('dataDir', dataDir);
  project.provide('appConfig', runtime.config);
}

export async function teardown(): Promise<void> {
  await runtime?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
