import { checkField } from '../limits/field-limits.js';
import { type ImageEntry, ROTATIONS, type Rotation } from './model.js';
import { type Parsed, ProblemLog } from './problems.js';
import { contentLines, joinLines, oneLine } from './text-lines.js';
import { resolveUploadPath } from './upload-path.js';

/**
 * Reads an image list: `study.<name>.images` in the upload root, or a `*.images` file in the study's folder.
 * `fileName` is the file's path relative to the upload root; paths in the file are relative to its folder.
 * Each line is `path;tmaMap;rotation;name`, empty or missing fields being ignored. As in Slide Score's own
 * example `../otherfolder/011938r082.tif;;Nice Image`, a third field that is not a number, with no fourth,
 * is the name. A line with any error is skipped.
 */
export function parseImagesFile(fileName: string, text: string): Parsed<ImageEntry[]> {
  const parsed = parseImagesList(fileName, text);
  return { value: parsed.value.images, problems: parsed.problems };
}

/** `case: <name>` (the keyword ignores case); `case:` alone ends the case. */
const CASE_LINE = /^case\s*:(.*)$/i;

/**
 * An image list with its cases: a line `case: <name>` puts the image lines below it, up to the next `case:`
 * line, in that case (`case:` with no name: in none). A case line with no image below it still declares the
 * case. `cases` lists every declared case name once (the first spelling, matched ignoring case).
 */
export function parseImagesList(fileName: string, text: string): Parsed<{ images: ImageEntry[]; cases: string[] }> {
  const log = new ProblemLog(fileName);
  const images: ImageEntry[] = [];
  const cases: string[] = [];
  const folder = folderOf(fileName);
  if (!folder.ok) {
    log.error(1, `cannot tell which folder this file is in: ${folder.reason}`);
    return { value: { images, cases }, problems: log.problems };
  }
  const firstLine = new Map<string, { image: ImageEntry; line: number }>();
  let caseName: string | undefined;
  for (const line of contentLines(text, log)) {
    const caseLine = CASE_LINE.exec(line.text.trim());
    if (caseLine) {
      const name = (caseLine[1] ?? '').trim();
      const bad = name === '' ? undefined : checkField('name', name);
      if (bad) {
        log.error(line.number, `case name: ${bad}; the images below are in no case`);
        caseName = undefined;
        continue;
      }
      caseName = name === '' ? undefined : (cases.find((c) => c.toLowerCase() === name.toLowerCase()) ?? name);
      if (caseName !== undefined && !cases.includes(caseName)) cases.push(caseName);
      continue;
    }
    const read = readImageLine(folder.path, line.text);
    if (!('error' in read) && caseName !== undefined) read.image.caseName = caseName;
    if ('error' in read) {
      log.error(line.number, `${read.error}; line skipped`);
      continue;
    }
    for (const warning of read.warnings) log.warning(line.number, warning);
    const earlier = firstLine.get(read.image.path);
    if (earlier) {
      Object.assign(earlier.image, read.image);
      log.warning(line.number, `${read.image.path} is also on line ${earlier.line}; the fields given here win`);
      continue;
    }
    firstLine.set(read.image.path, { image: read.image, line: line.number });
    images.push(read.image);
  }
  return { value: { images, cases }, problems: log.problems };
}

/**
 * The file text for these images, for `study.<name>.images` in the upload root (paths are root-relative).
 * Images in no case come first; then each case (those of `cases` first, in that order, images naming others
 * after) as a `case: <name>` line followed by its images.
 */
export function writeImagesFile(images: readonly ImageEntry[], cases: readonly string[] = []): string {
  const caseNames = [...cases];
  for (const image of images)
    if (image.caseName !== undefined && !caseNames.includes(image.caseName)) caseNames.push(image.caseName);
  const lines = images.filter((i) => i.caseName === undefined).map(imageLine);
  for (const name of caseNames) {
    lines.push(`case: ${oneLine(name)}`, ...images.filter((i) => i.caseName === name).map(imageLine));
  }
  return joinLines(lines);
}

function imageLine(image: ImageEntry): string {
  const fields = [
    oneLine(image.path),
    oneLine(image.tmaMap ?? ''),
    image.rotation === undefined ? '' : String(image.rotation),
    oneLine(image.name ?? ''),
  ];
  while (fields.at(-1) === '') fields.pop();
  return fields.join(';');
}

type ImageLine = { image: ImageEntry; warnings: string[] } | { error: string };

function readImageLine(folder: string, text: string): ImageLine {
  const [pathField = '', mapField = '', thirdField = '', ...rest] = text.split(';');
  const third = thirdField.trim();
  // Names may hold `;`: everything after the third `;` is the name.
  const fourth = rest.join(';').trim();
  const warnings: string[] = [];
  const image: ImageEntry = { path: '' };

  const path = resolveFile(folder, pathField.trim(), 'image');
  if ('error' in path) return path;
  image.path = path.file;

  if (mapField.trim() !== '') {
    const map = resolveFile(folder, mapField.trim(), 'TMA map');
    if ('error' in map) return map;
    image.tmaMap = map.file;
  }

  if (third !== '' && fourth === '' && !isNumber(third)) {
    image.name = third;
    if (/^\d/.test(third)) {
      warnings.push(`"${third}" is taken as the image name; a rotation must be one of ${ROTATIONS.join(', ')}`);
    }
  } else {
    if (third !== '') {
      const rotation = ROTATIONS.find((r) => isNumber(third) && r === Number(third));
      if (rotation === undefined) return { error: `rotation "${third}" must be one of ${ROTATIONS.join(', ')}` };
      image.rotation = rotation satisfies Rotation;
    }
    if (fourth !== '') image.name = fourth;
  }
  const badName = image.name === undefined ? undefined : checkField('name', image.name);
  if (badName) return { error: `image name: ${badName}` };
  return { image, warnings };
}

function resolveFile(folder: string, field: string, what: string): { file: string } | { error: string } {
  if (field === '') return { error: `no ${what} path` };
  const badPath = checkField('fileName', field);
  if (badPath) return { error: `${what} path: ${badPath}` };
  const resolved = resolveUploadPath(folder, field);
  if (!resolved.ok) return { error: `${what} path refused: ${resolved.reason}` };
  if (resolved.path === '') return { error: `${what} path "${field}" names the upload root, not a file` };
  return { file: resolved.path };
}

function isNumber(text: string): boolean {
  return /^[+-]?\d+(?:\.\d+)?$/.test(text);
}

function folderOf(fileName: string): { ok: true; path: string } | { ok: false; reason: string } {
  const slash = fileName.replaceAll('\\', '/').lastIndexOf('/');
  if (slash < 0) return { ok: true, path: '' };
  return resolveUploadPath('', fileName.slice(0, slash));
}
