import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDynamoClient } from '../../functions/storage/aws-clients.js';
import { DynamoStudyRepository } from '../../functions/storage/dynamo-study-repository.js';
import type { NewImage } from '../../functions/studies/study-repository.js';

const config = inject('appConfig');
const client = createDynamoClient(config);
const repository = new DynamoStudyRepository(client, config.tables.studies);
afterAll(() => client.destroy());

let counter = 0;
const name = () => `repo-${process.pid}-${Date.now()}-${++counter}`;
const settings = { organs: [], diseases: [], stainings: [] };
const image = (path: string): NewImage => ({
  name: path,
  path,
  fileSize: 10,
  format: 'tiff',
  rotation: 0,
  addedOn: '2026-01-01T00:00:00.000Z',
});

describe('DynamoStudyRepository (DynamoDB Local)', () => {
  it('creates a study once per name, ignoring case, even when asked at the same moment', async () => {
    const studyName = name();
    const results = await Promise.all([
      repository.createStudy(studyName, settings),
      repository.createStudy(studyName.toUpperCase(), settings),
      repository.createStudy(studyName, settings),
    ]);
    expect(new Set(results.map((r) => r.study.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await repository.findStudy(studyName.toUpperCase()))?.id).toBe(results[0]?.study.id);
  });

  it('adds each image path once, whoever writes first, and finds images by ID alone', async () => {
    const { study } = await repository.createStudy(name(), settings);
    const paths = Array.from({ length: 120 }, (_, i) => `f/${i}.tiff`);
    const [a, b] = await Promise.all([
      repository.addImages(study.id, paths.map(image)),
      repository.addImages(study.id, paths.slice(60).map(image)),
    ]);
    expect((a?.length ?? 0) + (b?.length ?? 0)).toBe(120);
    const contents = await repository.loadContents(study.id);
    expect(contents?.images.map((i) => i.path).sort()).toEqual([...paths].sort());
    const first = contents?.images[0];
    expect(await repository.getImage(first?.id as number)).toEqual(first);
    expect(await repository.addImages(study.id, [image('f/0.tiff')])).toEqual([]);
  });

  it('moves an image to a free path only, releasing the old one', async () => {
    const { study } = await repository.createStudy(name(), settings);
    const [one, two] = await repository.addImages(study.id, [image('a.tiff'), image('b.tiff')]);
    expect(await repository.updateImage({ ...(one as NonNullable<typeof one>), path: 'b.tiff' }, 'a.tiff')).toBe(false);
    expect(await repository.updateImage({ ...(one as NonNullable<typeof one>), path: 'c.tiff' }, 'a.tiff')).toBe(true);
    expect(await repository.addImages(study.id, [image('a.tiff')])).toHaveLength(1);
    expect((await repository.getImage(two?.id as number))?.path).toBe('b.tiff');
    expect((await repository.findImageByPath(study.id, 'c.tiff'))?.id).toBe(one?.id);
    expect(await repository.findImageByPath(study.id, 'nowhere.tiff')).toBeUndefined();
  });

  it('keeps question names unique ignoring case, also on rename', async () => {
    const { study } = await repository.createStudy(name(), settings);
    const added = await repository.addQuestions(study.id, [
      { name: 'Grade', type: 'FreeText', valuesAllowed: '', order: 0 },
      { name: 'Stage', type: 'FreeText', valuesAllowed: '', order: 1 },
    ]);
    expect(
      await repository.addQuestions(study.id, [{ name: 'GRADE', type: 'Integer', valuesAllowed: '', order: 2 }]),
    ).toEqual([]);
    const stage = added[1] as NonNullable<(typeof added)[1]>;
    expect(await repository.updateQuestion({ ...stage, name: 'grade' }, 'Stage')).toBe(false);
    expect(await repository.updateQuestion({ ...stage, name: 'Stadium' }, 'Stage')).toBe(true);
    expect((await repository.loadContents(study.id))?.questions.map((q) => q.name)).toEqual(['Grade', 'Stadium']);
  });

  it('keeps import logs newest first', async () => {
    const { study } = await repository.createStudy(name(), settings);
    for (const at of ['2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-02T00:00:00.000Z']) {
      await repository.appendImportLog({ studyId: study.id, at, trigger: 'api', success: true, log: at });
    }
    expect((await repository.listImportLogs(study.id, 2)).map((l) => l.log)).toEqual([
      '2026-01-03T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
    ]);
  });
});
