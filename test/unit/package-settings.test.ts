import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('package.json', () => {
  it("turns off @scarf/scarf's install-time telemetry for every npm that runs its script", () => {
    // @scarf/scarf (a dependency of swagger-ui-dist) reads this from the root package.json.
    expect(manifest.scarfSettings).toEqual({ enabled: false });
  });
});
