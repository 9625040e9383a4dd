import type { Question, StudySettings } from '../domain/study-config/model.js';
import type {
  ImportLogEntry,
  Study,
  StudyCase,
  StudyContents,
  StudyImage,
  StudyMember,
  StudyQuestion,
  StudyTmaMap,
} from './study-model.js';

export type NewImage = Omit<StudyImage, 'id' | 'studyId'>;
export type NewQuestion = Question & { order: number };
export type NewCase = Omit<StudyCase, 'id' | 'studyId'>;

/**
 * Studies and everything in them. Writes that could race (two Reimports of one study at the same moment) are
 * conditional: a study name, an image path and a question name each exist at most once per study, whoever
 * writes first.
 */
export interface StudyRepository {
  /**
   * A deleted study (DeleteStudy) is hidden from every read (getStudy, listStudies, loadContents, getImage,
   * getCase) as if it did not exist, unless `includeDeleted`; only findStudy sees it, since its name stays taken.
   */
  getStudy(id: number, options?: { includeDeleted?: boolean }): Promise<Study | undefined>;
  /** By name, ignoring case (study names are unique that way); deleted studies too (check `deleted`). */
  findStudy(name: string): Promise<Study | undefined>;
  /** Every study that is not deleted (unless `includeDeleted`: path ownership still counts them), by id. */
  listStudies(options?: { includeDeleted?: boolean }): Promise<Study[]>;
  /** Creates the study unless one of that name exists; either way returns the study that is there. */
  createStudy(name: string, settings: StudySettings): Promise<{ study: Study; created: boolean }>;
  updateStudy(study: Study): Promise<void>;
  /** The study with all its images, cases, questions, members and maps. */
  loadContents(studyId: number): Promise<StudyContents | undefined>;

  getImage(imageId: number): Promise<StudyImage | undefined>;
  /** The study's image at an upload path (removed ones too). */
  findImageByPath(studyId: number, path: string): Promise<StudyImage | undefined>;
  /** Adds the images whose paths the study lacks; returns those it added, with their new IDs. */
  addImages(studyId: number, images: readonly NewImage[]): Promise<StudyImage[]>;
  /** Saves an image's fields; a changed path must still be free in the study (false when it is not). */
  updateImage(image: StudyImage, previousPath?: string): Promise<boolean>;

  /** The case (removed ones too: check `removed`). */
  getCase(caseId: number): Promise<StudyCase | undefined>;
  /** Adds the cases whose names (ignoring case) the study lacks; returns those it added, with their new IDs. */
  addCases(studyId: number, cases: readonly NewCase[]): Promise<StudyCase[]>;
  /** Saves a case; a changed name must still be free in the study (false when it is not). */
  updateCase(studyCase: StudyCase, previousName?: string): Promise<boolean>;

  /** Adds the questions whose names (ignoring case) the study lacks; returns those it added. */
  addQuestions(studyId: number, questions: readonly NewQuestion[]): Promise<StudyQuestion[]>;
  /** Saves a question; a changed name must still be free in the study (false when it is not). */
  updateQuestion(question: StudyQuestion, previousName?: string): Promise<boolean>;

  putMembers(studyId: number, members: readonly StudyMember[]): Promise<void>;
  putMaps(studyId: number, maps: readonly StudyTmaMap[]): Promise<void>;

  appendImportLog(entry: ImportLogEntry): Promise<void>;
  /** Newest first. */
  listImportLogs(studyId: number, limit: number): Promise<ImportLogEntry[]>;
}
