import { SlideOpenError } from '../errors.js';
import type { RangeSource } from '../range-source.js';

/** Directory bytes are read in blocks of this size: one ranged read usually covers a header and its IFD. */
const BLOCK = 64 * 1024;

/**
 * Ranged reads for parsing TIFF directories: small reads are served from 64 KiB blocks read once, a large tag
 * array is read in one range of exactly its bytes. Never reads the whole file.
 */
export class ByteReader {
  private readonly blocks = new Map<number, Uint8Array>();

  constructor(readonly source: RangeSource) {}

  /** Exactly `length` bytes at `offset`, or a SlideOpenError naming what was cut off. */
  async bytes(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.source.size) {
      throw new SlideOpenError(
        this.source.name,
        `${what} at byte ${offset} (+${length}) lies past the end of the file (${this.source.size} bytes): truncated?`,
      );
    }
    if (length > BLOCK / 2) return this.readExact(offset, length);
    const start = Math.floor(offset / BLOCK) * BLOCK;
    if (offset + length <= start + BLOCK) {
      const block = await this.block(start);
      return block.subarray(offset - start, offset - start + length);
    }
    return this.readExact(offset, length);
  }

  private async block(start: number): Promise<Uint8Array> {
    let block = this.blocks.get(start);
    if (!block) {
      block = await this.source.read(start, Math.min(BLOCK, this.source.size - start));
      this.blocks.set(start, block);
    }
    return block;
  }

  private async readExact(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.source.read(offset, length);
    if (bytes.length !== length) {
      throw new SlideOpenError(this.source.name, `short read at byte ${offset}: got ${bytes.length} of ${length}`);
    }
    return bytes;
  }
}
