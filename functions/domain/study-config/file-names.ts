/** The kinds of study config file in the upload root, as in `study.<name>.<kind>`. */
export const CONFIG_FILE_KINDS = ['emails', 'images', 'scores', 'config', 'map'] as const;
export type ConfigFileKind = (typeof CONFIG_FILE_KINDS)[number];

/** A root file name read as a study config file. Map files carry what follows `map` (often `''` or `1`). */
export type StudyFileName =
  | { studyName: string; kind: Exclude<ConfigFileKind, 'map'> }
  | { studyName: string; kind: 'map'; mapSuffix: string };

/**
 * Study names: letters, digits, `_` and `-` (the SDK tests use `test-study-2024-01-01_12-00-00`). No dots, so
 * the name ends at the first dot after `study.` and `study.a.map.b` is study `a`'s map `.b`, never study `a.map`.
 */
const STUDY_NAME = /^[A-Za-z0-9_-]+$/;

export function isStudyName(name: string): boolean {
  return STUDY_NAME.test(name);
}

// Prefix and kind ignore case: Slide Score runs on Windows, where `Study.X.Emails` is the same file.
const ROOT_FILE = /^study\.([A-Za-z0-9_-]+)\.(emails|images|scores|config|map(.*))$/i;

/** Reads a file name in the upload root as a study config file, or undefined when it is not one. */
export function classifyRootFileName(fileName: string): StudyFileName | undefined {
  if (/[/\\\p{Cc}]/u.test(fileName)) return undefined;
  const match = ROOT_FILE.exec(fileName);
  const studyName = match?.[1];
  const kind = match?.[2]?.toLowerCase();
  if (studyName === undefined || kind === undefined) return undefined;
  if (kind.startsWith('map')) return { studyName, kind: 'map', mapSuffix: match?.[3] ?? '' };
  return { studyName, kind: kind as Exclude<ConfigFileKind, 'map'> };
}

/** The root file name for a study's config file (GetConfigFiles, cloning). */
export function configFileName(studyName: string, kind: ConfigFileKind, mapSuffix = ''): string {
  return `study.${studyName}.${kind}${kind === 'map' ? mapSuffix : ''}`;
}

/** Whether a file in a study's folder is an image list (`*.images`, any case). */
export function isImagesListFile(fileName: string): boolean {
  return /\.images$/i.test(fileName);
}
