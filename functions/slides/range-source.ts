import { open } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * Where slide bytes come from: ranged reads only. The server backs it by S3 ranged GETs
 * (`UploadedFiles.readObjectRange`); tests and benchmarks use a file. `read` may return fewer bytes at the end
 * of the file, never more.
 */
export interface RangeSource {
  /** The file's name as users know it (upload path); errors name it. */
  readonly name: string;
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A local file as a RangeSource (tests, benchmarks, the derive step on a local copy). */
export async function fileRangeSource(
  path: string,
  name = basename(path),
): Promise<RangeSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name,
    size,
    async read(offset, length) {
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.allocUnsafe(want);
      let done = 0;
      while (done < want) {
        const { bytesRead } = await handle.read(buffer, done, want - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === want ? buffer : buffer.subarray(0, done);
    },
    close: () => handle.close(),
  };
}

/** Bytes already in memory as a RangeSource (small derived images, tests). */
export function bufferRangeSource(bytes: Uint8Array, name: string): RangeSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

export interface ReadCounts {
  reads: number;
  bytes: number;
  /** Every read as [offset, length], oldest first (tests assert exact ranges). */
  log: Array<[number, number]>;
}

/** Wraps a source and counts its reads and bytes (tests and the tiles benchmark). */
export function countingRangeSource(inner: RangeSource): RangeSource & { counts: ReadCounts; reset(): void } {
  const counts: ReadCounts = { reads: 0, bytes: 0, log: [] };
  return {
    name: inner.name,
    size: inner.size,
    counts,
    reset() {
      counts.reads = 0;
      counts.bytes = 0;
      counts.log.length = 0;
    },
    async read(offset, length) {
      const bytes = await inner.read(offset, length);
      counts.reads += 1;
      counts.bytes += bytes.length;
      if (counts.log.length < 10_000) counts.log.push([offset, length]);
      return bytes;
    },
  };
}
