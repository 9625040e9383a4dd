import type { Caller } from '../auth/caller.js';
import type { TokenService } from '../auth/token-service.js';
import { checkFileName, normalizeFolder, uploadPath } from '../domain/uploads/upload-names.js';
import type { FileIndex } from './file-index.js';
import { isUploadId, type StagedUpload, type UploadStaging } from './upload-staging.js';
import { hashUploadToken, newUploadToken, type UploadTokenRecord, type UploadTokenStore } from './upload-tokens.js';

/** A refusal: the reason for the client and the HTTP status (200 where Slide Score answers logical errors so). */
export interface Refusal {
  ok: false;
  status: number;
  reason: string;
}

/** How much of each file's start the index keeps: enough for every slide signature we know. */
const HEAD_BYTES = 64;

const refuse = (status: number, reason: string): Refusal => ({ ok: false, status, reason });

/** tus metadata keys: sent by clients at creation, and what we keep in their place. */
export const METADATA = {
  uploadToken: 'uploadtoken',
  apiToken: 'apitoken',
  tokenHash: 'uploadTokenHash',
  apiTokenId: 'apiTokenId',
} as const;

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
      tokenHours: number;
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
    if (!folder.ok) return refuse(200, folder.reason);
    const filename = checkFileName(request.filename);
    if (!filename.ok) return refuse(200, filename.reason);
    if (request.studyId !== undefined && !caller.mayAccessStudy(request.studyId)) {
      return refuse(403, `This API token has no access to study ${request.studyId}`);
    }
    if (!(await this.deps.index.folderExists(folder.value)) && !caller.can('CanCreateFolders')) {
      return refuse(200, `Folder "${folder.value}" does not exist and this API token lacks CanCreateFolders`);
    }
    const token = newUploadToken();
    const now = this.now();
    const record: UploadTokenRecord = {
      hash: hashUploadToken(token),
      folder: folder.value,
      filename: filename.value,
      apiTokenId: caller.tokenId,
      createdOn: now.toISOString(),
      expiresOn: new Date(now.getTime() + this.deps.tokenHours * 3600_000).toISOString(),
    };
    if (request.studyId !== undefined) record.studyId = request.studyId;
    await this.deps.uploadTokens.put(record);
    return { ok: true, token };
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
    const authenticated = await this.deps.tokens.authenticate(apiToken);
    if (!authenticated.ok) return refuse(401, `The API token is not valid (${authenticated.reason})`);
    if (!authenticated.caller.can('CanUpload')) return refuse(403, 'This API token lacks the CanUpload capability');
    if (!uploadToken) return refuse(403, 'The upload needs the upload token as "uploadtoken" metadata');
    const record = await this.validUploadToken(uploadToken);
    if (!record) return refuse(403, 'Unknown or expired upload token');
    if (record.apiTokenId !== authenticated.caller.tokenId) {
      return refuse(403, 'The upload token was issued to another API token');
    }
    const kept: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(metadata)) {
      if (key !== METADATA.apiToken && key !== METADATA.uploadToken) kept[key] = value ?? null;
    }
    kept[METADATA.tokenHash] = record.hash;
    kept[METADATA.apiTokenId] = record.apiTokenId;
    return { ok: true, metadata: kept };
  }

  /**
   * Every later request on an upload (HEAD, PATCH, DELETE): the upload must carry the hash of an upload token
   * that is still valid and whose API token still works, so giving up the API token stops its uploads too.
   */
  async authorizeAccess(upload: StagedUpload): Promise<{ ok: true } | Refusal> {
    const hash = upload.metadata[METADATA.tokenHash];
    const apiTokenId = upload.metadata[METADATA.apiTokenId];
    if (!hash || !apiTokenId) return refuse(403, 'This upload carries no upload token');
    // Both reads at once: this runs before every PATCH.
    const [record, active] = await Promise.all([this.validRecord(hash), this.deps.tokens.isActive(apiTokenId)]);
    if (!record || record.apiTokenId !== apiTokenId) {
      return refuse(403, 'The upload token of this upload is unknown or has expired');
    }
    if (!active) return refuse(403, 'The API token of this upload is no longer valid');
    return { ok: true };
  }

  /** FinishUpload: reply `"OK"` when the path is committed (also when it already was, by this upload). */
  async finishUpload(caller: Caller, id: string, uploadToken: string): Promise<{ ok: true; path: string } | Refusal> {
    const record = await this.validUploadToken(uploadToken);
    if (!record) return refuse(200, 'Unknown or expired upload token');
    if (record.apiTokenId !== caller.tokenId) return refuse(403, 'The upload token was issued to another API token');
    if (!isUploadId(id)) return refuse(200, `Unknown upload "${id}"`);
    const path = uploadPath(record.folder, record.filename);

    const existing = await this.deps.index.get(record.folder, record.filename);
    if (existing?.uploadId === id) return { ok: true, path }; // committed before: nothing to do again

    const upload = await this.deps.staging.find(id);
    if (!upload) return refuse(200, `Unknown upload "${id}"`);
    if (upload.metadata[METADATA.tokenHash] !== record.hash) {
      return refuse(200, 'This upload was not made with that upload token');
    }
    if (upload.size === undefined || upload.offset !== upload.size) {
      return refuse(200, `The upload is not complete: ${upload.offset} of ${upload.size ?? 'unknown'} bytes received`);
    }
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

  private validUploadToken(token: string): Promise<UploadTokenRecord | undefined> {
    return this.validRecord(hashUploadToken(token));
  }

  private async validRecord(hash: string): Promise<UploadTokenRecord | undefined> {
    const record = await this.deps.uploadTokens.get(hash);
    return record && Date.parse(record.expiresOn) > this.now().getTime() ? record : undefined;
  }
}
