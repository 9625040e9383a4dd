import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AppConfig } from '../common/config.js';

/**
 * The HS256 key that signs every API token of one deployment: a random secret in Secrets Manager (created by
 * the stack) or, locally, a file in the data folder written on first use. Rotating it invalidates all tokens.
 */
export async function loadSigningKey(config: AppConfig): Promise<Uint8Array> {
  const source = config.signingKey;
  if ('secretArn' in source) {
    const client = new SecretsManagerClient({ region: config.region });
    try {
      const secret = await client.send(new GetSecretValueCommand({ SecretId: source.secretArn }));
      if (!secret.SecretString) throw new Error(`Secret ${source.secretArn} has no string value`);
      return new TextEncoder().encode(secret.SecretString);
    } finally {
      client.destroy();
    }
  }
  return readOrCreateKeyFile(source.file);
}

async function readOrCreateKeyFile(file: string): Promise<Uint8Array> {
  try {
    return new TextEncoder().encode((await readFile(file, 'utf8')).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  const key = randomBytes(48).toString('base64url');
  try {
    // 'wx': if another process wrote it first, keep theirs.
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return new TextEncoder().encode((await readFile(file, 'utf8')).trim());
}
