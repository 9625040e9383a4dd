/**
 * CDK writes `Bundling asset <path>...` to stderr for every function it bundles, whatever the CLI's `--quiet`
 * (about 50 lines per synth here). The bundles' own esbuild output is turned down in ServerFunctions; this drops
 * CDK's progress lines, so `cdk synth --quiet` prints nothing unless something is wrong.
 */
export function dropBundlingProgress(stream: NodeJS.WriteStream = process.stderr): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && BUNDLING_PROGRESS.test(chunk)) return true;
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

const BUNDLING_PROGRESS = /^Bundling asset \S+\.\.\.\n?$/;
