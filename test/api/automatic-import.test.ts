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
    // A slide that is not there fails the import (a too-long question name is only a skipped line now, see
    // docs/api.md "Input limits").
    await uploadAll({ [`study.${name}.images`]: `${name}/missing.svs\n` });
    const [entry] = await uploadLogs(id, 1);
    expect(entry).toMatchObject({ trigger: 'upload', success: false });
    expect(entry?.log).toContain('missing.svs');
  });

  it('logs a question name beyond its limit as an error naming file and line', async () => {
    const name = uniqueStudyName('auto-long');
    const id = await createStudy(name, {
      [`study.${name}.scores`]: 'First\tFreeText\n',
      [`${name}/a.svs`]: fixture('openslide-small.svs'),
    });
    await uploadAll({ [`study.${name}.scores`]: `First\tFreeText\n${'Q'.repeat(3000)}\tFreeText\n` });
    const [entry] = await uploadLogs(id, 1);
    expect(entry?.log).toContain(
      `study.${name}.scores line 2: error: question name: the name is 3000 bytes long; at most 255 are allowed`,
    );
  });
});
