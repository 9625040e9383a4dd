import { describe, expect, it } from 'vitest';
import { ownersOfFolder, ownersOfPath } from '../../../../functions/domain/study-config/path-ownership.js';

const studies = [
  { id: 1, name: 'Alpha', folder: 'Alpha' },
  { id: 2, name: 'beta', folder: 'shared/beta' },
  { id: 3, name: 'gamma', folder: 'shared' },
];

describe('ownersOfPath', () => {
  it('gives root config files to the study they name, ignoring case', () => {
    expect(ownersOfPath('study.alpha.scores', studies)).toEqual([1]);
    expect(ownersOfPath('Study.BETA.images', studies)).toEqual([2]);
    expect(ownersOfPath('study.delta.scores', studies)).toEqual([]);
    expect(ownersOfPath('readme.txt', studies)).toEqual([]);
  });

  it('gives a file in a folder to every study whose folder holds it', () => {
    expect(ownersOfPath('Alpha/a.svs', studies)).toEqual([1]);
    expect(ownersOfPath('alpha/sub/a.svs', studies)).toEqual([1]);
    expect(ownersOfPath('shared/beta/b.svs', studies)).toEqual([2, 3]);
    expect(ownersOfPath('shared/c.svs', studies)).toEqual([3]);
    expect(ownersOfPath('Alphabet/a.svs', studies)).toEqual([]);
  });
});

describe('ownersOfFolder', () => {
  it('includes studies above and below the folder', () => {
    expect(ownersOfFolder('shared', studies)).toEqual([2, 3]);
    expect(ownersOfFolder('shared/beta/x', studies)).toEqual([2, 3]);
    expect(ownersOfFolder('elsewhere', studies)).toEqual([]);
  });
});

describe('attachment folders', () => {
  const withClaims = [...studies, { id: 4, name: 'delta', folder: '_attachments_1' }];

  it('belong to their study alone, whatever another study claims', () => {
    expect(ownersOfPath('_attachments_1/abc-x.png', withClaims)).toEqual([1]);
    expect(ownersOfPath('_ATTACHMENTS_1/abc-x.png', withClaims)).toEqual([1]);
    expect(ownersOfFolder('_attachments_1', withClaims)).toEqual([1]);
  });

  it('belong to nobody while their study does not exist', () => {
    expect(ownersOfPath('_attachments_9/abc-x.png', studies)).toEqual([]);
    expect(ownersOfPath('_attachments_01/abc-x.png', studies)).toEqual([]);
  });
});
