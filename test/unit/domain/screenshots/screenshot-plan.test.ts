import { describe, expect, it } from 'vitest';
import { drawText, textWidth } from '../../../../functions/domain/screenshots/bitmap-font.js';
import { chooseScaleBar, drawScaleBar } from '../../../../functions/domain/screenshots/scale-bar.js';
import {
  deepZoomMaxLevel,
  MAX_SCREENSHOT_SIDE,
  planScreenshot,
  planToPixel,
} from '../../../../functions/domain/screenshots/screenshot-plan.js';

describe('planScreenshot', () => {
  it('uses the DeepZoom scale, clamps the level and defaults to the whole slide', () => {
    expect(deepZoomMaxLevel(2220, 2967)).toBe(12);
    const whole = planScreenshot(2220, 2967, { level: 11 });
    expect(whole).toMatchObject({ ok: true, plan: { scale: 0.5, outWidth: 1110, outHeight: 1484, wholeSlide: true } });
    expect(planScreenshot(2220, 2967, { level: 99 })).toMatchObject({ plan: { level: 12, outWidth: 2220 } });
    expect(planScreenshot(2220, 2967, { level: -3 })).toMatchObject({ plan: { level: 0, outWidth: 1, outHeight: 1 } });
    // No level: the region in about 1024 px.
    expect(planScreenshot(20000, 15000, {})).toMatchObject({ plan: { level: 10, outWidth: 625 } });
  });

  it('maps level-0 coordinates of a region to output pixels', () => {
    const planned = planScreenshot(20000, 15000, { level: 13, x: 4096, y: 4096, width: 4096, height: 4096 });
    if (!planned.ok) throw new Error(planned.reason);
    expect([planned.plan.outWidth, planned.plan.outHeight, planned.plan.wholeSlide]).toEqual([1024, 1024, false]);
    expect(planToPixel(planned.plan)(4096 + 400, 4096 + 800)).toEqual([100, 200]);
  });

  it('refuses too large outputs and regions outside the slide', () => {
    const big = planScreenshot(100_000, 80_000, { level: 17 });
    expect(big.ok).toBe(false);
    expect(big.ok || big.reason).toContain(`${MAX_SCREENSHOT_SIDE} px`);
    expect(planScreenshot(10_000, 5_000, { level: 14 }).ok).toBe(false); // 50 M pixels
    expect(planScreenshot(10_000, 5_000, { level: 13 }).ok).toBe(true);
    expect(planScreenshot(100, 100, { x: 200, y: 0, width: 10, height: 10 }).ok).toBe(false);
    expect(planScreenshot(100, 100, { width: 0 }).ok).toBe(false);
  });
});

describe('scale bar', () => {
  it('picks a round length of about a fifth of the width', () => {
    expect(chooseScaleBar(600, 0.5)).toEqual({ micrometres: 50, pixels: 100, label: '50 µm' });
    expect(chooseScaleBar(1024, 16)).toEqual({ micrometres: 2000, pixels: 125, label: '2 mm' });
    expect(chooseScaleBar(600, undefined)).toBeUndefined();
    expect(chooseScaleBar(600, 0)).toBeUndefined();
  });

  it('draws black text and bar on a white panel in the bottom-left corner, only when there is room', () => {
    const [w, h] = [400, 300];
    const rgb = new Uint8Array(w * h * 3).fill(128);
    expect(drawScaleBar(rgb, w, h, 0.25)).toMatchObject({ label: '20 µm', pixels: 80 });
    let black = 0;
    let white = 0;
    for (let i = 0; i < rgb.length; i += 3) {
      if (rgb[i] === 0) black++;
      if (rgb[i] === 255) white++;
    }
    expect(black).toBeGreaterThan(80 * 3); // the bar is 3 px thick below 512 px
    expect(white).toBeGreaterThan(black);
    // Nothing above the bottom 60 rows.
    expect(rgb.subarray(0, (h - 60) * w * 3).every((v) => v === 128)).toBe(true);
    expect(drawScaleBar(new Uint8Array(50 * 50 * 3), 50, 50, 0.25)).toBeUndefined();
  });

  it('renders text with the embedded font, scaled', () => {
    expect(textWidth('10 µm', 2)).toBe((5 * 6 - 1) * 2);
    const rgb = new Uint8Array(20 * 10 * 3);
    drawText(rgb, 20, 10, 0, 0, '1', 1, [255, 255, 255]);
    // The "1" glyph: its stem is column 2 of rows 0–6.
    for (let row = 0; row < 7; row++) expect(rgb[(row * 20 + 2) * 3]).toBe(255);
    expect(rgb[(0 * 20 + 0) * 3]).toBe(0);
  });
});
