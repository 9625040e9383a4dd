/**
 * A fast reader for the one shape of `anno1_points.json` the SDK writes, `[{"x": 1, "y": 2}, …]` (any JSON
 * spacing, keys in that order, nothing else): the coordinates as [x0, y0, x1, y1, …] without building a million
 * objects first, which JSON.parse would (about 5× slower on 10⁶ points). Anything else (other keys, a colour,
 * another order, invalid JSON) gives undefined, and the caller reads the text with JSON.parse and the
 * validator instead: what this accepts is a subset of what they accept, read to the same numbers.
 */
export function scanPoints(bytes: Uint8Array, maxPoints: number): Float64Array | undefined {
  const n = bytes.length;
  let at = 0;
  let out = new Float64Array(1024);
  let count = 0;
  const space = () => {
    while (at < n) {
      const b = bytes[at] as number;
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return;
      at++;
    }
  };
  const expect = (b: number): boolean => {
    space();
    if (bytes[at] !== b) return false;
    at++;
    return true;
  };
  const key = (k: number): boolean => {
    space();
    if (bytes[at] !== 0x22 || bytes[at + 1] !== k || bytes[at + 2] !== 0x22) return false;
    at += 3;
    return expect(0x3a);
  };
  /** A JSON number; NaN when there is none. */
  const number = (): number => {
    space();
    const start = at;
    if (bytes[at] === 0x2d) at++;
    const digits = at;
    let whole = 0;
    while (at < n && (bytes[at] as number) >= 0x30 && (bytes[at] as number) <= 0x39) {
      whole = whole * 10 + ((bytes[at] as number) - 0x30);
      at++;
    }
    const length = at - digits;
    if (length === 0 || (length > 1 && bytes[digits] === 0x30)) return Number.NaN;
    const next = bytes[at];
    if (next !== 0x2e && next !== 0x65 && next !== 0x45 && length <= 15) {
      return bytes[start] === 0x2d ? -whole : whole;
    }
    // Fractions, exponents and long numbers: JSON's grammar, then the engine's own conversion.
    if (next === 0x2e) {
      at++;
      const from = at;
      while (at < n && (bytes[at] as number) >= 0x30 && (bytes[at] as number) <= 0x39) at++;
      if (at === from) return Number.NaN;
    }
    if (bytes[at] === 0x65 || bytes[at] === 0x45) {
      at++;
      if (bytes[at] === 0x2b || bytes[at] === 0x2d) at++;
      const from = at;
      while (at < n && (bytes[at] as number) >= 0x30 && (bytes[at] as number) <= 0x39) at++;
      if (at === from) return Number.NaN;
    }
    return Number(String.fromCharCode(...bytes.subarray(start, at)));
  };

  if (!expect(0x5b)) return undefined;
  space();
  if (bytes[at] === 0x5d) {
    at++;
  } else {
    for (;;) {
      if (!expect(0x7b) || !key(0x78)) return undefined;
      const x = number();
      if (!expect(0x2c) || !key(0x79)) return undefined;
      const y = number();
      if (!expect(0x7d) || !Number.isFinite(x) || !Number.isFinite(y)) return undefined;
      if (count >= maxPoints) return undefined;
      if (2 * count + 2 > out.length) {
        const grown = new Float64Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[2 * count] = x;
      out[2 * count + 1] = y;
      count++;
      space();
      if (bytes[at] === 0x2c) {
        at++;
        continue;
      }
      if (bytes[at] === 0x5d) {
        at++;
        break;
      }
      return undefined;
    }
  }
  space();
  return at === n ? out.subarray(0, 2 * count) : undefined;
}
