import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Imports a handler module named as in the route manifest (a path from the repository root). */
export type HandlerLoader = (modulePath: string) => Promise<unknown>;

export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function createHandlerLoader(): HandlerLoader {
  const cache = new Map<string, Promise<unknown>>();
  return (modulePath) => {
    let loaded = cache.get(modulePath);
    if (!loaded) {
      loaded = import(pathToFileURL(join(REPOSITORY_ROOT, modulePath)).href).then((module) => {
        if (typeof module.handler !== 'function') throw new Error(`${modulePath} exports no handler`);
        return module.handler;
      });
      cache.set(modulePath, loaded);
    }
    return loaded;
  };
}
