import { Server } from '@tus/server';
import type { DataStore } from '@tus/utils';

export const TUS_PATH = '/files';

export interface TusServerOptions {
  datastore: DataStore;
  maxSizeBytes: number;
}

/**
 * The tus 1.0 server of both worlds: the cloud container (S3 store) and `npm start` (file store).
 * Upload authentication and the upload-token binding are added with the upload flow (RequestUpload/FinishUpload).
 */
export function createTusServer(options: TusServerOptions): Server {
  return new Server({
    path: TUS_PATH,
    datastore: options.datastore,
    maxSize: options.maxSizeBytes,
    respectForwardedHeaders: true,
  });
}
