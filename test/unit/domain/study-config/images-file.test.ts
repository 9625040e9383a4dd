import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseImagesFile,
  parseImagesList,
  writeImagesFile,
} from '../../../../functions/domain/study-config/images-file.js';
import { images } from './arbitraries.js';

describe('parseImagesFile', () => {
  it("reads the docs' example: a third field that is not a number is the name", () => {
    const { value, problems } = parseImagesFile('Demo/extra.images', '../otherfolder/011938r082.tif;;Nice Image\n');
    expect(value).toEqual([{ path: 'otherfolder/011938r082.tif', name: 'Nice Image' }]);
    expect(problems).toEqual([]);
  });

  it('reads all four fields, relative to the folder of the file', () => {
    const { value } = parseImagesFile('Demo/extra.images', 'slides\\a.svs;maps/block1.txt;270;Block 1, HE');
    expect(value).toEqual([
      { path: 'Demo/slides/a.svs', tmaMap: 'Demo/maps/block1.txt', rotation: 270, name: 'Block 1, HE' },
    ]);
  });

  it('reads paths in study.<name>.images relative to the upload root', () => {
    const { value } = parseImagesFile('study.Demo.images', 'Demo/a.svs;;90\r\n\r\nother/b.tif;;;B\r\n');
    expect(value).toEqual([
      { path: 'Demo/a.svs', rotation: 90 },
      { path: 'other/b.tif', name: 'B' },
    ]);
  });

  it('ignores empty and missing fields', () => {
    const { value, problems } = parseImagesFile('study.Demo.images', 'a.svs\nb.svs;\nc.svs;;;\nd.svs; ; ; \n');
    expect(value).toEqual([{ path: 'a.svs' }, { path: 'b.svs' }, { path: 'c.svs' }, { path: 'd.svs' }]);
    expect(problems).toEqual([]);
  });

  it('keeps everything after the third ; as the name', () => {
    expect(parseImagesFile('study.D.images', 'a.svs;;0;HE; level 2').value).toEqual([
      { path: 'a.svs', rotation: 0, name: 'HE; level 2' },
    ]);
  });

  it('accepts rotations 0, 90, 180 and 270 only', () => {
    const { value, problems } = parseImagesFile('study.D.images', 'a.svs;;180\nb.svs;;45;B\nc.svs;;-90\nd.svs;;+90.0');
    expect(value).toEqual([
      { path: 'a.svs', rotation: 180 },
      { path: 'd.svs', rotation: 90 },
    ]);
    expect(problems).toEqual([
      {
        file: 'study.D.images',
        line: 2,
        severity: 'error',
        reason: 'rotation "45" must be one of 0, 90, 180, 270; line skipped',
      },
      {
        file: 'study.D.images',
        line: 3,
        severity: 'error',
        reason: 'rotation "-90" must be one of 0, 90, 180, 270; line skipped',
      },
    ]);
  });

  it('warns when a name looks like a mistyped rotation', () => {
    const { value, problems } = parseImagesFile('study.D.images', 'a.svs;;90 degrees');
    expect(value).toEqual([{ path: 'a.svs', name: '90 degrees' }]);
    expect(problems[0]?.severity).toBe('warning');
  });

  it('refuses paths that leave the upload root or are not relative', () => {
    const text = '../../x.tif\n/abs.tif\nC:\\slides\\a.tif\na//b.tif\n;;90;name only\nok.tif;../../m.txt\n..\n';
    const { value, problems } = parseImagesFile('Demo/x.images', text);
    expect(value).toEqual([]);
    expect(problems.map((p) => [p.line, p.severity])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'error'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
    ]);
    expect(problems[0]?.reason).toContain('climbs above the upload root');
    expect(problems[5]?.reason).toContain('TMA map path refused');
    expect(problems[6]?.reason).toContain('names the upload root');
  });

  it('merges an image listed twice: later fields win', () => {
    const { value, problems } = parseImagesFile('Demo/x.images', 'a.svs;m1;90\n./a.svs;;;A\n');
    expect(value).toEqual([{ path: 'Demo/a.svs', tmaMap: 'Demo/m1', rotation: 90, name: 'A' }]);
    expect(problems).toEqual([
      {
        file: 'Demo/x.images',
        line: 2,
        severity: 'warning',
        reason: 'Demo/a.svs is also on line 1; the fields given here win',
      },
    ]);
  });

  it('refuses a file whose own path is outside the upload root', () => {
    const { value, problems } = parseImagesFile('../x/a.images', 'a.svs');
    expect(value).toEqual([]);
    expect(problems[0]?.line).toBe(1);
  });
});

describe('writeImagesFile', () => {
  it('leaves out trailing empty fields and keeps the name in the fourth', () => {
    expect(
      writeImagesFile([
        { path: 'a.svs' },
        { path: 'b.svs', name: 'B' },
        { path: 'c.svs', rotation: 90 },
        { path: 'd.svs', tmaMap: 'd/map.txt' },
      ]),
    ).toBe('a.svs\nb.svs;;;B\nc.svs;;90\nd.svs;d/map.txt\n');
  });

  it('round-trips any image list', () => {
    fc.assert(
      fc.property(images, (model) => {
        expect(parseImagesFile('study.Demo.images', writeImagesFile(model))).toEqual({ value: model, problems: [] });
      }),
    );
  });
});

describe('case: lines', () => {
  it('put the image lines below them in a case until the next case: line', () => {
    const { value, problems } = parseImagesList(
      'study.D.images',
      'a.svs\ncase: Patient 12\nb.svs\nc.svs;;90;C\nCASE : patient 12\nd.svs\ncase:\ne.svs\ncase: Empty\n',
    );
    expect(problems).toEqual([]);
    expect(value.cases).toEqual(['Patient 12', 'Empty']);
    expect(value.images).toEqual([
      { path: 'a.svs' },
      { path: 'b.svs', caseName: 'Patient 12' },
      { path: 'c.svs', rotation: 90, name: 'C', caseName: 'Patient 12' },
      { path: 'd.svs', caseName: 'Patient 12' },
      { path: 'e.svs' },
    ]);
    expect(parseImagesFile('study.D.images', 'case: X\na.svs\n').value).toEqual([{ path: 'a.svs', caseName: 'X' }]);
  });

  it('are written after the images in no case, and read back to the same cases', () => {
    const images = [
      { path: 'D/b.svs', caseName: 'B' },
      { path: 'D/a.svs', name: 'A' },
      { path: 'D/c.svs', caseName: 'B', rotation: 90 as const },
    ];
    const text = writeImagesFile(images, ['Empty', 'B']);
    expect(text).toBe('D/a.svs;;;A\ncase: Empty\ncase: B\nD/b.svs\nD/c.svs;;90\n');
    expect(parseImagesList('study.D.images', text).value).toEqual({
      images: [images[1], images[0], images[2]],
      cases: ['Empty', 'B'],
    });
  });
});
