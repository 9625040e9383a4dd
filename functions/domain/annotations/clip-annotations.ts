/**
 * Keeps what of an answer can show in a level-0 box, so a screenshot of a small region of a huge annotation
 * projects only what it draws: points inside the box, shapes whose bounds meet it, and a heatmap cut to the
 * cells that meet it. `margin` (level-0 pixels) widens the box for what is drawn around a coordinate (a
 * point's disc, an outline's width).
 */
import { type AnnotationItem, type HeatmapItem, itemBounds } from './annotation-model.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function clipItems(items: readonly AnnotationItem[], box: Box, margin = 0): AnnotationItem[] {
  const minX = box.x - margin;
  const minY = box.y - margin;
  const maxX = box.x + box.width + margin;
  const maxY = box.y + box.height + margin;
  const kept: AnnotationItem[] = [];
  for (const item of items) {
    if (item.type === 'point') {
      if (item.x >= minX && item.x <= maxX && item.y >= minY && item.y <= maxY) kept.push(item);
      continue;
    }
    if (item.type === 'heatmap') {
      const cut = cropHeatmap(item, { x: minX, y: minY, width: maxX - minX, height: maxY - minY });
      if (cut) kept.push(cut);
      continue;
    }
    const b = itemBounds(item);
    if (!b) continue;
    // A rect or ellipse may have a negative size: its bounds are then the other way round.
    const [x0, x1] = b.minX <= b.maxX ? [b.minX, b.maxX] : [b.maxX, b.minX];
    const [y0, y1] = b.minY <= b.maxY ? [b.minY, b.maxY] : [b.maxY, b.minY];
    if (x1 >= minX && x0 <= maxX && y1 >= minY && y0 <= maxY) kept.push(item);
  }
  return kept;
}

/** The cells of a heatmap that meet the box, as a heatmap of their own; undefined when none does. */
export function cropHeatmap(item: HeatmapItem, box: Box): HeatmapItem | undefined {
  if (item.rows <= 0 || item.columns <= 0 || !(item.height > 0)) return undefined;
  const cell = item.height / item.rows;
  const c0 = Math.max(0, Math.floor((box.x - item.x) / cell));
  const c1 = Math.min(item.columns, Math.ceil((box.x + box.width - item.x) / cell));
  const r0 = Math.max(0, Math.floor((box.y - item.y) / cell));
  const r1 = Math.min(item.rows, Math.ceil((box.y + box.height - item.y) / cell));
  if (c0 >= c1 || r0 >= r1) return undefined;
  if (c0 === 0 && r0 === 0 && c1 === item.columns && r1 === item.rows) return item;
  const columns = c1 - c0;
  const rows = r1 - r0;
  const values = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const from = (r0 + r) * item.columns + c0;
    values.set(item.values.subarray(from, from + columns), r * columns);
  }
  return { ...item, x: item.x + c0 * cell, y: item.y + r0 * cell, height: rows * cell, rows, columns, values };
}
