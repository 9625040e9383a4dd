import type { Caller } from '../auth/caller.js';
import { credentialExpiry } from '../auth/credential-expiry.js';
import type { TokenService } from '../auth/token-service.js';
import { contentDisposition } from '../domain/attachments/attachment-files.js';
import type { SlideReader } from '../slides/index.js';
import type { UploadedFiles } from '../storage/uploaded-files.js';
import type { StudyImage } from '../studies/study-model.js';
import type { SlideStore } from './slide-store.js';
import {
  issueTileCredential,
  type TileCheck,
  type TileCredential,
  tileCredentialKey,
  verifyTileCredential,
} from './tile-credentials.js';

/** How long a tile credential lives unless its maker expires first: a working day of viewing. */
export const TILE_CREDENTIAL_HOURS = 24;
/** How long this process trusts that a credential's maker was not given up. */
const MAKER_CHECK_MS = 60_000;
/** Download URLs of original slide files. */
const DOWNLOAD_URL_SECONDS = 15 * 60;

export class ImageFileMissing extends Error {
  constructor(readonly image: StudyImage) {
    super(`The file of image ${image.id} (${image.path}) is not in the upload store`);
    this.name = 'ImageFileMissing';
  }
}

/**
 * What the pixel endpoints share: opening an image's slide, tile credentials, download URLs. Storage stays
 * behind UploadedFiles and the SlideStore; the pixels themselves are the slide reader's (functions/slides/).
 */
export class PixelService {
  private readonly makers = new Map<string, { active: boolean; checkedAt: number }>();

  constructor(
    private readonly deps: {
      files: UploadedFiles;
      slides: SlideStore;
      tokens: TokenService;
      /**
       * Whether a credential maker that is no API token is still there (a student account behind a password
       * session); undefined for an API token's id.
       */
      otherMakerActive?: (id: string) => Promise<boolean> | undefined;
      signingKey: () => Promise<Uint8Array>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async readerFor(image: StudyImage): Promise<{ reader: SlideReader; uploadId: string }> {
    const file = await this.deps.files.stat(image.path);
    if (!file) throw new ImageFileMissing(image);
    return { reader: await this.deps.slides.readerFor(file), uploadId: file.uploadId };
  }

  /** GetTileServer: a credential for this image only, that expires no later than the calling token. */
  async tileCredential(caller: Caller, image: StudyImage): Promise<TileCredential> {
    const { uploadId } = await this.readerFor(image); // the index exists before the first tile is asked for
    const expiry = credentialExpiry({
      what: 'tile credential',
      defaultLifetimeMs: TILE_CREDENTIAL_HOURS * 3600_000,
      makerExpiresOn: caller.claims.expiresOn,
      now: this.now(),
    });
    if (!expiry.ok) throw new Error(expiry.reason); // no explicit date is ever asked for
    const key = tileCredentialKey(await this.deps.signingKey());
    return issueTileCredential(key, {
      imageId: image.id,
      studyId: image.studyId,
      uploadId,
      expiresOn: expiry.expiresOn,
      makerId: caller.tokenId,
    });
  }

  /** A tile request's credential: no storage read, but for its maker's state once a minute per process. */
  async checkTileCredential(imageId: number, urlPart: string, cookie: string | undefined): Promise<TileCheck> {
    const key = tileCredentialKey(await this.deps.signingKey());
    const check = verifyTileCredential(key, imageId, urlPart, cookie, this.now());
    if (!check.ok) return check;
    if (!(await this.makerActive(check.grant.makerId))) {
      return { ok: false, status: 403, reason: 'The API token that made this tile credential was given up' };
    }
    return check;
  }

  /** The reader of a credential's upload; undefined when its index is gone (the client asks for a new one). */
  readerForUpload(uploadId: string): Promise<SlideReader | undefined> {
    return this.deps.slides.readerForUpload(uploadId);
  }

  /** A short-lived URL that downloads the original file under its own name. */
  async downloadUrl(image: StudyImage): Promise<string> {
    const file = await this.deps.files.stat(image.path);
    if (!file) throw new ImageFileMissing(image);
    return this.deps.files.signedDownloadUrl(file, {
      contentType: 'application/octet-stream',
      disposition: contentDisposition('attachment', file.filename),
      expiresInSeconds: DOWNLOAD_URL_SECONDS,
    });
  }

  private async makerActive(id: string): Promise<boolean> {
    const now = Date.now();
    const known = this.makers.get(id);
    if (known && now - known.checkedAt < MAKER_CHECK_MS) return known.active;
    const other = this.deps.otherMakerActive?.(id);
    const active = other ? await other : await this.deps.tokens.isActive(id);
    if (this.makers.size > 10_000) this.makers.clear();
    this.makers.set(id, { active, checkedAt: now });
    return active;
  }
}
