import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Starts `npm start`'s command on a data folder and resolves once it prints its URL and admin token. */
export async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; adminToken: string }> {
  const script = JSON.parse(await readFile('package.json', 'utf8')).scripts.start as string;
  const [command, ...args] = script.split(' ');
  const child = spawn(`node_modules/.bin/${command}`, args, {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Listening on (http:\/\/\S+)/.exec(output)?.[1];
      const adminToken = /Admin token: (\S+)/.exec(output)?.[1];
      if (url && adminToken) resolve({ child, url, adminToken });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
