import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import type { TokenService } from '../auth/token-service.js';
import {
  type AttachmentContentType,
  attachmentContentType,
  attachmentFolder,
  storedAttachmentName,
} from '../domain/attachments/attachment-files.js';
import { checkFileName } from '../domain/uploads/upload-names.js';
import type { UploadedFiles } from '../storage/uploaded-files.js';
import type { StudyRepository } from '../studies/study-repository.js';
import type { IndexedFile } from '../uploads/file-index.js';
import type { Attachment, AttachmentStore } from './attachment-store.js';

/** How long the upload token RequestUploadAttachment hands out lasts (never longer than its maker). */
export const ATTACHMENT_TOKEN_MINUTES = 60;

export interface AttachmentUpload {
  /** A temporary API token that may upload into the study's attachment folder only. */
  token: string;
  folder: string;
  /** The name to upload under: `<guid>-<filename>`. */
  filename: string;
  attId: number;
}

export interface ServedAttachment extends AttachmentContentType {
  attachment: Attachment;
  file: IndexedFile;
}

/**
 * Attachments of study descriptions (docs/studies.md, "Attachments"): RequestUploadAttachment makes the record
 * and a temporary token; the client uploads through the usual RequestUpload, tus and FinishUpload; the link
 * `/a/{attId}/{guid}/{filename}` serves the file to whoever holds the guid.
 */
export class AttachmentService {
  constructor(
    private readonly deps: {
      store: AttachmentStore;
      tokens: TokenService;
      files: UploadedFiles;
      studies: Pick<StudyRepository, 'getStudy'>;
      now?: () => Date;
    },
  ) {}

  /** The caller holds the study (checked by the handler); `filename` is refused as RequestUpload would. */
  async request(
    caller: Caller,
    studyId: number,
    filename: string,
  ): Promise<{ ok: true; upload: AttachmentUpload } | { ok: false; reason: string }> {
    const name = checkFileName(filename);
    if (!name.ok) return { ok: false, reason: name.reason };
    const guid = randomBytes(16).toString('hex');
    const stored = checkFileName(storedAttachmentName(guid, name.value));
    if (!stored.ok) return { ok: false, reason: `${name.value}: the name is too long for an attachment` };
    const folder = attachmentFolder(studyId);
    const now = this.deps.now?.() ?? new Date();
    // Issued by the caller, so it can hold nothing the caller lacks and ends no later than the caller.
    const { token, record } = await this.deps.tokens.create(
      {
        name: `Attachment upload: study ${studyId}, ${name.value.slice(0, 120)}`,
        capabilities: ['CanUpload'],
        studies: [studyId],
        expiresOn: new Date(
          Math.min(now.getTime() + ATTACHMENT_TOKEN_MINUTES * 60_000, caller.claims.expiresOn.getTime()),
        ),
      },
      caller,
    );
    const attachment = await this.deps.store.create({
      studyId,
      guid,
      filename: name.value,
      path: `${folder}/${stored.value}`,
      createdOn: now.toISOString(),
      createdBy: record.id,
    });
    return { ok: true, upload: { token, folder, filename: stored.value, attId: attachment.id } };
  }

  /**
   * The attachment a link names, once uploaded: undefined for an unknown ID, a wrong guid or name, an upload
   * not finished yet, or a study that is gone — all alike, so links cannot be probed.
   */
  async find(attId: number, guid: string, filename: string): Promise<ServedAttachment | undefined> {
    const attachment = await this.deps.store.get(attId);
    if (!attachment || !sameSecret(attachment.guid, guid) || attachment.filename !== filename) return undefined;
    const [study, file] = await Promise.all([
      this.deps.studies.getStudy(attachment.studyId),
      this.deps.files.stat(attachment.path),
    ]);
    if (!study || !file) return undefined;
    return { attachment, file, ...attachmentContentType(attachment.filename) };
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
