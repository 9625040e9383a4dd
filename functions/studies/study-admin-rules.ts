import { createHash } from 'node:crypto';
import type { Study } from './study-model.js';

/**
 * Which `.config` file a Publish/Unpublish overrode: the SHA-256 of its text, or `none` when the study had no
 * `.config` file. Reimport compares it with the file it reads.
 */
export function configFingerprint(text: string | undefined): string {
  return text === undefined ? 'none' : createHash('sha256').update(text).digest('hex');
}

/** True while the API's published value still wins: the `.config` file is the one it overrode. */
export function publishedOverrideHolds(study: Study, fingerprint: string): boolean {
  return study.publishedOverride !== undefined && study.publishedOverride.configFingerprint === fingerprint;
}
