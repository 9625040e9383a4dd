import { createRequire } from 'node:module';

interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  delete(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

let module: Promise<OpenJpegModule> | undefined;
let decoder: J2KDecoder | undefined;

/** OpenJPEG (WebAssembly), loaded once; its per-decode `[INFO]` prints are silenced. */
function openJpeg(): Promise<OpenJpegModule> {
  module ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/decodewasmjs') as (o: object) => Promise<OpenJpegModule>;
    return factory({ print: () => {}, printErr: () => {} });
  })();
  return module;
}

export interface J2kPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/**
 * Decodes one JPEG 2000 codestream (Aperio 33003/33005 tiles). The decoder instance is reused; decoding is
 * synchronous inside WebAssembly, so calls cannot interleave.
 */
export async function decodeJpeg2000(bytes: Uint8Array): Promise<J2kPixels> {
  const lib = await openJpeg();
  decoder ??= new lib.J2KDecoder();
  decoder.getEncodedBuffer(bytes.length).set(bytes);
  decoder.decode();
  const info = decoder.getFrameInfo();
  if (info.bitsPerSample > 8) throw new Error(`JPEG 2000 with ${info.bitsPerSample} bits per sample`);
  // Copy out: the WebAssembly heap is reused by the next decode.
  const data = Uint8Array.from(decoder.getDecodedBuffer());
  return { data, width: info.width, height: info.height, channels: info.componentCount };
}
