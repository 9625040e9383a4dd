import { describe, expect, it } from 'vitest';
import { createStudy, fixture, getJson, uniqueStudyName, uploadAll } from '../support/studies.js';

interface ImportLogs {
  logs: { trigger: string; success: boolean; log: string }[];
}

async function uploadLogs(studyId: number, count: number): Promise<ImportLogs['logs']> {
  let logs: ImportLogs['logs'] = [];
  for (let attempt = 0; attempt < 100; attempt += 1) {
    logs = (await getJson<ImportLogs>('/Api/GetImportLogs', { studyId })).logs.filter((l) => l.trigger === 'upload');
    if (logs.length >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return logs;
}

describe('automatic import', () => {
  it('records a failed import in GetImportLogs with its reason', async () => {
    const name = uniqueStudyName('auto-fail');
    const id = await createStudy(name, {
      [`study.${name}.scores`]: 'First\tFreeText\n',
      [`${name}/a.svs`]: fixture('openslide-small.svs'),
    });
    // A question name far over any key limit: the import cannot store it.
    await uploadAll({ [`study.${name}.scores`]: `First\tFreeText\n${'Q'.repeat(3000)}\tFreeText\n` });
    const [entry] = await uploadLogs(id, 1);
    expect(entry).toMatchObject({ trigger: 'upload', success: false });
    expect(entry?.log).toContain(`study.${name}.scores`);
  });
});
