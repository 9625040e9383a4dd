/** An upload as tus stores it while it arrives. */
export interface StagedUpload {
  id: string;
  /** Undefined while the client defers the length. */
  size?: number;
  offset: number;
  metadata: Record<string, string | null | undefined>;
}

/**
 * Where tus uploads wait until FinishUpload commits them. In the cloud they are already S3 objects under
 * `uploads/` and stay there (no copy, whatever the size); `npm start` keeps them in a folder and moves the
 * finished file into the embedded S3, so that committed files are read from S3 in both worlds.
 */
export interface UploadStaging {
  find(id: string): Promise<StagedUpload | undefined>;
  /** Makes a finished upload an object of the bucket; returns its key. */
  finalize(upload: StagedUpload): Promise<string>;
  /** The first `length` bytes of a finished upload (fewer if it is shorter). */
  head(upload: StagedUpload, length: number): Promise<Buffer>;
  /** Frees what staging still holds of a committed upload. */
  release(id: string): Promise<void>;
  /**
   * Removes a finished upload whose bytes were read and kept elsewhere rather than committed as a file (anno2
   * zips, QuPath's large answers): in the cloud its staged object too, which `release` keeps as the file.
   */
  discard(id: string): Promise<void>;
}

/** tus ids are 32 random hex digits (the server's default naming); anything else is refused unread. */
export function isUploadId(id: string): boolean {
  return /^[0-9a-f]{32}$/.test(id);
}
