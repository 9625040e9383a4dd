import type { ImageMetadata } from './metadata.js';

/** Keys whose PascalCase form is not just the first letter raised (the extension reads `OSDTileSize`). */
const SPECIAL: Partial<Record<keyof ImageMetadata, string>> = { osdTileSize: 'OSDTileSize' };

/** QuPath's SlideScoreMetadata.json: the same fields as GetImageMetadata, in PascalCase (reference §3.11). */
export function pascalCaseMetadata(metadata: ImageMetadata): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).map(([key, value]) => [
      SPECIAL[key as keyof ImageMetadata] ?? key.charAt(0).toUpperCase() + key.slice(1),
      value,
    ]),
  );
}
