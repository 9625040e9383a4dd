import type { Caller } from '../auth/caller.js';
import { ownersOfFolder, ownersOfPath, type StudyPlace } from '../domain/study-config/path-ownership.js';
import type { StudyRepository } from './study-repository.js';

/**
 * Study ownership of upload paths, applied to a token (docs/tokens.md): a token limited to some studies may
 * write only paths its studies own, and may name another study's file (in an image list, a `.config`
 * `folder:`, AddSlide, UpdateSlidePath, CreateTMAMap) only if it holds that study too. Tokens that hold all
 * studies may do both everywhere. Each method returns the reason for a refusal, or undefined.
 */
export class PathAccess {
  constructor(private readonly studies: Pick<StudyRepository, 'listStudies'>) {}

  async refuseWrite(caller: Caller, path: string): Promise<string | undefined> {
    if (caller.studyScope === 'all') return undefined;
    const owners = ownersOfPath(path, await this.places());
    if (owners.length === 0) {
      return `${path} belongs to no study this API token holds; only a token for all studies may write it`;
    }
    const foreign = owners.filter((id) => !caller.mayAccessStudy(id));
    return foreign.length > 0 ? `${path} belongs to a study this API token does not hold` : undefined;
  }

  /** Paths a request or an uploaded list file names: each must belong to no study, or to studies the token holds. */
  async refuseReferences(caller: Caller, paths: readonly string[], folders: readonly string[] = []) {
    if (caller.studyScope === 'all' || (paths.length === 0 && folders.length === 0)) return undefined;
    const places = await this.places();
    for (const path of paths) {
      if (ownersOfPath(path, places).some((id) => !caller.mayAccessStudy(id))) {
        return `${path} belongs to a study this API token does not hold`;
      }
    }
    for (const folder of folders) {
      if (ownersOfFolder(folder, places).some((id) => !caller.mayAccessStudy(id))) {
        return `folder ${folder} belongs to a study this API token does not hold`;
      }
    }
    return undefined;
  }

  private async places(): Promise<StudyPlace[]> {
    // A deleted study still owns its paths: nothing of it is lost, and UndeleteStudy brings it back.
    return (await this.studies.listStudies({ includeDeleted: true })).map((s) => ({
      id: s.id,
      name: s.name,
      folder: s.settings.folder ?? s.name,
    }));
  }
}
