import { studyOfAttachmentFolder } from '../attachments/attachment-files.js';
import { checkField } from '../limits/field-limits.js';
import type { StudySettings } from './model.js';
import { type Parsed, ProblemLog } from './problems.js';
import { appendUnique, parseBoolean, splitList, splitPropertyLine } from './property-lines.js';
import { contentLines, joinLines, oneLine } from './text-lines.js';
import { resolveUploadPath } from './upload-path.js';

type TagProperty = 'organs' | 'diseases' | 'stainings';

/** Property names in the order writers use; singular tag names are accepted as well. */
export const CONFIG_PROPERTIES = [
  'label',
  'folder',
  'description',
  'published',
  'organs',
  'diseases',
  'stainings',
] as const;

// A Map, not an object literal: a property named `constructor` must not find Object.prototype's.
const TAG_ALIASES = new Map<string, TagProperty>([
  ['organs', 'organs'],
  ['organ', 'organs'],
  ['diseases', 'diseases'],
  ['disease', 'diseases'],
  ['stainings', 'stainings'],
  ['staining', 'stainings'],
]);

/**
 * Reads `study.<name>.config`: `property: value` lines (names ignore case). Tags are lists separated by `,` (or
 * `;`, as the admin pages write them); repeating a tag property adds to its list. Repeating any other property:
 * the last value wins (warning). Unknown properties and empty values are warnings; bad values are errors.
 */
export function parseConfigFile(fileName: string, text: string): Parsed<StudySettings> {
  const log = new ProblemLog(fileName);
  const settings: StudySettings = { organs: [], diseases: [], stainings: [] };
  const seenOn = new Map<string, number>();
  for (const line of contentLines(text, log)) {
    const property = splitPropertyLine(line.text);
    if (!property) {
      log.error(line.number, 'expected "property: value"; line skipped');
      continue;
    }
    const { name, value } = property;
    const tag = TAG_ALIASES.get(name);
    const known = tag !== undefined || (CONFIG_PROPERTIES as readonly string[]).includes(name);
    if (!known) {
      log.warning(line.number, `unknown property "${name}" (known: ${CONFIG_PROPERTIES.join(', ')}); ignored`);
      continue;
    }
    if (value === '') {
      log.warning(line.number, `${name} has no value; ignored`);
      continue;
    }
    // Values are one line; the folder is a path, the description free text, every other value a name.
    const kind = name === 'folder' ? 'fileName' : name === 'description' ? 'freeText' : 'name';
    const badValue = checkField(kind, value);
    if (badValue) {
      log.error(line.number, `${name}: ${badValue}; ignored`);
      continue;
    }
    if (tag) {
      appendUnique(settings[tag], splitList(value, /[,;]/), (item) => item.toLowerCase());
      continue;
    }
    if (!readScalar(settings, name, value, line.number, log)) continue;
    const earlier = seenOn.get(name);
    if (earlier !== undefined) log.warning(line.number, `${name} is also on line ${earlier}; this value wins`);
    seenOn.set(name, line.number);
  }
  return { value: settings, problems: log.problems };
}

/** Sets label, folder, description or published; false when the value was refused. */
function readScalar(settings: StudySettings, name: string, value: string, line: number, log: ProblemLog): boolean {
  if (name === 'folder') {
    // A folder is naturally written with a trailing slash; only there is an empty segment harmless.
    const folder = resolveUploadPath('', value.replace(/[/\\]+$/, ''));
    if (!folder.ok || folder.path === '' || studyOfAttachmentFolder(folder.path.split('/')[0] ?? '') !== undefined) {
      const reason = !folder.ok
        ? folder.reason
        : folder.path === ''
          ? 'it names the upload root'
          : 'it names an attachment folder';
      log.error(line, `folder refused: ${reason}`);
      return false;
    }
    settings.folder = folder.path;
  } else if (name === 'published') {
    const published = parseBoolean(value);
    if (published === undefined) {
      log.error(line, `published must be true or false, not "${value}"; ignored`);
      return false;
    }
    settings.published = published;
  } else if (name === 'label') settings.label = value;
  else settings.description = value;
  return true;
}

/** The file text for these settings; absent values and empty lists are left out. */
export function writeConfigFile(settings: StudySettings): string {
  const lines: string[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && oneLine(value) !== '') lines.push(`${name}: ${oneLine(value)}`);
  };
  add('label', settings.label);
  add('folder', settings.folder);
  add('description', settings.description);
  add('published', settings.published === undefined ? undefined : String(settings.published));
  add('organs', settings.organs.join(', '));
  add('diseases', settings.diseases.join(', '));
  add('stainings', settings.stainings.join(', '));
  return joinLines(lines);
}
