import { describe, expect, it } from 'vitest';
import { dropBundlingProgress } from '../../../infra/quiet-bundling.js';

describe('dropBundlingProgress', () => {
  it("drops CDK's bundling progress lines and keeps everything else", () => {
    const written: unknown[] = [];
    const stream = { write: (chunk: unknown) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    dropBundlingProgress(stream);
    stream.write('Bundling asset SlideScore-dev/Api/StudiesFunction/Code/Stage...\n');
    stream.write('[WARNING] something esbuild wants you to see\n');
    stream.write(Buffer.from('bytes'));
    expect(written).toEqual(['[WARNING] something esbuild wants you to see\n', Buffer.from('bytes')]);
  });
});
