import type { SlideFormat } from '../domain/slides/slide-format.js';
import type { Question, Rotation, StudySettings, StudyUser, TmaMap } from '../domain/study-config/model.js';

/**
 * A study as stored: what its config files said, plus the IDs and administration state the server adds.
 * IDs are integers, unique per kind across the deployment (clients pass image and case IDs without a study).
 */
export interface Study {
  id: number;
  name: string;
  settings: StudySettings;
  createdOn: string;
  updatedOn: string;
  /**
   * DeleteStudy: the study answers like an unknown one everywhere (the repository hides it) until UndeleteStudy;
   * nothing under it is removed, its name stays taken, and Reimport of it is refused.
   */
  deleted?: boolean;
  /** SetIsArchived: read only, answers can no longer be written. */
  archived?: boolean;
  /**
   * Set by Publish/Unpublish: `settings.published` was set through the API while the `.config` file had this
   * fingerprint (`none` when there was no file). Reimport keeps the API's value until the file's fingerprint
   * changes; then the file's `published:` wins again and this is cleared.
   */
  publishedOverride?: { configFingerprint: string; at: string };
}

export interface StudyImage {
  id: number;
  studyId: number;
  name: string;
  /** Root-relative upload path of the slide file. */
  path: string;
  fileSize: number;
  format: SlideFormat;
  rotation: Rotation;
  /** Name of the TMA map attached to the image. */
  tmaMap?: string;
  caseId?: number;
  /** Sanitized HTML. */
  description?: string;
  addedOn: string;
  /**
   * Set by SetSlideResolution: microns per pixel at level 0 that win over what the file says, in
   * GetImageMetadata, QuPath's metadata and TMA positions, and GetSlideDetails.
   */
  resolution?: { mppX: number; mppY: number };
  /** Removed in administration; Reimport brings it back while it is in the config files. */
  removed?: boolean;
}

export interface StudyCase {
  id: number;
  studyId: number;
  name: string;
  description?: string;
  /** Removed by RemoveCase; Reimport brings it back while an image list still names it. */
  removed?: boolean;
}

export interface StudyQuestion extends Question {
  id: number;
  studyId: number;
  /** Position on the scoring sheet, from 0. */
  order: number;
  removed?: boolean;
}

export interface StudyMember extends StudyUser {
  removed?: boolean;
}

/** A TMA map of a study; `name` is how images and SetSlideTMAMap refer to it. */
export interface StudyTmaMap {
  name: string;
  /** Root-relative path of the file it was read from. */
  file: string;
  map: TmaMap;
  /** Set by UpdateTMACoreSize (µm): wins over the file's `core-diameter`; Reimport keeps it. */
  coreDiameterUm?: number;
}

export interface ImportLogEntry {
  studyId: number;
  at: string;
  /** `api` (Reimport), `upload` (automatic, after a config file was committed). */
  trigger: 'api' | 'upload';
  success: boolean;
  log: string;
}

/** Everything stored under one study, read in one go (Reimport, GetConfig, GetConfigFiles). */
export interface StudyContents {
  study: Study;
  images: StudyImage[];
  cases: StudyCase[];
  questions: StudyQuestion[];
  members: StudyMember[];
  maps: StudyTmaMap[];
}
