import { mapConcurrently } from '../common/concurrency.js';
import { log as serverLog } from '../common/log.js';
import { hasSlideExtension, type SlideFormat } from '../domain/slides/slide-format.js';
import { parseConfigFile } from '../domain/study-config/config-file.js';
import { parseEmailsFile } from '../domain/study-config/emails-file.js';
import { classifyRootFileName, isImagesListFile, isStudyName } from '../domain/study-config/file-names.js';
import { parseImagesList } from '../domain/study-config/images-file.js';
import type { ImageEntry, Question, StudySettings, StudyUser, TmaMap } from '../domain/study-config/model.js';
import { formatProblem, type Problem } from '../domain/study-config/problems.js';
import { parseScoresFile } from '../domain/study-config/scores-file.js';
import { parseTmaMapFile } from '../domain/study-config/tma-map-file.js';
import type { UploadedFiles } from '../storage/uploaded-files.js';
import type { IndexedFile } from '../uploads/file-index.js';
import { mergeMembers, mergeSettings, planCases, planImages, planMaps, planQuestions } from './reimport-plan.js';
import { checkSlide } from './slide-files.js';
import { configFingerprint, publishedOverrideHolds } from './study-admin-rules.js';
import type { ImportLogEntry, StudyContents, StudyImage } from './study-model.js';
import type { StudyRepository } from './study-repository.js';

export interface ReimportResult {
  success: boolean;
  studyId?: number;
  log: string;
}

/** What the config files and the study folder say, read and checked before anything is written. */
export interface StudySources {
  settings?: StudySettings;
  /** configFingerprint of the `.config` file's text (`none` without one): Publish/Unpublish compare it. */
  configFingerprint: string;
  users: StudyUser[];
  /** Case names declared by `case:` lines of image lists, first spelling. */
  cases: string[];
  questions: Question[];
  /** Every candidate slide, by root-relative path, with the fields an image list gave it. */
  images: Map<string, ImageEntry & { file: IndexedFile; format: SlideFormat }>;
  /** Root map files and maps named in image lists, by root-relative path. */
  maps: Map<string, TmaMap>;
  problems: Problem[];
  /** Image problems: errors fail the import unless ignoreImageErrors makes them warnings. */
  imageProblems: string[];
}

const SNIFF_CONCURRENCY = 16;

/**
 * Reimport: creates the study named by its config files if it is missing, otherwise adds to it. It never
 * removes anything, and things removed in administration come back while the files still name them.
 * Everything is read and checked first; an unreadable slide fails the import before any write (unless
 * ignoreImageErrors). Writes are conditional, so two Reimports of one study at once create no duplicates.
 */
export class Reimporter {
  constructor(
    private readonly files: UploadedFiles,
    private readonly studies: StudyRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async reimport(
    studyName: string,
    options: { ignoreImageErrors?: boolean; trigger?: ImportLogEntry['trigger'] } = {},
  ): Promise<ReimportResult> {
    const log: string[] = [];
    if (!isStudyName(studyName)) {
      return { success: false, log: `"${studyName}" is not a study name: use letters, digits, _ and -` };
    }
    const existing = await this.studies.findStudy(studyName);
    if (existing?.deleted) {
      // DeleteStudy: stays deleted whatever the files say, until UndeleteStudy.
      log.push(
        `Study ${existing.name} (id ${existing.id}) is deleted: import refused. Call UndeleteStudy first; nothing was changed.`,
      );
      serverLog.warn('import of a deleted study refused', { studyId: existing.id, trigger: options.trigger ?? 'api' });
      return this.finish({ success: false, studyId: existing.id, log }, options.trigger);
    }
    const before = existing ? await this.studies.loadContents(existing.id) : undefined;
    const sources = await this.readSources(studyName, before);
    log.push(...sources.problems.map(formatProblem));

    const imageErrors = sources.imageProblems;
    if (imageErrors.length > 0 && !options.ignoreImageErrors) {
      log.push(...imageErrors.map((p) => `error: ${p}`));
      log.push('Import failed: nothing was changed. Fix the files, or reimport with ignoreImageErrors=true.');
      return this.finish({ success: false, studyId: existing?.id, log }, options.trigger);
    }
    log.push(...imageErrors.map((p) => `warning: ${p}; slide skipped (ignoreImageErrors)`));
    if (
      !existing &&
      !sources.settings &&
      sources.users.length === 0 &&
      sources.questions.length === 0 &&
      sources.images.size === 0
    ) {
      log.push(
        `No study files found: upload study.${studyName}.emails (and .scores, .images…) to the root, or slides to folder ${studyName}`,
      );
      return this.finish({ success: false, log }, options.trigger);
    }

    const { study, created } = await this.studies.createStudy(studyName, sources.settings ?? emptySettings());
    log.push(
      created
        ? `Created study ${study.name} (id ${study.id})`
        : `Study ${study.name} (id ${study.id}) exists; adding to it`,
    );
    // Loaded again only if another import created the study since we looked.
    const contents =
      before?.study.id === study.id ? before : ((await this.studies.loadContents(study.id)) as StudyContents);

    // Publish/Unpublish win over the file's `published:` until the `.config` file changes.
    const override = contents.study.publishedOverride;
    const keepOverride = publishedOverrideHolds(contents.study, sources.configFingerprint);
    const fromFile =
      keepOverride && sources.settings ? { ...sources.settings, published: undefined } : sources.settings;
    const settings = mergeSettings(contents.study.settings, fromFile);
    if (settings.changed || (override && !keepOverride)) {
      const { publishedOverride: _dropped, ...study } = contents.study;
      await this.studies.updateStudy({
        ...(keepOverride ? contents.study : study),
        settings: settings.value,
        updatedOn: this.now().toISOString(),
      });
      if (settings.changed) log.push(`Settings updated: ${settings.changed.join(', ')}`);
      if (override && !keepOverride) log.push('The .config file changed since Publish/Unpublish: its published: wins');
    }
    if (keepOverride && sources.settings?.published !== undefined) {
      log.push(
        `published: kept as set by Publish/Unpublish (${contents.study.settings.published}); the .config file is unchanged`,
      );
    }

    const questions = planQuestions(contents.questions, sources.questions);
    const added = await this.studies.addQuestions(study.id, questions.add);
    for (const question of questions.update) await this.studies.updateQuestion(question);
    log.push(...questions.log, ...added.map((q) => `Added question ${q.name} (${q.type}, id ${q.id})`));

    const members = mergeMembers(contents.members, sources.users);
    await this.studies.putMembers(study.id, members.put);
    log.push(...members.log);

    const maps = planMaps(contents, sources, study.name);
    await this.studies.putMaps(study.id, maps.put);
    log.push(...maps.log);

    const cases = planCases(contents.cases, sources.cases);
    const addedCases = await this.studies.addCases(study.id, cases.add);
    for (const restored of cases.update) await this.studies.updateCase(restored);
    log.push(...cases.log, ...addedCases.map((c) => `Added case ${c.name} (id ${c.id})`));
    const caseIds = new Map<string, number>();
    for (const c of [...contents.cases, ...addedCases]) caseIds.set(c.name.toLowerCase(), c.id);
    const imageCases = new Map<string, number>();
    for (const [path, image] of sources.images) {
      const id = image.caseName === undefined ? undefined : caseIds.get(image.caseName.toLowerCase());
      if (id !== undefined) imageCases.set(path, id);
    }

    const images = planImages(contents.images, sources.images, maps.attach, this.now(), imageCases);
    const addedImages = await this.studies.addImages(study.id, images.add);
    for (const image of images.update) await this.studies.updateImage(image);
    log.push(...images.log, ...addedImages.map((i) => `Added image ${i.name} (${i.path}, id ${i.id})`));
    const raced = images.add.length - addedImages.length;
    if (raced > 0) log.push(`${raced} image(s) were added by another import at the same time`);

    log.push('Import finished.');
    return this.finish({ success: true, studyId: study.id, log }, options.trigger);
  }

  private async finish(
    result: { success: boolean; studyId?: number; log: string[] },
    trigger: ImportLogEntry['trigger'] = 'api',
  ): Promise<ReimportResult> {
    const text = result.log.join('\n');
    if (result.studyId !== undefined) {
      await this.studies.appendImportLog({
        studyId: result.studyId,
        at: this.now().toISOString(),
        trigger,
        success: result.success,
        log: text,
      });
    }
    return { success: result.success, studyId: result.studyId, log: text };
  }

  /** Reads every config file of the study and its folder; writes nothing. */
  private async readSources(studyName: string, before: StudyContents | undefined): Promise<StudySources> {
    const sources: StudySources = {
      configFingerprint: configFingerprint(undefined),
      cases: [],
      users: [],
      questions: [],
      images: new Map(),
      maps: new Map(),
      problems: [],
      imageProblems: [],
    };
    const collect = <T>(parsed: { value: T; problems: Problem[] }): T => {
      sources.problems.push(...parsed.problems);
      return parsed.value;
    };
    const entries: ImageEntry[] = [];
    const addList = (list: { images: ImageEntry[]; cases: string[] }) => {
      entries.push(...list.images);
      for (const name of list.cases)
        if (!sources.cases.some((c) => c.toLowerCase() === name.toLowerCase())) sources.cases.push(name);
    };
    const mapFiles: string[] = [];
    for await (const file of this.files.list('')) {
      const name = classifyRootFileName(file.filename);
      if (!name || name.studyName.toLowerCase() !== studyName.toLowerCase()) continue;
      const text = await this.files.readText(file.path);
      if (name.kind === 'emails') sources.users.push(...collect(parseEmailsFile(file.path, text)));
      else if (name.kind === 'scores') sources.questions.push(...collect(parseScoresFile(file.path, text)));
      else if (name.kind === 'config') {
        sources.settings = collect(parseConfigFile(file.path, text));
        sources.configFingerprint = configFingerprint(text);
      } else if (name.kind === 'images') addList(collect(parseImagesList(file.path, text)));
      else mapFiles.push(file.path);
    }
    const folder = sources.settings?.folder ?? before?.study.settings.folder ?? studyName;
    const folderFiles: IndexedFile[] = [];
    for await (const file of this.files.list(folder)) {
      if (isImagesListFile(file.filename))
        addList(collect(parseImagesList(file.path, await this.files.readText(file.path))));
      else folderFiles.push(file);
    }
    for (const path of [...mapFiles, ...entries.flatMap((e) => (e.tmaMap ? [e.tmaMap] : []))]) {
      if (sources.maps.has(path)) continue;
      const file = await this.files.stat(path);
      if (!file) {
        sources.problems.push({ file: path, line: 1, severity: 'error', reason: 'this map file was not found' });
        continue;
      }
      sources.maps.set(path, collect(parseTmaMapFile(path, await this.files.readText(path))));
    }
    await this.collectImages(sources, folderFiles, entries, before?.images ?? []);
    return sources;
  }

  /**
   * Every file of the folder and every path an image list names becomes a candidate; a candidate is a slide
   * when its first bytes say so. Files already imported are not read again.
   */
  private async collectImages(
    sources: StudySources,
    folderFiles: IndexedFile[],
    entries: ImageEntry[],
    imported: readonly StudyImage[],
  ): Promise<void> {
    const known = new Map<string, SlideFormat>(imported.map((image) => [image.path, image.format]));
    const listed = new Map(entries.map((e) => [e.path, e]));
    const candidates = new Map<string, { file?: IndexedFile; entry?: ImageEntry }>();
    for (const file of folderFiles) candidates.set(file.path, { file, entry: listed.get(file.path) });
    for (const entry of entries) {
      if (!candidates.has(entry.path)) candidates.set(entry.path, { file: await this.files.stat(entry.path), entry });
    }
    const checked = await mapConcurrently([...candidates], SNIFF_CONCURRENCY, async ([path, { file, entry }]) => {
      if (!file) return { path, problem: `${path}: no such file (named in an image list)` };
      const format = known.get(path); // a slide imported before was checked then; only new files are read
      if (format) return { path, image: { ...(entry ?? {}), path, file, format } };
      const check = await checkSlide(this.files, file);
      if (check.ok) return { path, image: { ...(entry ?? {}), path, file, format: check.format } };
      // A file that neither claims to be a slide nor is named as one is something else kept in the folder.
      if (entry || hasSlideExtension(file.filename)) return { path, problem: check.reason };
      sources.problems.push({ file: path, line: 1, severity: 'warning', reason: 'not a slide; skipped' });
      return { path };
    });
    for (const result of checked) {
      if ('problem' in result && result.problem) sources.imageProblems.push(result.problem);
      if ('image' in result && result.image) sources.images.set(result.path, result.image);
    }
  }
}

function emptySettings(): StudySettings {
  return { organs: [], diseases: [], stainings: [] };
}
