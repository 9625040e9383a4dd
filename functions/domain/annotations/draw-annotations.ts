/**
 * Draws annotation items straight into an RGB pixel buffer (3 bytes a pixel, rows top to bottom), for the
 * screenshot renderer. No SVG: 100,000 points as SVG circles took ~1.7 s to render, straight into pixels
 * ~77 ms (architecture notes).
 *
 * Points are small filled discs; polygons, polylines, measurement lines, rects and ellipses are outlines; a
 * brush is filled with `fillAlpha` (even-odd, so its negative polygons are holes) and outlined; heatmap cells
 * are filled with a blue → red colour map at `heatmapAlpha`, value 0 left clear. Labels are not drawn (that
 * needs a font). An item's own `color` (#rrggbb) wins over the colour given, which is the question's.
 * Everything is clipped to the buffer, so items far outside cost only their vertex transforms.
 */
import { type AnnotationItem, ellipseToPolygon, type Point, rectToPolygon } from './annotation-model.js';

export type Rgb = readonly [number, number, number];

export interface DrawOptions {
  /** Radius of a point's disc, in output pixels (default 3). */
  pointRadius?: number;
  /** Outline width in output pixels (default 2). */
  lineWidth?: number;
  /** Opacity of a brush's fill, 0..1 (default 0.3). */
  fillAlpha?: number;
  /** Opacity of heatmap cells, 0..1 (default 0.5). */
  heatmapAlpha?: number;
}

/** Level-0 coordinates → output pixel coordinates (fractional). */
export type ToPixel = (x: number, y: number) => readonly [number, number];

/** Draws the items onto `rgb` (width × height × 3 bytes), in place. */
export function drawAnnotations(
  rgb: Uint8Array,
  width: number,
  height: number,
  toPixel: ToPixel,
  items: readonly AnnotationItem[],
  colour: string | Rgb,
  options: DrawOptions = {},
): void {
  if (rgb.length < width * height * 3) throw new RangeError(`the buffer holds fewer than ${width}×${height}×3 bytes`);
  const canvas = new Canvas(rgb, width, height);
  const base = typeof colour === 'string' ? (parseHexColour(colour) ?? [255, 0, 0]) : colour;
  const radius = Math.max(0, options.pointRadius ?? 3);
  const lineWidth = Math.max(1, Math.round(options.lineWidth ?? 2));
  const fillAlpha = clamp01(options.fillAlpha ?? 0.3);
  const heatmapAlpha = clamp01(options.heatmapAlpha ?? 0.5);
  const spans = discSpans(radius);
  const project = (points: readonly Point[]): number[] => {
    const flat = new Array<number>(points.length * 2);
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as Point;
      const [px, py] = toPixel(p.x, p.y);
      flat[2 * i] = px;
      flat[2 * i + 1] = py;
    }
    return flat;
  };

  for (const item of items) {
    const c = (item.color !== undefined ? parseHexColour(item.color) : undefined) ?? base;
    switch (item.type) {
      case 'point': {
        const [px, py] = toPixel(item.x, item.y);
        if (!Number.isFinite(px + py)) break;
        canvas.disc(Math.round(px), Math.round(py), spans, c);
        break;
      }
      case 'polygon':
        canvas.path(project(item.points), true, lineWidth, c);
        break;
      case 'polyline':
      case 'line':
        canvas.path(project(item.points), false, lineWidth, c);
        break;
      case 'rect':
        canvas.path(project(rectToPolygon(item)), true, lineWidth, c);
        break;
      case 'ellipse': {
        const [cx, cy] = toPixel(item.center.x, item.center.y);
        const [ex, ey] = toPixel(item.center.x + item.size.x, item.center.y + item.size.y);
        const pixelRadius = Math.max(Math.abs(ex - cx), Math.abs(ey - cy));
        const n = Math.min(256, Math.max(16, Math.ceil((2 * Math.PI * pixelRadius) / 4)));
        canvas.path(project(ellipseToPolygon(item, n)), true, lineWidth, c);
        break;
      }
      case 'brush': {
        const rings = [...item.positivePolygons, ...item.negativePolygons].map(project);
        if (fillAlpha > 0) canvas.fillEvenOdd(rings, c, fillAlpha);
        for (const ring of rings) canvas.path(ring, true, lineWidth, c);
        break;
      }
      case 'heatmap': {
        const cell = item.height / item.rows;
        // Column and row edges are projected once; toPixel is taken to be axis-aligned, as a screenshot is.
        const xs: number[] = [];
        for (let col = 0; col <= item.columns; col++) xs.push(Math.round(toPixel(item.x + col * cell, item.y)[0]));
        const ys: number[] = [];
        for (let row = 0; row <= item.rows; row++) ys.push(Math.round(toPixel(item.x, item.y + row * cell)[1]));
        for (let row = 0; row < item.rows; row++) {
          if (Math.max(ys[row] as number, ys[row + 1] as number) < 0 || (ys[row] as number) >= height) continue;
          for (let col = 0; col < item.columns; col++) {
            const value = item.values[row * item.columns + col] as number;
            if (value === 0) continue;
            canvas.box(
              xs[col] as number,
              ys[row] as number,
              xs[col + 1] as number,
              ys[row + 1] as number,
              HEATMAP[value] as Rgb,
              heatmapAlpha,
            );
          }
        }
        break;
      }
    }
  }
}

/** `#rrggbb` or `#rgb` (the # optional) → [r, g, b]; anything else → undefined. */
export function parseHexColour(text: string): Rgb | undefined {
  let hex = text.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(hex)) hex = hex.replace(/./g, (c) => c + c);
  if (!/^[0-9a-f]{6}$/i.test(hex)) return undefined;
  const n = Number.parseInt(hex, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** 256 colours from blue through cyan, green and yellow to red. */
const HEATMAP: Rgb[] = (() => {
  const stops: Rgb[] = [
    [0, 0, 255],
    [0, 255, 255],
    [0, 255, 0],
    [255, 255, 0],
    [255, 0, 0],
  ];
  const table: Rgb[] = [];
  for (let v = 0; v < 256; v++) {
    const t = (v / 255) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(t));
    const f = t - i;
    const a = stops[i] as Rgb;
    const b = stops[i + 1] as Rgb;
    table.push([
      Math.round(a[0] + (b[0] - a[0]) * f),
      Math.round(a[1] + (b[1] - a[1]) * f),
      Math.round(a[2] + (b[2] - a[2]) * f),
    ]);
  }
  return table;
})();

/** Half-widths of a disc's rows, from -radius to +radius. */
function discSpans(radius: number): number[] {
  const r = Math.round(radius);
  const spans: number[] = [];
  for (let dy = -r; dy <= r; dy++) spans.push(Math.floor(Math.sqrt((radius + 0.25) ** 2 - dy * dy)));
  return spans;
}

class Canvas {
  constructor(
    private readonly rgb: Uint8Array,
    private readonly width: number,
    private readonly height: number,
  ) {}

  /** Fills pixels x0..x1 (inclusive) of row y, clipped. */
  private span(x0: number, x1: number, y: number, c: Rgb, alpha: number): void {
    if (y < 0 || y >= this.height) return;
    const from = Math.max(0, x0);
    const to = Math.min(this.width - 1, x1);
    if (from > to) return;
    const rgb = this.rgb;
    let i = (y * this.width + from) * 3;
    if (alpha >= 1) {
      for (let x = from; x <= to; x++, i += 3) {
        rgb[i] = c[0];
        rgb[i + 1] = c[1];
        rgb[i + 2] = c[2];
      }
    } else {
      const keep = 1 - alpha;
      for (let x = from; x <= to; x++, i += 3) {
        rgb[i] = Math.round((rgb[i] as number) * keep + c[0] * alpha);
        rgb[i + 1] = Math.round((rgb[i + 1] as number) * keep + c[1] * alpha);
        rgb[i + 2] = Math.round((rgb[i + 2] as number) * keep + c[2] * alpha);
      }
    }
  }

  disc(cx: number, cy: number, spans: readonly number[], c: Rgb): void {
    const r = (spans.length - 1) / 2;
    if (cx + r < 0 || cy + r < 0 || cx - r >= this.width || cy - r >= this.height) return;
    for (let i = 0; i < spans.length; i++) {
      const half = spans[i] as number;
      this.span(cx - half, cx + half, cy - r + i, c, 1);
    }
  }

  /** Pixels [x0, x1) × [y0, y1), at least one pixel each way. */
  box(x0: number, y0: number, x1: number, y1: number, c: Rgb, alpha: number): void {
    const right = Math.max(x0 + 1, x1) - 1;
    const bottom = Math.min(this.height, Math.max(y0 + 1, y1));
    for (let y = Math.max(0, y0); y < bottom; y++) this.span(x0, right, y, c, alpha);
  }

  /** Outlines a flat [x0, y0, x1, y1, …] path of pixel coordinates. */
  path(flat: readonly number[], closed: boolean, lineWidth: number, c: Rgb): void {
    const n = flat.length / 2;
    if (n === 1) this.square(Math.round(flat[0] as number), Math.round(flat[1] as number), lineWidth, c);
    const segments = closed && n > 2 ? n : n - 1;
    for (let i = 0; i < segments; i++) {
      const j = (i + 1) % n;
      this.line(
        flat[2 * i] as number,
        flat[2 * i + 1] as number,
        flat[2 * j] as number,
        flat[2 * j + 1] as number,
        lineWidth,
        c,
      );
    }
  }

  private square(x: number, y: number, size: number, c: Rgb): void {
    if (!Number.isFinite(x + y)) return;
    const x0 = x - Math.floor((size - 1) / 2);
    const y0 = y - Math.floor((size - 1) / 2);
    for (let dy = 0; dy < size; dy++) this.span(x0, x0 + size - 1, y0 + dy, c, 1);
  }

  /** A segment, clipped to the buffer (Liang–Barsky) first so far-away vertices cost nothing. */
  private line(ax: number, ay: number, bx: number, by: number, lineWidth: number, c: Rgb): void {
    // A non-finite end (a toPixel that overflowed) would never let the walk below finish.
    if (!Number.isFinite(ax + ay + bx + by)) return;
    const margin = lineWidth;
    let t0 = 0;
    let t1 = 1;
    const dx = bx - ax;
    const dy = by - ay;
    const edges: [number, number][] = [
      [-dx, ax + margin],
      [dx, this.width - 1 + margin - ax],
      [-dy, ay + margin],
      [dy, this.height - 1 + margin - ay],
    ];
    for (const [p, q] of edges) {
      if (p === 0) {
        if (q < 0) return;
      } else {
        const t = q / p;
        if (p < 0) {
          if (t > t1) return;
          if (t > t0) t0 = t;
        } else {
          if (t < t0) return;
          if (t < t1) t1 = t;
        }
      }
    }
    let x0 = Math.round(ax + t0 * dx);
    let y0 = Math.round(ay + t0 * dy);
    const x1 = Math.round(ax + t1 * dx);
    const y1 = Math.round(ay + t1 * dy);
    // Bresenham, stamping a lineWidth square at each step.
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    const ddx = Math.abs(x1 - x0);
    const ddy = -Math.abs(y1 - y0);
    let err = ddx + ddy;
    for (;;) {
      this.square(x0, y0, lineWidth, c);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= ddy) {
        err += ddy;
        x0 += sx;
      }
      if (e2 <= ddx) {
        err += ddx;
        y0 += sy;
      }
    }
  }

  /** Fills the rings with the even-odd rule, sampling pixel centres, with an active edge list per row. */
  fillEvenOdd(rings: readonly (readonly number[])[], c: Rgb, alpha: number): void {
    type Edge = { yTop: number; yBottom: number; x: number; slope: number };
    const edges: Edge[] = [];
    for (const ring of rings) {
      const n = ring.length / 2;
      if (n < 3) continue;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        let x0 = ring[2 * i] as number;
        let y0 = ring[2 * i + 1] as number;
        let x1 = ring[2 * j] as number;
        let y1 = ring[2 * j + 1] as number;
        if (y0 === y1 || !Number.isFinite(x0 + y0 + x1 + y1)) continue;
        if (y0 > y1) [x0, y0, x1, y1] = [x1, y1, x0, y0];
        edges.push({ yTop: y0, yBottom: y1, x: x0, slope: (x1 - x0) / (y1 - y0) });
      }
    }
    if (edges.length === 0) return;
    edges.sort((a, b) => a.yTop - b.yTop);
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const e of edges) {
      minY = Math.min(minY, e.yTop);
      maxY = Math.max(maxY, e.yBottom);
    }
    const firstRow = Math.max(0, Math.ceil(minY - 0.5));
    const lastRow = Math.min(this.height - 1, Math.floor(maxY - 0.5));
    let next = 0;
    let active: Edge[] = [];
    const crossings: number[] = [];
    for (let row = firstRow; row <= lastRow; row++) {
      const yc = row + 0.5;
      while (next < edges.length && (edges[next] as Edge).yTop <= yc) active.push(edges[next++] as Edge);
      active = active.filter((e) => e.yBottom > yc);
      crossings.length = 0;
      for (const e of active) if (e.yTop <= yc) crossings.push(e.x + (yc - e.yTop) * e.slope);
      crossings.sort((a, b) => a - b);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        // Pixels whose centre lies inside [left, right).
        const from = Math.ceil((crossings[k] as number) - 0.5);
        const to = Math.ceil((crossings[k + 1] as number) - 0.5) - 1;
        this.span(from, to, row, c, alpha);
      }
    }
  }
}
