import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../../../functions/domain/study-config/config-file.js';
import { parseEmailsFile } from '../../../../functions/domain/study-config/emails-file.js';
import { classifyRootFileName, configFileName } from '../../../../functions/domain/study-config/file-names.js';
import { parseImagesFile } from '../../../../functions/domain/study-config/images-file.js';
import type { Parsed } from '../../../../functions/domain/study-config/problems.js';
import { parseQuestionSpec, parseScoresFile } from '../../../../functions/domain/study-config/scores-file.js';
import { parseTmaMapFile } from '../../../../functions/domain/study-config/tma-map-file.js';
import { resolveUploadPath } from '../../../../functions/domain/study-config/upload-path.js';
import { configLikeText } from './arbitraries.js';

/** Counted independently of the parsers: BOM dropped, any newline convention. */
function lineCount(text: string): number {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length;
}

function expectWellFormed(fileName: string, text: string, parsed: Parsed<unknown>): void {
  for (const problem of parsed.problems) {
    expect(problem.file).toBe(fileName);
    expect(['error', 'warning']).toContain(problem.severity);
    expect(problem.reason).not.toBe('');
    expect(Number.isInteger(problem.line)).toBe(true);
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lineCount(text));
  }
}

const PARSERS: [string, string, (fileName: string, text: string) => Parsed<unknown>][] = [
  ['emails', 'study.F.emails', parseEmailsFile],
  ['images', 'F/more.images', parseImagesFile],
  ['map', 'study.F.map1', parseTmaMapFile],
  ['config', 'study.F.config', parseConfigFile],
  ['scores', 'study.F.scores', parseScoresFile],
  ['questionSpec', 'questionSpec', (_fileName, text) => parseQuestionSpec(text)],
];

describe('every parser, on arbitrary text', () => {
  it.each(PARSERS)('%s never throws and reports lines within the file', (_kind, fileName, parse) => {
    fc.assert(
      fc.property(configLikeText, (text) => {
        expectWellFormed(fileName, text, parse(fileName, text));
      }),
      { numRuns: 500 },
    );
  });

  it('images never yields a path outside the upload root', () => {
    fc.assert(
      fc.property(configLikeText, (text) => {
        for (const image of parseImagesFile('F/more.images', text).value) {
          for (const path of [image.path, image.tmaMap ?? 'x']) {
            expect(path.split('/').every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('maps are always rectangular and cores know their place', () => {
    fc.assert(
      fc.property(configLikeText, (text) => {
        const { grid } = parseTmaMapFile('m', text).value;
        const width = grid[0]?.length ?? 0;
        grid.forEach((row, r) => {
          expect(row.length).toBe(width);
          row.forEach((core, c) => {
            if (core) expect([core.row, core.col, core.sampleId === '']).toEqual([r, c, false]);
          });
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('resolveUploadPath and classifyRootFileName, on arbitrary text', () => {
  const pathText = fc.string({ unit: fc.constantFrom('a', 'b', '.', '..', '/', '\\', 'C:', ' ', '\u0000') });

  it('resolves to clean segments or refuses with a reason', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'S', 'S/sub'), pathText, (folder, path) => {
        const result = resolveUploadPath(folder, path);
        if (!result.ok) expect(result.reason).not.toBe('');
        else if (result.path !== '') {
          expect(result.path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\'))).toBe(
            true,
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('classifies only names it can build again', () => {
    const name = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('study', '.', 'x', '-', 'map', 'emails', 'Scores', '/', '1') }),
    );
    fc.assert(
      fc.property(name, (fileName) => {
        const file = classifyRootFileName(fileName);
        if (file) {
          const rebuilt = configFileName(file.studyName, file.kind, file.kind === 'map' ? file.mapSuffix : '');
          expect(rebuilt.toLowerCase()).toBe(fileName.toLowerCase());
        }
      }),
      { numRuns: 1000 },
    );
  });
});
