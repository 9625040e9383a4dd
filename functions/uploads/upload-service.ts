import type { Caller } from '../auth/caller.js';
import type { SlideTokenService } from '../auth/slide-tokens.js';
import type { TokenService } from '../auth/token-service.js';
import { studyOfAttachmentFolder } from '../domain/attachments/attachment-files.js';
import { listFileReferences } from '../domain/study-config/list-file-references.js';
import { checkFileName, normalizeFolder, uploadPath } from '../domain/uploads/upload-names.js';
import type { PathAccess } from '../studies/path-access.js';
import type { FileIndex } from './file-index.js';
import { isUploadId, type StagedUpload, type UploadStaging } from './upload-staging.js';
import {
  type Anno2Target,
  hashUploadToken,
  newUploadToken,
  type QupathAnswerTarget,
  type UploadTokenRecord,
  type UploadTokenStore,
} from './upload-tokens.js';

/**
 * A refusal: the reason and its HTTP status. Logical errors are 400: the RequestUpload and FinishUpload
 * routes answer them as HTTP 200 with the reason as a bare JSON string (docs/api.md, the reply table).
 */
export interface Refusal {
  ok: false;
  status: number;
  reason: string;
}

/** How much of each file's start the index keeps: enough for every slide signature we know. */
const HEAD_BYTES = 64;

/** A gzipped QuPath answer: far more than the largest answer compresses to. */
const MAX_QUPATH_ANSWER_UPLOAD_BYTES = 100 * 1024 * 1024;

/** List files are read whole at FinishUpload to check what they name; none is near this size in practice. */
export const MAX_LIST_FILE_BYTES = 16 * 1024 * 1024;

const refuse = (status: number, reason: string): Refusal => ({ ok: false, status, reason });

/** tus metadata keys: sent by clients at creation, and what we keep in their place. */
export const METADATA = {
  uploadToken: 'uploadtoken',
  apiToken: 'apitoken',
  tokenHash: 'uploadTokenHash',
} as const;

/**
 * Kept by uploads staged before the owner's id left the metadata; dropped at creation so a client cannot set it.
 * tus echoes metadata in its HEAD reply, so the owner's API token id is read from the upload-token record instead.
 */
const OLD_API_TOKEN_ID = 'apitokenid';

/** What FinishUpload hands an anno2 upload to (functions/anno2/anno2-service.ts). */
export interface Anno2Uploads {
  /** The largest zip accepted; a larger upload is refused unread. */
  readonly maxZipBytes: number;
  /** Whether the zip of this UUID is already kept (a repeated FinishUpload). */
  isStored(uuid: string): Promise<boolean>;
  /** Checks the zip, keeps it and saves the answer that refers to it; nothing is kept when it refuses. */
  accept(target: Anno2Target, zip: Buffer): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export interface CommitMarkers {
  /** Announces a committed path (in the cloud an S3 object whose creation notifies the event function). */
  committed(path: string): Promise<void>;
}

/**
 * The three steps of an upload: RequestUpload hands out an upload token bound to a destination and to the
 * asking API token; the tus server checks both tokens before storing a byte; FinishUpload checks the upload
 * is complete and was made with that token, then commits the path in the file index.
 */
export class UploadService {
  constructor(
    private readonly deps: {
      tokens: TokenService;
      uploadTokens: UploadTokenStore;
      index: FileIndex;
      staging: UploadStaging;
      markers: CommitMarkers;
      paths: PathAccess;
      tokenHours: number;
      /** Absent where anno2 uploads are not taken (unit tests of plain uploads). */
      anno2?: Anno2Uploads;
      /** Per-slide links, whose tokens upload QuPath's large annotations; absent in unit tests of plain uploads. */
      slideLinks?: Pick<SlideTokenService, 'check'>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async requestUpload(
    caller: Caller,
    request: { filename: string; folder: string; studyId?: number },
  ): Promise<{ ok: true; token: string } | Refusal> {
    const folder = normalizeFolder(request.folder);
    if (!folder.ok) return refuse(400, folder.reason);
    const filename = checkFileName(request.filename);
    if (!filename.ok) return refuse(400, filename.reason);
    if (request.studyId !== undefined && !caller.mayAccessStudy(request.studyId)) {
      return refuse(403, `This API token has no access to study ${request.studyId}`);
    }
    // Decided from the destination alone: the SDK never sends studyId.
    const notOwned = await this.deps.paths.refuseWrite(caller, uploadPath(folder.value, filename.value));
    if (notOwned) return refuse(403, notOwned);
    // A study's attachment folder is the server's, made on first use (RequestUploadAttachment's tokens).
    const serverFolder = studyOfAttachmentFolder(folder.value) !== undefined;
    if (!serverFolder && !caller.can('CanCreateFolders') && !(await this.deps.index.folderExists(folder.value))) {
      return refuse(400, `Folder "${folder.value}" does not exist and this API token lacks CanCreateFolders`);
    }
    const token = newUploadToken();
    const now = this.now();
    const record: UploadTokenRecord = {
      hash: hashUploadToken(token),
      folder: folder.value,
      filename: filename.value,
      apiTokenId: caller.tokenId,
      createdOn: now.toISOString(),
      // An upload token never outlives the API token that asked for it.
      expiresOn: new Date(
        Math.min(now.getTime() + this.deps.tokenHours * 3600_000, caller.claims.expiresOn.getTime()),
      ).toISOString(),
    };
    if (request.studyId !== undefined) record.studyId = request.studyId;
    await this.deps.uploadTokens.put(record);
    return { ok: true, token };
  }

  /**
   * An upload token for an anno2 zip (CreateAnno2, CreateOrphanAnno2): the same tus creation and FinishUpload
   * as any upload, but FinishUpload checks the zip and keeps it as the anno2 instead of committing a path.
   */
  async requestAnno2Upload(caller: Caller, target: Anno2Target): Promise<string> {
    const token = newUploadToken();
    const now = this.now();
    const record: UploadTokenRecord = {
      hash: hashUploadToken(token),
      folder: '',
      filename: `${target.uuid}.zip`,
      apiTokenId: caller.tokenId,
      anno2: target,
      createdOn: now.toISOString(),
      expiresOn: new Date(
        Math.min(now.getTime() + this.deps.tokenHours * 3600_000, caller.claims.expiresOn.getTime()),
      ).toISOString(),
    };
    if (target.answer) record.studyId = target.answer.studyId;
    await this.deps.uploadTokens.put(record);
    return token;
  }

  /**
   * An upload token for a large annotation QuPath sends through a per-slide link (docs/clients.md): bound to
   * the link's token, which tus creation then takes as the `apitoken`, and never outliving it.
   */
  async requestQupathAnswerUpload(link: { tokenId: string; expiresOn: string }, target: QupathAnswerTarget) {
    const token = newUploadToken();
    const now = this.now();
    await this.deps.uploadTokens.put({
      hash: hashUploadToken(token),
      folder: '',
      filename: 'qupath-answer.json.gz',
      apiTokenId: link.tokenId,
      studyId: target.studyId,
      qupathAnswer: target,
      createdOn: now.toISOString(),
      expiresOn: new Date(
        Math.min(now.getTime() + this.deps.tokenHours * 3600_000, Date.parse(link.expiresOn)),
      ).toISOString(),
    });
    return token;
  }

  /**
   * FinishAnno2Upload.json: the finished upload of a QuPath answer, handed to `save` (which reads and saves it)
   * and released once saved. Only the link that asked for the upload token may finish it.
   */
  async finishQupathAnswer(
    link: { tokenId: string; imageId: number },
    id: string,
    uploadToken: string,
    save: (target: QupathAnswerTarget, bytes: Buffer) => Promise<{ ok: true } | { ok: false; reason: string }>,
  ): Promise<{ ok: true } | Refusal> {
    const record = await this.validUploadToken(uploadToken);
    const target = record?.qupathAnswer;
    if (!record || !target) return refuse(400, 'Unknown or expired upload token');
    if (record.apiTokenId !== link.tokenId || target.imageId !== link.imageId) {
      return refuse(403, 'The upload token was issued to another link');
    }
    if (!isUploadId(id)) return refuse(400, `Unknown upload "${id}"`);
    const upload = await this.deps.staging.find(id);
    if (!upload || upload.metadata[METADATA.tokenHash] !== record.hash) return refuse(400, `Unknown upload "${id}"`);
    if (upload.size === undefined || upload.offset !== upload.size) {
      return refuse(400, `The upload is not complete: ${upload.offset} of ${upload.size ?? 'unknown'} bytes received`);
    }
    if (upload.size > MAX_QUPATH_ANSWER_UPLOAD_BYTES) {
      return refuse(400, `The upload is ${upload.size} bytes; at most ${MAX_QUPATH_ANSWER_UPLOAD_BYTES} are taken`);
    }
    const saved = await save(target, await this.deps.staging.head(upload, upload.size));
    if (!saved.ok) return refuse(400, saved.reason);
    await this.deps.staging.discard(id);
    return { ok: true };
  }

  /**
   * tus creation: both tokens from the metadata must check out before a byte is stored. The metadata kept
   * with the upload loses both secrets and holds the upload token's hash instead.
   */
  async authorizeCreation(
    metadata: Record<string, string | null | undefined>,
  ): Promise<{ ok: true; metadata: Record<string, string | null> } | Refusal> {
    const apiToken = metadata[METADATA.apiToken];
    const uploadToken = metadata[METADATA.uploadToken];
    if (!apiToken) return refuse(401, 'The upload needs the API token as "apitoken" metadata');
    const linkUpload = uploadToken ? await this.validUploadToken(uploadToken) : undefined;
    let record: UploadTokenRecord | undefined;
    if (linkUpload?.qupathAnswer) {
      // QuPath's large annotations: the per-slide link's token stands in for an API token.
      const check = await this.deps.slideLinks?.check(linkUpload.qupathAnswer.imageId, apiToken);
      if (!check?.ok || check.record.id !== linkUpload.apiTokenId) {
        return refuse(403, 'The upload token was issued to another link');
      }
      record = linkUpload;
    } else {
      const authenticated = await this.deps.tokens.authenticate(apiToken);
      if (!authenticated.ok) return refuse(401, `The API token is not valid (${authenticated.reason})`);
      if (!authenticated.caller.can('CanUpload')) return refuse(403, 'This API token lacks the CanUpload capability');
      if (!uploadToken) return refuse(403, 'The upload needs the upload token as "uploadtoken" metadata');
      record = linkUpload;
      if (!record) return refuse(403, 'Unknown or expired upload token');
      if (record.apiTokenId !== authenticated.caller.tokenId) {
        return refuse(403, 'The upload token was issued to another API token');
      }
    }
    const kept: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(metadata)) {
      const lower = key.toLowerCase();
      if (lower !== METADATA.apiToken && lower !== METADATA.uploadToken && lower !== OLD_API_TOKEN_ID) {
        kept[key] = value ?? null;
      }
    }
    kept[METADATA.tokenHash] = record.hash;
    return { ok: true, metadata: kept };
  }

  /**
   * Every later request on an upload (HEAD, PATCH, DELETE): the upload must carry the hash of an upload token
   * that is still valid and whose API token still works, so giving up the API token stops its uploads too.
   */
  async authorizeAccess(upload: StagedUpload): Promise<{ ok: true } | Refusal> {
    const hash = upload.metadata[METADATA.tokenHash];
    if (!hash) return refuse(403, 'This upload carries no upload token');
    // The owner's id comes from the upload-token record, never from metadata tus would echo to clients.
    const record = await this.validRecord(hash);
    if (!record) return refuse(403, 'The upload token of this upload is unknown or has expired');
    if (!(await this.deps.tokens.isActive(record.apiTokenId))) {
      return refuse(403, 'The API token of this upload is no longer valid');
    }
    return { ok: true };
  }

  /** FinishUpload: reply `"OK"` when the path is committed (also when it already was, by this upload). */
  async finishUpload(caller: Caller, id: string, uploadToken: string): Promise<{ ok: true; path: string } | Refusal> {
    const record = await this.validUploadToken(uploadToken);
    if (!record) return refuse(400, 'Unknown or expired upload token');
    if (record.apiTokenId !== caller.tokenId) return refuse(403, 'The upload token was issued to another API token');
    if (!isUploadId(id)) return refuse(400, `Unknown upload "${id}"`);
    if (record.qupathAnswer) return refuse(400, 'This upload token is finished by FinishAnno2Upload.json');
    if (record.anno2) return this.finishAnno2(id, record, record.anno2);
    const path = uploadPath(record.folder, record.filename);

    const existing = await this.deps.index.get(record.folder, record.filename);
    if (existing?.uploadId === id) return { ok: true, path }; // committed before: nothing to do again

    const upload = await this.deps.staging.find(id);
    if (!upload) return refuse(400, `Unknown upload "${id}"`);
    if (upload.metadata[METADATA.tokenHash] !== record.hash) {
      return refuse(400, 'This upload was not made with that upload token');
    }
    if (upload.size === undefined || upload.offset !== upload.size) {
      return refuse(400, `The upload is not complete: ${upload.offset} of ${upload.size ?? 'unknown'} bytes received`);
    }
    const refused = await this.checkOwnership(caller, path, upload);
    if (refused) return refused;
    const head = await this.deps.staging.head(upload, HEAD_BYTES);
    const key = await this.deps.staging.finalize(upload);
    const committed = await this.deps.index.commit({
      folder: record.folder,
      filename: record.filename,
      path,
      key,
      size: upload.size,
      uploadId: id,
      committedOn: this.now().toISOString(),
      committedBy: caller.tokenId,
      head: head.toString('base64'),
    });
    if (committed) await this.deps.markers.committed(path);
    await this.deps.staging.release(id);
    return { ok: true, path };
  }

  /** FinishUpload of an anno2 zip: checked and kept by the anno2 service; `"OK"` again once it is kept. */
  private async finishAnno2(
    id: string,
    record: UploadTokenRecord,
    target: Anno2Target,
  ): Promise<{ ok: true; path: string } | Refusal> {
    const anno2 = this.deps.anno2;
    if (!anno2) return refuse(400, 'This server takes no anno2 uploads');
    const path = `anno2/${target.uuid}.zip`;
    const upload = await this.deps.staging.find(id);
    if (!upload) {
      return (await anno2.isStored(target.uuid)) ? { ok: true, path } : refuse(400, `Unknown upload "${id}"`);
    }
    if (upload.metadata[METADATA.tokenHash] !== record.hash) {
      return refuse(400, 'This upload was not made with that upload token');
    }
    if (upload.size === undefined || upload.offset !== upload.size) {
      return refuse(400, `The upload is not complete: ${upload.offset} of ${upload.size ?? 'unknown'} bytes received`);
    }
    if (upload.size > anno2.maxZipBytes) {
      return refuse(
        400,
        `The anno2 zip is ${upload.size.toLocaleString('en-US')} bytes; at most ${anno2.maxZipBytes.toLocaleString('en-US')} are taken`,
      );
    }
    const zip = await this.deps.staging.head(upload, upload.size);
    const accepted = await anno2.accept(target, zip);
    if (!accepted.ok) return refuse(400, `The anno2 zip was refused: ${accepted.reason}`);
    await this.deps.staging.discard(id);
    return { ok: true, path };
  }

  /**
   * Ownership may have changed since RequestUpload (a study claimed the folder), so it is checked again; a list
   * file is read to check every path and folder it names. Imports then trust what was accepted.
   */
  private async checkOwnership(caller: Caller, path: string, upload: StagedUpload): Promise<Refusal | undefined> {
    const notOwned = await this.deps.paths.refuseWrite(caller, path);
    if (notOwned) return refuse(403, notOwned);
    if (caller.studyScope === 'all' || !listFileReferences(path, '')) return undefined;
    if ((upload.size ?? 0) > MAX_LIST_FILE_BYTES) {
      return refuse(400, `${path} is larger than the ${MAX_LIST_FILE_BYTES / 1024 / 1024} MB a list file may be`);
    }
    const text = (await this.deps.staging.head(upload, MAX_LIST_FILE_BYTES)).toString('utf8');
    const references = listFileReferences(path, text);
    const refused =
      references && (await this.deps.paths.refuseReferences(caller, references.paths, references.folders));
    return refused ? refuse(403, `${path}: ${refused}`) : undefined;
  }

  private validUploadToken(token: string): Promise<UploadTokenRecord | undefined> {
    return this.validRecord(hashUploadToken(token));
  }

  private async validRecord(hash: string): Promise<UploadTokenRecord | undefined> {
    const record = await this.deps.uploadTokens.get(hash);
    return record && Date.parse(record.expiresOn) > this.now().getTime() ? record : undefined;
  }
}
