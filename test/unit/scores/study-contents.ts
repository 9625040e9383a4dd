import type { StudyContents } from '../../../functions/studies/study-model.js';

/** A small study as loadContents returns it: images 1 (no case), 2 (case 10), 3 (removed); cases 10, 11. */
export function sampleContents(): StudyContents {
  const image = (id: number, name: string, extra: object = {}) => ({
    id,
    studyId: 1,
    name,
    path: name,
    fileSize: 1,
    format: 'tiff' as const,
    rotation: 0 as const,
    addedOn: '2024-01-01T00:00:00.000Z',
    ...extra,
  });
  return {
    study: {
      id: 1,
      name: 'Study',
      settings: { organs: [], diseases: [], stainings: [] },
      createdOn: '2024-01-01T00:00:00.000Z',
      updatedOn: '2024-01-01T00:00:00.000Z',
    },
    images: [image(1, 'a.svs'), image(2, 'b.svs', { caseId: 10 }), image(3, 'gone.svs', { removed: true })],
    cases: [
      { id: 10, studyId: 1, name: 'Patient 7' },
      { id: 11, studyId: 1, name: 'Patient 8' },
    ],
    questions: [
      { id: 100, studyId: 1, name: 'Ki67', type: 'Percentage', valuesAllowed: '', order: 0 },
      { id: 101, studyId: 1, name: 'Old', type: 'FreeText', valuesAllowed: '', order: 1, removed: true },
    ],
    members: [],
    maps: [],
  };
}
