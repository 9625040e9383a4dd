/** The file cannot be opened as a slide (empty, truncated, not a slide, unsupported layout or codec). */
export class SlideOpenError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: cannot open as a slide: ${reason}`);
    this.name = 'SlideOpenError';
  }
}

/** One tile cannot be read or decoded; the rest of the slide is fine. */
export class TileReadError extends Error {
  constructor(
    readonly file: string,
    /** A pyramid level, or the name of an associated image. */
    readonly level: number | string,
    readonly tile: number,
    readonly reason: string,
  ) {
    super(`${file}: level ${level} tile ${tile}: ${reason}`);
    this.name = 'TileReadError';
  }
}

/** A request outside the slide: no such level, tile or DeepZoom tile, or an empty region. */
export class OutOfRangeError extends Error {
  constructor(readonly what: string) {
    super(`Out of range: ${what}`);
    this.name = 'OutOfRangeError';
  }
}
