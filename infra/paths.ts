import { fileURLToPath } from 'node:url';

/** The repository root: handler paths in the manifest are relative to it, and it is the tus image's context. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
