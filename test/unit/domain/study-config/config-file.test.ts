import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigFile, writeConfigFile } from '../../../../functions/domain/study-config/config-file.js';
import { settings } from './arbitraries.js';

const FILE = 'study.Demo.config';

describe('parseConfigFile', () => {
  it('reads every property', () => {
    const text = [
      'Label: Breast cohort 2024: HE + Ki67',
      'folder: ./Breast2024/',
      'description: Ki67 hot-spot scoring, round 1',
      'PUBLISHED: yes',
      'organs: breast',
      'diseases: invasive carcinoma; DCIS',
      'stainings: HE, Ki67, he',
      'staining: ER',
    ].join('\r\n');
    const { value, problems } = parseConfigFile(FILE, text);
    expect(value).toEqual({
      label: 'Breast cohort 2024: HE + Ki67',
      folder: 'Breast2024',
      description: 'Ki67 hot-spot scoring, round 1',
      published: true,
      organs: ['breast'],
      diseases: ['invasive carcinoma', 'DCIS'],
      stainings: ['HE', 'Ki67', 'ER'],
    });
    expect(problems).toEqual([]);
  });

  it('gives empty lists and no scalars for an empty file', () => {
    expect(parseConfigFile(FILE, '\uFEFF\n\n')).toEqual({
      value: { organs: [], diseases: [], stainings: [] },
      problems: [],
    });
  });

  it('warns about unknown properties, empty values and repeats; errors on bad values and lines', () => {
    const text =
      'colour: red\nlabel:\nlabel: A\nlabel: B\npublished: soon\nfolder: ../up\njust text\nfolder: x/..\nfolder: a//b\n';
    const { value, problems } = parseConfigFile(FILE, text);
    expect(value).toEqual({ label: 'B', organs: [], diseases: [], stainings: [] });
    expect(problems.map((p) => [p.line, p.severity, p.reason])).toEqual([
      [
        1,
        'warning',
        'unknown property "colour" (known: label, folder, description, published, organs, diseases, stainings); ignored',
      ],
      [2, 'warning', 'label has no value; ignored'],
      [4, 'warning', 'label is also on line 3; this value wins'],
      [5, 'error', 'published must be true or false, not "soon"; ignored'],
      [6, 'error', 'folder refused: "../up" climbs above the upload root'],
      [7, 'error', 'expected "property: value"; line skipped'],
      [8, 'error', 'folder refused: it names the upload root'],
      [9, 'error', 'folder refused: "a//b" has an empty path segment'],
    ]);
  });
  it('treats names of Object.prototype members as unknown properties', () => {
    const { value, problems } = parseConfigFile(FILE, 'constructor: x\n__proto__: y\ntoString: z\n');
    expect(value).toEqual({ organs: [], diseases: [], stainings: [] });
    expect(problems.map((p) => p.severity)).toEqual(['warning', 'warning', 'warning']);
  });
});

describe('writeConfigFile', () => {
  it('writes the given values in a fixed order', () => {
    expect(writeConfigFile({ published: false, label: 'L', organs: [], diseases: [], stainings: ['HE', 'Ki67'] })).toBe(
      'label: L\npublished: false\nstainings: HE, Ki67\n',
    );
  });

  it('round-trips any settings', () => {
    fc.assert(
      fc.property(settings, (model) => {
        expect(parseConfigFile(FILE, writeConfigFile(model))).toEqual({ value: model, problems: [] });
      }),
    );
  });
});
