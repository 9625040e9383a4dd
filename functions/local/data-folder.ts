import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Holds the process id of the `npm start` serving the folder; removed when it stops. */
export const LOCK_FILE = 'npm-start.lock';
/** The folders the runtime writes into, checked before Java starts so a bad one fails at once. */
const SUBFOLDERS = ['dynamodb', 's3', 'tus'];
/** DynamoDB Local's database with -sharedDb: a copy left by another user (sudo) would fail deep inside Java. */
const DYNAMODB_FILE = 'shared-local-instance.db';

/**
 * Claims a data folder for this process: creates it, checks that it and its subfolders can be written, and
 * writes the lock file. A second `npm start` on the folder is refused while the first one's process lives;
 * the lock of a process that died (kill -9, a crash) is taken over. Returns the function that releases it.
 */
export async function claimDataFolder(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw unwritable(dataDir, error);
  });
  const lockFile = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(lockFile, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`).finally(() => handle.close());
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw unwritable(dataDir, error as NodeJS.ErrnoException);
      const holder = await lockHolder(lockFile);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `Data folder ${dataDir} is in use by another npm start (process ${holder}). Stop that one first, or ` +
            'set DATA_DIR to another folder.',
        );
      }
      if (attempt > 0) throw new Error(`Could not lock data folder ${dataDir}: ${lockFile} keeps coming back`);
      await unlink(lockFile).catch(() => {}); // left by a process that is gone
    }
  }
  const release = async () => {
    if ((await lockHolder(lockFile)) === process.pid) await rm(lockFile, { force: true });
  };
  try {
    for (const name of SUBFOLDERS) await checkWritable(join(dataDir, name));
    await checkFileWritable(join(dataDir, 'dynamodb', DYNAMODB_FILE));
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}

async function lockHolder(lockFile: string): Promise<number | undefined> {
  const text = await readFile(lockFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
  return !isZombie(pid);
}

/** A killed process not yet reaped by its parent still answers signal 0 but holds nothing (Linux only). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Creates the folder if needed and a file in it: what DynamoDB Local and s3rver will do. */
async function checkWritable(folder: string): Promise<void> {
  const probe = join(folder, `.write-check-${process.pid}`);
  try {
    await mkdir(folder, { recursive: true });
    await (await open(probe, 'w')).close();
    await unlink(probe);
  } catch (error) {
    throw unwritable(folder, error as NodeJS.ErrnoException);
  }
}

async function checkFileWritable(file: string): Promise<void> {
  try {
    await (await open(file, 'r+')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw unwritable(file, error as NodeJS.ErrnoException);
  }
}

function unwritable(folder: string, error: NodeJS.ErrnoException): Error {
  return new Error(
    `Data folder ${folder} cannot be written (${error.code ?? error.message}). Fix its permissions, or set ` +
      'DATA_DIR to a folder you can write.',
  );
}
