import { imageNameOf } from '../domain/slides/slide-format.js';
import type { Question, Right, StudySettings, StudyUser } from '../domain/study-config/model.js';
import { RIGHTS } from '../domain/study-config/model.js';
import type { StudySources } from './reimport.js';
import type { StudyCase, StudyContents, StudyImage, StudyMember, StudyQuestion, StudyTmaMap } from './study-model.js';
import type { NewCase, NewImage, NewQuestion } from './study-repository.js';

/**
 * The pure half of Reimport: given what is stored and what the files say, what to add and change, and the
 * log lines saying so. Nothing here removes anything.
 */

const SCALARS = ['label', 'folder', 'description', 'published'] as const;
const TAGS = ['organs', 'diseases', 'stainings'] as const;

/** Values the file gives are set; values it leaves out stay; tags are added to. */
export function mergeSettings(
  current: StudySettings,
  fromFile: StudySettings | undefined,
): { value: StudySettings; changed?: string[] } {
  if (!fromFile) return { value: current };
  const value: StudySettings = {
    ...current,
    organs: [...current.organs],
    diseases: [...current.diseases],
    stainings: [...current.stainings],
  };
  const changed: string[] = [];
  for (const key of SCALARS) {
    const given = fromFile[key];
    if (given !== undefined && given !== current[key]) {
      (value as unknown as Record<string, unknown>)[key] = given;
      changed.push(key);
    }
  }
  for (const key of TAGS) {
    const have = new Set(value[key].map((t) => t.toLowerCase()));
    const added = fromFile[key].filter((t) => !have.has(t.toLowerCase()));
    if (added.length > 0) {
      value[key].push(...added);
      changed.push(key);
    }
  }
  return changed.length > 0 ? { value, changed } : { value };
}

/** New questions are added after the existing ones, in file order; changed ones are updated; removed ones return. */
export function planQuestions(
  existing: readonly StudyQuestion[],
  fromFile: readonly Question[],
): { add: NewQuestion[]; update: StudyQuestion[]; log: string[] } {
  const byName = new Map(existing.map((q) => [q.name.toLowerCase(), q]));
  let order = existing.reduce((max, q) => Math.max(max, q.order + 1), 0);
  const add: NewQuestion[] = [];
  const update: StudyQuestion[] = [];
  const log: string[] = [];
  for (const question of fromFile) {
    const stored = byName.get(question.name.toLowerCase());
    if (!stored) {
      add.push({ ...question, order: order++ });
      continue;
    }
    const changes: string[] = [];
    if (stored.removed) changes.push('restored');
    if (stored.type !== question.type) changes.push(`type ${stored.type} → ${question.type}`);
    if (stored.valuesAllowed !== question.valuesAllowed) changes.push('options');
    if (changes.length === 0) {
      log.push(`Question ${stored.name} already there`);
      continue;
    }
    const { removed: _removed, ...kept } = stored;
    update.push({ ...kept, type: question.type, valuesAllowed: question.valuesAllowed });
    log.push(`Updated question ${stored.name}: ${changes.join(', ')}`);
  }
  return { add, update, log };
}

/** Users are added; rights are only ever added; users removed in administration come back. */
export function mergeMembers(
  existing: readonly StudyMember[],
  users: readonly StudyUser[],
): { put: StudyMember[]; log: string[] } {
  const byEmail = new Map(existing.map((m) => [m.email.toLowerCase(), m]));
  const put: StudyMember[] = [];
  const log: string[] = [];
  for (const user of users) {
    const stored = byEmail.get(user.email.toLowerCase());
    if (!stored) {
      put.push({ email: user.email, rights: user.rights });
      log.push(`Added user ${user.email} (${user.rights.join(', ')})`);
      continue;
    }
    const rights = unionOfRights(stored.rights, user.rights);
    const gained = rights.filter((r) => !stored.rights.includes(r));
    if (gained.length === 0 && !stored.removed) {
      log.push(`User ${user.email} already there`);
      continue;
    }
    put.push({ email: stored.email, rights }); // the spelling first written stays
    log.push(
      `Updated user ${user.email}: ${[...(stored.removed ? ['restored'] : []), ...gained.map((r) => `+${r}`)].join(', ')}`,
    );
  }
  return { put, log };
}

/** `viewonly` only stands alone: any other right already lets the user view. */
function unionOfRights(a: readonly Right[], b: readonly Right[]): Right[] {
  const all = new Set([...a, ...b]);
  if (all.size > 1) all.delete('viewonly');
  return RIGHTS.filter((r) => all.has(r));
}

/**
 * Maps are stored under the root-relative path of their file. A map named in an image list goes to that slide;
 * a root map goes to the slides its `tmas` header names (by root path, path in the study folder, or file
 * name). Without `force`, a slide that has another map keeps it.
 */
export function planMaps(
  contents: StudyContents,
  sources: StudySources,
  studyName: string,
): { put: StudyTmaMap[]; attach: Map<string, string>; log: string[] } {
  const folder = sources.settings?.folder ?? contents.study.settings.folder ?? studyName;
  const put: StudyTmaMap[] = [];
  const attach = new Map<string, string>();
  const log: string[] = [];
  const storedMap = new Map(contents.images.map((i) => [i.path, i.tmaMap]));
  const paths = new Set([...contents.images.map((i) => i.path), ...sources.images.keys()]);
  const give = (imagePath: string, mapName: string, force: boolean) => {
    const current = attach.get(imagePath) ?? storedMap.get(imagePath);
    if (current && current !== mapName && !force) {
      log.push(`Image ${imagePath} keeps map ${current}; map ${mapName} not applied (use force: true)`);
      return;
    }
    attach.set(imagePath, mapName);
  };
  const coreSizes = new Map(contents.maps.map((m) => [m.name, m.coreDiameterUm]));
  for (const [name, map] of sources.maps) {
    const coreDiameterUm = coreSizes.get(name); // set by UpdateTMACoreSize, which outlives a Reimport
    put.push(coreDiameterUm === undefined ? { name, file: name, map } : { name, file: name, map, coreDiameterUm });
    for (const entry of map.tmas) {
      const matches = [...paths].filter(
        (p) =>
          p === entry ||
          p === `${folder}/${entry}` ||
          (!entry.includes('/') && p.slice(p.lastIndexOf('/') + 1) === entry),
      );
      if (matches.length === 0) log.push(`warning: map ${name} names ${entry}, which is no slide of the study`);
      for (const path of matches) give(path, name, map.force);
    }
  }
  for (const [path, image] of sources.images) if (image.tmaMap) attach.set(path, image.tmaMap);
  if (put.length > 0)
    log.push(...put.map((m) => `Map ${m.name}: ${m.map.grid.length} × ${m.map.grid[0]?.length ?? 0} cores`));
  return { put, attach, log };
}

/** Cases named by image lists are added; those removed by RemoveCase come back. */
export function planCases(
  existing: readonly StudyCase[],
  names: readonly string[],
): { add: NewCase[]; update: StudyCase[]; log: string[] } {
  const byName = new Map(existing.map((c) => [c.name.toLowerCase(), c]));
  const add: NewCase[] = [];
  const update: StudyCase[] = [];
  const log: string[] = [];
  for (const name of names) {
    const stored = byName.get(name.toLowerCase());
    if (!stored) add.push({ name });
    else if (stored.removed) {
      const { removed: _removed, ...kept } = stored;
      update.push(kept);
      log.push(`Updated case ${stored.name}: restored`);
    }
  }
  return { add, update, log };
}

/** New slides are added; fields an image list gives (and maps, cases) update existing ones; removed ones return. */
export function planImages(
  existing: readonly StudyImage[],
  candidates: StudySources['images'],
  maps: ReadonlyMap<string, string>,
  now: Date,
  cases: ReadonlyMap<string, number> = new Map(),
): { add: NewImage[]; update: StudyImage[]; log: string[] } {
  const byPath = new Map(existing.map((i) => [i.path, i]));
  const add: NewImage[] = [];
  const update: StudyImage[] = [];
  const log: string[] = [];
  for (const [path, candidate] of candidates) {
    const stored = byPath.get(path);
    const map = maps.get(path);
    if (!stored) {
      const image: NewImage = {
        name: candidate.name ?? imageNameOf(path),
        path,
        fileSize: candidate.file.size,
        format: candidate.format,
        rotation: candidate.rotation ?? 0,
        addedOn: now.toISOString(),
      };
      if (map) image.tmaMap = map;
      const caseId = cases.get(path);
      if (caseId !== undefined) image.caseId = caseId;
      add.push(image);
      continue;
    }
    const next: StudyImage = { ...stored };
    const changes: string[] = [];
    if (stored.removed) {
      delete next.removed;
      changes.push('restored');
    }
    if (candidate.name !== undefined && candidate.name !== stored.name) {
      next.name = candidate.name;
      changes.push(`name ${candidate.name}`);
    }
    if (candidate.rotation !== undefined && candidate.rotation !== stored.rotation) {
      next.rotation = candidate.rotation;
      changes.push(`rotation ${candidate.rotation}`);
    }
    const caseId = cases.get(path);
    if (caseId !== undefined && caseId !== stored.caseId) {
      next.caseId = caseId;
      changes.push(`case ${caseId}`);
    }
    if (map !== undefined && map !== stored.tmaMap) {
      next.tmaMap = map;
      changes.push(`map ${map}`);
    }
    if (candidate.file.size !== stored.fileSize) {
      next.fileSize = candidate.file.size;
      changes.push('file replaced');
    }
    if (changes.length === 0) log.push(`Image ${stored.name} already there`);
    else {
      update.push(next);
      log.push(`Updated image ${stored.name}: ${changes.join(', ')}`);
    }
  }
  return { add, update, log };
}
