import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Anno2Zip } from '../../../functions/anno2/anno2-service.js';
import { log } from '../../../functions/common/log.js';
import { anno2AnswerText } from '../../../functions/domain/annotations/anno2/anno2-answer.js';
import { annotationLayers } from '../../../functions/pixels/screenshot-annotations.js';
import type { StoredAnswer } from '../../../functions/scores/score-repository.js';
import type { StudyImage, StudyQuestion } from '../../../functions/studies/study-model.js';

/** The layers GetScreenshot draws for a user's answers, JSON and anno2 alike, clipped to the region. */
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/anno2/${name}`, import.meta.url)));
const USER = 'reader@example.org';
const image = { id: 7, studyId: 3 } as StudyImage;
const question = (id: number, type: string, colour: string) =>
  ({ id, studyId: 3, name: `q${id}`, type, valuesAllowed: colour, order: id }) as unknown as StudyQuestion;
const QUESTIONS = [
  question(1, 'AnnoPoints', '#ff00ff'),
  question(2, 'AnnoShapes', '#00ffff'),
  question(3, 'AnnoPoints', '#0000ff'),
  question(4, 'AnnoShapes', '#00ff00'),
  question(5, 'AnnoPoints', '#ff0000'),
];
const UUIDS = {
  points: '00000000-0000-4000-8000-000000000001',
  polygons: '00000000-0000-4000-8000-000000000002',
  mask: '00000000-0000-4000-8000-000000000003',
  missing: '00000000-0000-4000-8000-000000000004',
};
const answers: StoredAnswer[] = [
  { questionId: 1, answer: anno2AnswerText(UUIDS.points) },
  { questionId: 2, answer: anno2AnswerText(UUIDS.polygons) },
  { questionId: 3, answer: anno2AnswerText(UUIDS.mask) },
  { questionId: 4, answer: anno2AnswerText(UUIDS.missing) },
  { questionId: 5, answer: JSON.stringify([{ x: 5, y: 5 }]) },
].map((a, i) => ({ ...a, id: i + 1, imageId: 7, user: USER, lastModifiedOn: '' }) as StoredAnswer);
const scores = {
  async *answers() {
    yield* answers;
  },
};

afterEach(() => vi.restoreAllMocks());

describe('annotationLayers', () => {
  it('reads each anno2 zip once, masks as tiles, everything clipped to the region; a missing zip is logged', async () => {
    const reads: string[] = [];
    const anno2Zip = async (uuid: string): Promise<Anno2Zip> => {
      reads.push(uuid);
      if (uuid === UUIDS.points) return { ok: true, zip: fixture('points.zip') };
      if (uuid === UUIDS.polygons) return { ok: true, zip: fixture('polygons.zip') };
      if (uuid === UUIDS.mask) return { ok: true, zip: fixture('mask.zip') };
      return { ok: false, reason: `no zip anno2/${uuid}.zip` };
    };
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const result = await annotationLayers(scores, image, QUESTIONS, USER, undefined, {
      region: { x: 0, y: 0, width: 400, height: 400 },
      anno2Zip,
    });
    if (!result.ok) throw new Error(result.reason);
    expect(reads.sort()).toEqual(Object.values(UUIDS).sort());
    const [points, shapes, mask, json] = result.layers;
    expect(result.layers).toHaveLength(4);
    expect(points).toMatchObject({ colour: '#ff00ff', items: [{ x: 10 }, { x: 15 }, { x: 20 }] });
    // The brush at 1000…1700 lies outside the region; the polygon and the rect remain.
    expect(shapes?.colour).toBe('#00ffff');
    expect(shapes?.items.map((i) => i.type)).toEqual(['polygon', 'polygon']);
    expect(mask?.colour).toBe('#0000ff');
    expect(mask?.items).toEqual([]);
    expect(mask?.masks?.length).toBeGreaterThan(0);
    expect(json).toMatchObject({ colour: '#ff0000', items: [{ type: 'point', x: 5, y: 5 }] });
    expect(warn).toHaveBeenCalledWith('GetScreenshot: anno2 answer skipped', {
      annoUUID: UUIDS.missing,
      reason: `no zip anno2/${UUIDS.missing}.zip`,
    });
  });

  it('skips a damaged zip or a failing read with a log line, and anno2 answers without a reader', async () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const damaged = await annotationLayers(scores, image, QUESTIONS, USER, 'q1', {
      anno2Zip: async () => ({ ok: true, zip: new TextEncoder().encode('PK but not a zip') }),
    });
    expect(damaged).toEqual({ ok: true, layers: [] });
    expect(warn).toHaveBeenCalledTimes(1);
    const failing = await annotationLayers(scores, image, QUESTIONS, USER, 'q2', {
      anno2Zip: async () => {
        throw new Error('S3 is down');
      },
    });
    expect(failing).toEqual({ ok: true, layers: [] });
    expect(warn.mock.calls[1]?.[1]).toMatchObject({ reason: expect.stringContaining('S3 is down') });
    const without = await annotationLayers(scores, image, QUESTIONS, USER, undefined);
    expect(without.ok && without.layers.map((l) => l.colour)).toEqual(['#ff0000']);
  });
});
