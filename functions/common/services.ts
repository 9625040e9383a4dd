import { Anno2Service } from '../anno2/anno2-service.js';
import { AttachmentService } from '../attachments/attachment-service.js';
import { loadSigningKey } from '../auth/signing-key.js';
import { SlideTokenService } from '../auth/slide-tokens.js';
import { TokenService } from '../auth/token-service.js';
import type { DomainStore } from '../domains/domain-store.js';
import { FocusStore } from '../pixels/focus-store.js';
import { PixelService } from '../pixels/pixel-service.js';
import { SlideRenditions } from '../pixels/slide-renditions.js';
import { SlideStore } from '../pixels/slide-store.js';
import { AsapAnnotations } from '../scores/asap-annotations.js';
import { exportSettingsFromEnvironment } from '../scores/export-settings.js';
import { ResultsService } from '../scores/results-service.js';
import { dynamoClient, s3Client } from '../storage/aws-clients.js';
import { S3CommitMarkers } from '../storage/commit-markers.js';
import { DynamoAttachmentStore } from '../storage/dynamo-attachment-store.js';
import { DynamoDomainStore } from '../storage/dynamo-domain-store.js';
import { DynamoFileIndex } from '../storage/dynamo-file-index.js';
import { DynamoReviewSessions } from '../storage/dynamo-review-sessions.js';
import { DynamoScoreRepository } from '../storage/dynamo-score-repository.js';
import { DynamoStudyRepository } from '../storage/dynamo-study-repository.js';
import { DynamoTokenStore } from '../storage/dynamo-token-store.js';
import { DynamoUploadTokenStore } from '../storage/dynamo-upload-token-store.js';
import { S3Anno2Store } from '../storage/s3-anno2-store.js';
import { S3ExportJobs } from '../storage/s3-export-jobs.js';
import { S3ExportStore } from '../storage/s3-export-store.js';
import { S3LargeAnswers } from '../storage/s3-large-answers.js';
import { createUploadStaging } from '../storage/upload-staging.js';
import { UploadedFiles } from '../storage/uploaded-files.js';
import { PathAccess } from '../studies/path-access.js';
import { Reimporter } from '../studies/reimport.js';
import type { StudyRepository } from '../studies/study-repository.js';
import { UploadService } from '../uploads/upload-service.js';
import { createMailer, type Mailer } from '../users/mailer.js';
import { StudentAccounts } from '../users/student-accounts.js';
import type { ReviewSessionStore } from '../web/review-sessions.js';
import { SlideFileLinks } from '../web/slide-file-links.js';
import { STUDENT_MAKER_PREFIX, ViewerSessions } from '../web/viewer-sessions.js';
import { appConfig, onConfigChange } from './config.js';

/**
 * The one place where domain services meet their storage adapters. Built on first use and kept for the life
 * of the process (a warm Lambda reuses clients, keys and caches).
 */
export interface Services {
  tokens: TokenService;
  uploads: UploadService;
  files: UploadedFiles;
  studies: StudyRepository;
  /** Slide indexes (S3) and readers (cached per process). */
  slides: SlideStore;
  /** Focus measures of slides (IsSlideOutOfFocus, isOOF). */
  focus: FocusStore;
  /** Opening an image's slide, tile credentials, download URLs. */
  pixels: PixelService;
  /** Overviews, labels and macros rendered once per slide (S3). */
  renditions: SlideRenditions;
  /** Study ownership of upload paths, for every call that writes or names a path. */
  paths: PathAccess;
  reimporter: Reimporter;
  scores: ResultsService;
  /** Per-slide tokens of QuPath links. */
  slideTokens: SlideTokenService;
  /** Files attached to study descriptions. */
  attachments: AttachmentService;
  /** Web addresses studies are presented under. */
  domains: DomainStore;
  /** CreateAnno2, the anno2 step of FinishUpload, the Convert calls. */
  anno2: Anno2Service;
  /** GenerateStudentAccount's accounts (functions/users/student-accounts.ts). */
  students: StudentAccounts;
  /** SendEmail: the data folder's outbox in `npm start`, SES in the cloud; undefined when neither is set up. */
  mailer: Mailer | undefined;
  /** ASAP XML in and out of answers. */
  asap: AsapAnnotations;
  /** Login links and browser sessions of the viewer. */
  viewerSessions: ViewerSessions;
  /** Reviewing sessions the viewer records (Sessions, SessionEvents). */
  reviewSessions: ReviewSessionStore;
  /** Links of GenerateSlideFileURL. */
  slideFileLinks: SlideFileLinks;
}

let current: Services | undefined;
onConfigChange(() => {
  current = undefined;
});

export function services(): Services {
  current ??= build();
  return current;
}

function build(): Services {
  const config = appConfig();
  let key: Promise<Uint8Array> | undefined;
  const signingKey = () => {
    key ??= loadSigningKey(config).catch((error) => {
      key = undefined; // retry on the next call rather than failing forever
      throw error;
    });
    return key;
  };
  const db = dynamoClient();
  const s3 = s3Client();
  const tokenStore = new DynamoTokenStore(db, config.tables.tokens);
  const tokens = new TokenService(tokenStore, signingKey, config.tokenIssuer);
  const index = new DynamoFileIndex(db, config.tables.files);
  const files = new UploadedFiles(index, s3, config.bucket);
  const studies = new DynamoStudyRepository(db, config.tables.studies);
  const paths = new PathAccess(studies);
  const slides = new SlideStore(s3, config.bucket, files);
  const exportStore = new S3ExportStore(s3, config.bucket);
  const scoreRepository = new DynamoScoreRepository(
    db,
    config.tables.scores,
    undefined,
    new S3LargeAnswers(s3, config.bucket),
  );
  const scores = new ResultsService(
    scoreRepository,
    studies,
    exportStore,
    exportSettingsFromEnvironment(),
    new S3ExportJobs(s3, config.bucket, exportStore),
  );
  const anno2 = new Anno2Service({
    store: new S3Anno2Store(s3, config.bucket),
    studies,
    scores: scoreRepository,
    saveAnswers: (studyId, answers) => scores.saveAnswers(studyId, answers),
  });
  const students = new StudentAccounts(db, config.tables.studies);
  const slideTokens = new SlideTokenService({ store: tokenStore, tokens, signingKey });
  return {
    pixels: new PixelService({
      files,
      slides,
      tokens,
      signingKey,
      otherMakerActive: (id) =>
        id.startsWith(STUDENT_MAKER_PREFIX)
          ? students.get(id.slice(STUDENT_MAKER_PREFIX.length)).then((account) => account !== undefined)
          : undefined,
    }),
    slides,
    focus: new FocusStore(s3, config.bucket, slides),
    renditions: new SlideRenditions(s3, config.bucket),
    tokens,
    slideTokens,
    viewerSessions: new ViewerSessions({ signingKey, issuer: config.tokenIssuer, tokens }),
    reviewSessions: new DynamoReviewSessions(db, config.tables.studies),
    slideFileLinks: new SlideFileLinks({ signingKey, issuer: config.tokenIssuer, tokens }),
    uploads: new UploadService({
      tokens,
      uploadTokens: new DynamoUploadTokenStore(db, config.tables.tokens),
      index,
      staging: createUploadStaging(config, s3),
      markers: new S3CommitMarkers(s3, config.bucket),
      paths,
      tokenHours: config.uploads.tokenHours,
      anno2,
      slideLinks: slideTokens,
    }),
    files,
    studies,
    students,
    mailer: createMailer(config.mailOutbox, config.region),
    paths,
    reimporter: new Reimporter(files, studies),
    domains: new DynamoDomainStore(db, config.tables.studies),
    attachments: new AttachmentService({
      store: new DynamoAttachmentStore(db, config.tables.studies),
      tokens,
      files,
      studies,
    }),
    scores,
    anno2,
    asap: new AsapAnnotations(studies, scores, () => scoreRepository.maxAnswerBytes),
  };
}
