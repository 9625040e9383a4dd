import { services } from '../../common/services.js';
import type { ApiRequest } from '../../http/api-handler.js';
import { type ApiReply, success } from '../../http/replies.js';
import { studyFor } from '../../studies/study-access.js';
import { currentConfigFingerprint } from '../../studies/study-admin.js';

/**
 * Publish/Unpublish: sets `published` and remembers which `.config` file it overrode, so Reimport keeps the
 * API's value until that file changes (docs/studies.md, "Administration").
 */
export async function setPublished({ params, caller }: ApiRequest, published: boolean): Promise<ApiReply> {
  const study = await studyFor(caller, params.requiredInteger('studyId'));
  const { files, studies } = services();
  const at = new Date().toISOString();
  await studies.updateStudy({
    ...study,
    settings: { ...study.settings, published },
    publishedOverride: { configFingerprint: await currentConfigFingerprint(files, study.name), at },
    updatedOn: at,
  });
  return success();
}
