import type { Readable } from 'node:stream';
import { type Options, S3Store } from '@tus/s3-store';
import { Upload } from '@tus/server';

export interface PrefixedS3StoreOptions extends Options {
  /** Key prefix of every object the store writes, e.g. `uploads/`. */
  prefix: string;
}

/**
 * An S3Store whose objects live under a key prefix. @tus/s3-store 2 has no prefix option and uses the upload
 * id as the object key (plus `.info` and `.part` objects), so the id is prefixed at every public entry point
 * and stripped from what is handed back: upload URLs keep the bare id, the bucket sees `uploads/<id>`.
 * `upload.storage.path` holds the real key of the finished object.
 */
export class PrefixedS3Store extends S3Store {
  private readonly prefix: string;

  constructor({ prefix, ...options }: PrefixedS3StoreOptions) {
    super(options);
    this.prefix = prefix;
  }

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }

  override async create(upload: Upload): Promise<Upload> {
    const stored = await super.create(new Upload({ ...upload, id: this.key(upload.id) }));
    // The server keeps using the upload it passed in (its id goes into the Location URL).
    upload.creation_date = stored.creation_date;
    upload.storage = stored.storage;
    return upload;
  }

  override write(src: Readable, id: string, offset: number): Promise<number> {
    return super.write(src, this.key(id), offset);
  }

  override async getUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(this.key(id));
    return new Upload({ ...upload, id });
  }

  override declareUploadLength(id: string, length: number): Promise<void> {
    return super.declareUploadLength(this.key(id), length);
  }

  override remove(id: string): Promise<void> {
    return super.remove(this.key(id));
  }

  override read(id: string): Promise<Readable> {
    return super.read(this.key(id));
  }
}
