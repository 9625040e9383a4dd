import { parseConfigFile } from '../domain/study-config/config-file.js';
import { classifyRootFileName } from '../domain/study-config/file-names.js';
import type { StudySettings } from '../domain/study-config/model.js';
import type { UploadedFiles } from '../storage/uploaded-files.js';
import { configFingerprint } from './study-admin-rules.js';

/** The fingerprint of the study's `.config` file as Reimport would read it (`none` when there is none). */
export async function currentConfigFingerprint(files: UploadedFiles, studyName: string): Promise<string> {
  for await (const file of files.list('')) {
    const name = classifyRootFileName(file.filename);
    if (name?.kind === 'config' && name.studyName.toLowerCase() === studyName.toLowerCase()) {
      return configFingerprint(await files.readText(file.path));
    }
  }
  return configFingerprint(undefined);
}

/** The `.config` settings UpdateStudy sets (`published` has Publish/Unpublish; names never change). */
export const UPDATABLE_SETTINGS = ['label', 'folder', 'description', 'organs', 'diseases', 'stainings'] as const;
export type UpdatableSetting = (typeof UPDATABLE_SETTINGS)[number];

/**
 * UpdateStudy: each given value is read as its `.config` line would be (same checks); an empty value clears
 * a setting or empties a list. Lists are replaced, not added to. Returns the new settings or the problems.
 */
export function updatedSettings(
  current: StudySettings,
  given: ReadonlyMap<UpdatableSetting, string>,
): { ok: true; settings: StudySettings } | { ok: false; log: string } {
  const settings: StudySettings = { ...current };
  const problems: string[] = [];
  for (const [key, value] of given) {
    const text = value.trim();
    if (key === 'organs' || key === 'diseases' || key === 'stainings') {
      if (text === '') {
        settings[key] = [];
        continue;
      }
    } else if (text === '') {
      delete settings[key];
      continue;
    }
    const parsed = parseConfigFile('UpdateStudy', `${key}: ${text.replace(/[\r\n]+/g, ' ')}`);
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      problems.push(...errors.map((p) => `${key}: ${p.reason}`));
      continue;
    }
    if (key === 'organs' || key === 'diseases' || key === 'stainings') settings[key] = parsed.value[key];
    else if (parsed.value[key] !== undefined) settings[key] = parsed.value[key];
  }
  return problems.length > 0 ? { ok: false, log: problems.join('\n') } : { ok: true, settings };
}
