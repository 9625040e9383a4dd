import { describe, expect, it } from 'vitest';
import {
  classifyRootFileName,
  configFileName,
  isImagesListFile,
  isStudyName,
} from '../../../../functions/domain/study-config/file-names.js';

describe('classifyRootFileName', () => {
  it.each([
    ['study.Demo.emails', { studyName: 'Demo', kind: 'emails' }],
    ['study.Demo.images', { studyName: 'Demo', kind: 'images' }],
    ['study.Demo.scores', { studyName: 'Demo', kind: 'scores' }],
    ['study.Demo.config', { studyName: 'Demo', kind: 'config' }],
    ['study.test-study-2024-01-01_12-00-00.emails', { studyName: 'test-study-2024-01-01_12-00-00', kind: 'emails' }],
    ['study.Demo.map', { studyName: 'Demo', kind: 'map', mapSuffix: '' }],
    ['study.Demo.map1', { studyName: 'Demo', kind: 'map', mapSuffix: '1' }],
    ['study.Demo.map-block A.txt', { studyName: 'Demo', kind: 'map', mapSuffix: '-block A.txt' }],
    ['study.Demo.map.b', { studyName: 'Demo', kind: 'map', mapSuffix: '.b' }],
    ['Study.Demo.EMAILS', { studyName: 'Demo', kind: 'emails' }],
  ])('reads %j', (fileName, expected) => {
    expect(classifyRootFileName(fileName)).toEqual(expected);
  });

  it.each([
    'study.Demo.emails.txt',
    'study.Demo.results',
    'study..emails',
    'study.a.b.emails',
    'study.a b.emails',
    'Demo/study.Demo.emails',
    'study.Demo.map\n',
    'mystudy.Demo.emails',
    'study.Demo',
    '',
  ])('refuses %j', (fileName) => {
    expect(classifyRootFileName(fileName)).toBeUndefined();
  });

  it('builds the names it reads', () => {
    expect(configFileName('Demo', 'scores')).toBe('study.Demo.scores');
    expect(configFileName('Demo', 'map', '2')).toBe('study.Demo.map2');
    expect(classifyRootFileName(configFileName('Demo', 'map', '2'))).toEqual({
      studyName: 'Demo',
      kind: 'map',
      mapSuffix: '2',
    });
  });

  it('checks study names and image list names', () => {
    expect(isStudyName('test-study_1')).toBe(true);
    expect(isStudyName('a.b')).toBe(false);
    expect(isStudyName('')).toBe(false);
    expect(isImagesListFile('extra.IMAGES')).toBe(true);
    expect(isImagesListFile('slide.svs')).toBe(false);
  });
});
