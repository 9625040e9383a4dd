import { imageNameOf } from '../domain/slides/slide-format.js';
import { writeConfigFile } from '../domain/study-config/config-file.js';
import { writeEmailsFile } from '../domain/study-config/emails-file.js';
import { configFileName } from '../domain/study-config/file-names.js';
import { writeImagesFile } from '../domain/study-config/images-file.js';
import type { ImageEntry } from '../domain/study-config/model.js';
import { writeScoresFile } from '../domain/study-config/scores-file.js';
import { writeTmaMapFile } from '../domain/study-config/tma-map-file.js';
import type { StudyContents } from './study-model.js';
import { visibleCases, visibleImages, visibleQuestions } from './study-views.js';

/**
 * GetConfigFiles: the study's configuration as the files that would create it, generated from the database
 * (so they include changes made since the import). Uploaded under another study's name and reimported, they
 * give that study the same slides (by path: nothing is copied), questions, users, maps and settings.
 *
 * Maps are written as root map files whose `tmas` header lists the slides' paths with `force: true`, rather
 * than in the image list, so a map moved between slides after the import is cloned as it is now.
 *
 * Empty files (a study without users, settings, questions or images) are left out: the SDK cannot upload a
 * 0-byte file, so a clone would fail on them, and a missing file means the same to an import as an empty one.
 */
export function studyConfigFiles(contents: StudyContents): Record<string, string> {
  const name = contents.study.name;
  const images = visibleImages(contents);
  const cases = visibleCases(contents);
  const caseNames = new Map(cases.map((c) => [c.id, c.name]));
  const entries = images.map((image): ImageEntry => {
    const entry: ImageEntry = { path: image.path };
    if (image.rotation !== 0) entry.rotation = image.rotation;
    if (image.name !== imageNameOf(image.path)) entry.name = image.name;
    const caseName = image.caseId === undefined ? undefined : caseNames.get(image.caseId);
    if (caseName !== undefined) entry.caseName = caseName;
    return entry;
  });
  const files: Record<string, string> = {
    [configFileName(name, 'config')]: writeConfigFile(contents.study.settings),
    [configFileName(name, 'emails')]: writeEmailsFile(contents.members.filter((m) => !m.removed)),
    [configFileName(name, 'scores')]: writeScoresFile(visibleQuestions(contents)),
    [configFileName(name, 'images')]: writeImagesFile(
      entries,
      cases.map((c) => c.name),
    ),
  };
  contents.maps.forEach((stored, index) => {
    const tmas = images.filter((i) => i.tmaMap === stored.name).map((i) => i.path);
    // A core size set by UpdateTMACoreSize becomes the clone's `core-diameter` header.
    const layout =
      stored.coreDiameterUm === undefined
        ? stored.map.layout
        : { ...stored.map.layout, coreDiameterUm: stored.coreDiameterUm };
    files[configFileName(name, 'map', String(index + 1))] = writeTmaMapFile({
      ...stored.map,
      tmas,
      force: true,
      ...(layout ? { layout } : {}),
    });
  });
  return Object.fromEntries(Object.entries(files).filter(([, text]) => text !== ''));
}
