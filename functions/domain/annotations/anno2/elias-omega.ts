/**
 * Elias omega codes, as the anno2 polygon format stores its tile jumps and run lengths (SDK
 * `omega_encoder.py`): bits most significant first, each code ending in a 0, the last byte padded with zeros.
 * `integers` maps 0, 1, -1, 2, -2… to 1, 2, 3, 4, 5… first; `natural` stores numbers ≥ 1 as they are.
 * Padding zeros read as extra 1s (0 for `integers`): readers stop by the counts they know, as the SDK does.
 */

export type OmegaKind = 'natural' | 'integers';

export function encodeOmega(values: readonly number[], kind: OmegaKind): Uint8Array {
  const bits: number[] = [];
  const code: number[] = [];
  for (const value of values) {
    let n = kind === 'integers' ? (value > 0 ? 2 * value : -2 * value + 1) : value;
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`cannot omega-encode ${value} as ${kind}`);
    code.length = 0;
    code.push(0);
    while (n > 1) {
      const binary = n.toString(2);
      for (let i = binary.length - 1; i >= 0; i--) code.push(binary.charCodeAt(i) - 48);
      n = binary.length - 1;
    }
    for (let i = code.length - 1; i >= 0; i--) bits.push(code[i] as number);
  }
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3] = (bytes[i >> 3] as number) | (0x80 >> (i & 7));
  return bytes;
}

/** Every code in the bytes, padding included; throws on a code too long to be a safe integer (corrupt data). */
export function decodeOmega(bytes: Uint8Array, kind: OmegaKind): number[] {
  const total = bytes.length * 8;
  const bit = (i: number) => ((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1;
  const values: number[] = [];
  let offset = 0;
  while (offset < total) {
    let n = 1;
    for (;;) {
      if (offset >= total) return values; // a code cut off by the end: padding of a shorter code
      if (bit(offset) === 0) {
        offset++;
        break;
      }
      const width = n + 1;
      if (width > 53) throw new RangeError('an Elias omega code longer than 53 bits: the data is corrupt');
      if (offset + width > total) return values;
      let value = 0;
      for (let i = 0; i < width; i++) value = value * 2 + bit(offset + i);
      offset += width;
      n = value;
    }
    values.push(kind === 'integers' ? (n % 2 === 0 ? n / 2 : (1 - n) / 2) : n);
  }
  return values;
}
