import { describe, expect, it } from 'vitest';
import {
  eventString,
  MAX_EVENTS_PER_BEACON,
  parseEvents,
  referenceDate,
  sessionReply,
} from '../../../functions/web/review-sessions.js';
import { slideFileSource } from '../../../functions/web/slide-files.js';

describe('reviewing sessions', () => {
  it('write events as the reference does: 7 tab-separated integers', () => {
    expect(eventString({ t: 1700000000123, x: 1.6, y: 2, w: 300, h: 200, cx: -1, cy: -1 })).toBe(
      '1700000000123\t2\t2\t300\t200\t-1\t-1',
    );
  });

  it('accept beacons of 7-number arrays only, in bounded numbers', () => {
    expect(parseEvents([[1, 2, 3, 4, 5, 6, 7]])).toMatchObject({ ok: true, events: [{ t: 1, cy: 7 }] });
    expect(parseEvents({}).ok).toBe(false);
    expect(parseEvents([[1, 2, 3]]).ok).toBe(false);
    expect(parseEvents([[1, 2, 3, 4, 5, 6, '7']]).ok).toBe(false);
    expect(parseEvents([[1, 2, 3, 4, 5, 6, Number.POSITIVE_INFINITY]]).ok).toBe(false);
    expect(parseEvents(Array(MAX_EVENTS_PER_BEACON + 1).fill([1, 2, 3, 4, 5, 6, 7])).ok).toBe(false);
  });

  it('list sessions with createdOn in the reference format and length in seconds', () => {
    expect(referenceDate('2026-12-02T03:30:58.123Z')).toBe('2026-12-02T03:30:58.1230000');
    expect(
      sessionReply({
        id: 4,
        studyId: 2,
        imageId: 9,
        email: 'a@b.c',
        createdOn: '2026-12-02T03:30:58.123Z',
        lastOn: '2026-12-02T03:32:38.600Z',
        eventCount: 3,
      }),
    ).toEqual({ id: 4, imageID: 9, email: 'a@b.c', length: 100, studyID: 2, createdOn: '2026-12-02T03:30:58.1230000' });
  });
});

describe('slide file sources', () => {
  it('take upload paths, and absolute paths only inside the listed directories', () => {
    expect(slideFileSource('scans/a.svs', [])).toEqual({ ok: true, path: 'scans/a.svs', source: 'upload' });
    expect(slideFileSource('/srv/slides/x/a.svs', ['/srv/slides'])).toEqual({
      ok: true,
      path: '/srv/slides/x/a.svs',
      source: 'dir',
    });
    for (const outside of ['/srv/slides/../etc/passwd', '/srv/slides-2/a.svs', '/srv/slides', '/etc/passwd']) {
      expect(slideFileSource(outside, ['/srv/slides']).ok, outside).toBe(false);
    }
    expect(slideFileSource('/srv/slides/a.svs', [])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no SLIDE_FILE_DIRS'),
    });
    expect(slideFileSource('', []).ok).toBe(false);
  });
});
