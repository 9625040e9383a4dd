import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { splitUploadPath } from '../domain/uploads/upload-names.js';
import type { FileIndex, IndexedFile } from '../uploads/file-index.js';

/**
 * The one way the rest of the system reads uploaded files: by their upload path (`folder/filename`), never by
 * tus ids or storage keys. The study import and the slide reader use this; memory stays bounded by the bytes
 * asked for, whatever the file size.
 */
export class UploadedFiles {
  constructor(
    private readonly index: FileIndex,
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  folderExists(folder: string): Promise<boolean> {
    return this.index.folderExists(folder);
  }

  listFolders(): Promise<string[]> {
    return this.index.listFolders();
  }

  list(folder: string): AsyncIterable<IndexedFile> {
    return this.index.list(folder);
  }

  /** The file at a path, or undefined (also for paths deeper than one folder, which cannot exist). */
  async stat(path: string): Promise<IndexedFile | undefined> {
    const parts = splitUploadPath(path);
    return parts ? this.index.get(parts.folder, parts.filename) : undefined;
  }

  /** The whole file as a stream. */
  async open(path: string): Promise<Readable> {
    const file = await this.need(path);
    return this.body(file.key);
  }

  /** `length` bytes from `offset` (fewer at the end of the file); one ranged GET. */
  async readRange(path: string, offset: number, length: number): Promise<Buffer> {
    const file = await this.need(path);
    return this.readObjectRange(file, offset, length);
  }

  /**
   * A ranged read of a file already looked up (saves the index read on hot paths such as tiles), or of any
   * object of the bucket named by key and size (derived pyramids).
   */
  async readObjectRange(file: Pick<IndexedFile, 'key' | 'size'>, offset: number, length: number): Promise<Buffer> {
    if (length <= 0 || offset >= file.size) return Buffer.alloc(0);
    const last = Math.min(file.size, offset + length) - 1;
    const stream = await this.body(file.key, `bytes=${offset}-${last}`);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * A short-lived URL that reads the file straight from S3 with the given Content-Type and Content-Disposition
   * (downloads too large to pass through a function: slides, large attachments). It serves byte ranges.
   */
  signedDownloadUrl(
    file: Pick<IndexedFile, 'key'>,
    reply: { contentType: string; disposition: string; expiresInSeconds: number },
  ): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: file.key,
      ResponseContentDisposition: reply.disposition,
      ResponseContentType: reply.contentType,
    });
    return getSignedUrl(this.s3, command, { expiresIn: reply.expiresInSeconds });
  }

  /** The whole text of a small file (config files). */
  async readText(path: string): Promise<string> {
    const stream = await this.open(path);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async need(path: string): Promise<IndexedFile> {
    const file = await this.stat(path);
    if (!file) throw new FileNotFound(path);
    return file;
  }

  private async body(key: string, range?: string): Promise<Readable> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }));
    return object.Body as Readable;
  }
}

export class FileNotFound extends Error {
  constructor(readonly path: string) {
    super(`No uploaded file at ${path}`);
    this.name = 'FileNotFound';
  }
}
