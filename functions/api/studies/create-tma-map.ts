import { services } from '../../common/services.js';
import { formatProblem, hasErrors } from '../../domain/study-config/problems.js';
import { parseTmaMapFile } from '../../domain/study-config/tma-map-file.js';
import { resolveUploadPath } from '../../domain/study-config/upload-path.js';
import { apiHandler } from '../../http/api-handler.js';
import { failure, success } from '../../http/replies.js';
import { assertMayReference, studyFor } from '../../studies/study-access.js';

/**
 * POST /Api/CreateTMAMap (studyId, tmaMapFileName: the upload path of a map file) → {"success":true,
 * "mapName":"<name>"}. The map's name is its file's upload path; give it to SetSlideTMAMap.
 */
export const handler = apiHandler('CreateTMAMap', async ({ params, caller }) => {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const resolved = resolveUploadPath('', params.requiredField('tmaMapFileName', 'fileName'));
  if (!resolved.ok) return failure(resolved.reason);
  await assertMayReference(caller, [resolved.path]);
  const { files, studies } = services();
  if (!(await files.stat(resolved.path))) return failure(`${resolved.path}: no such uploaded file`);
  const parsed = parseTmaMapFile(resolved.path, await files.readText(resolved.path));
  if (hasErrors(parsed.problems) || parsed.value.grid.length === 0) {
    return failure(parsed.problems.map(formatProblem).join('\n') || `${resolved.path}: the map has no cores`);
  }
  await studies.putMaps(study.id, [{ name: resolved.path, file: resolved.path, map: parsed.value }]);
  return success({ mapName: resolved.path });
});
