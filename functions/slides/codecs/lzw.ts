/**
 * TIFF LZW (MSB-first codes of 9–12 bits, "early change"). Hand-written because geotiff's decoder takes about
 * 0.5 s per megapixel; this one writes strings backwards from a prefix table with no allocation per code.
 * Returns at most `expected` bytes (fewer when the stream ends early).
 */
export function lzwDecode(input: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  const first = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }
  let next = 258;
  let width = 9;
  let bits = 0;
  let bitCount = 0;
  let pos = 0;
  let op = 0;
  let old = -1;
  const n = input.length;
  while (op < expected) {
    while (bitCount < width) {
      if (pos >= n) return out.subarray(0, op);
      bits = ((bits << 8) | (input[pos++] as number)) & 0xffffff;
      bitCount += 8;
    }
    const code = (bits >>> (bitCount - width)) & ((1 << width) - 1);
    bitCount -= width;
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      width = 9;
      old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new Error(`LZW: code ${code} after a clear`);
      out[op++] = code;
      old = code;
      continue;
    }
    let head: number;
    if (code < next) {
      op = writeString(out, op, code, prefix, suffix, length);
      head = first[code] as number;
    } else if (code === next) {
      op = writeString(out, op, old, prefix, suffix, length);
      head = first[old] as number;
      if (op < expected) out[op++] = head;
    } else {
      throw new Error(`LZW: code ${code} beyond table end ${next}`);
    }
    if (next < 4096) {
      prefix[next] = old;
      suffix[next] = head;
      length[next] = (length[old] as number) + 1;
      first[next] = first[old] as number;
      next++;
      if (next >= (1 << width) - 1 && width < 12) width++;
    }
    old = code;
  }
  return out.subarray(0, op);
}

function writeString(
  out: Uint8Array,
  op: number,
  code: number,
  prefix: Uint16Array,
  suffix: Uint8Array,
  length: Uint16Array,
): number {
  const len = length[code] as number;
  const end = op + len;
  let k = code;
  for (let p = end - 1; p >= op; p--) {
    if (p < out.length) out[p] = suffix[k] as number;
    k = prefix[k] as number;
  }
  return Math.min(end, out.length);
}
