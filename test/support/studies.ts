import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './http-client.js';
import { uploadFile } from './tus-client.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'slides');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name));

let counter = 0;
/** A study name no other test uses (tests share one server). */
export function uniqueStudyName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Uploads files (`path` → content) the way the SDK does: config files to the root, slides to folders. */
export async function uploadAll(files: Record<string, Buffer | string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const slash = path.lastIndexOf('/');
    const folder = slash < 0 ? '' : path.slice(0, slash);
    const reply = await uploadFile(
      folder,
      path.slice(slash + 1),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
    );
    if (reply !== '"OK"') throw new Error(`upload of ${path} failed: ${reply}`);
  }
}

export interface ReimportReply {
  success: boolean;
  id?: number;
  log: string;
}

export async function reimport(
  studyName: string,
  options: { ignoreImageErrors?: boolean; token?: string } = {},
): Promise<ReimportReply> {
  const form: Record<string, string> = { studyName };
  if (options.ignoreImageErrors) form.ignoreImageErrors = 'true';
  const reply = await call('POST', '/Api/Reimport', { form, token: options.token });
  if (reply.status !== 200) throw new Error(`Reimport answered ${reply.status}: ${reply.text}`);
  return reply.json<ReimportReply>();
}

/** Uploads the files and reimports; fails the test unless the import succeeds. */
export async function createStudy(name: string, files: Record<string, Buffer | string>): Promise<number> {
  await uploadAll(files);
  const result = await reimport(name);
  if (!result.success || result.id === undefined) throw new Error(`Reimport of ${name} failed:\n${result.log}`);
  return result.id;
}

export async function getJson<T>(path: string, form: Record<string, string | number>, token?: string): Promise<T> {
  const reply = await call('GET', path, { form, token });
  if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}: ${reply.text}`);
  return reply.json<T>();
}

/** What Images and Questions return (reference §3.1). */
export interface ImageRow {
  id: number;
  name: string;
  fileName: string;
  fileSize: number;
  studyID: number;
  rotation: number;
  tmaMap?: string;
  caseID?: number;
}

export interface QuestionRow {
  id: number;
  name: string;
  typeName: string;
  valuesAllowed: string;
  order: number;
}
