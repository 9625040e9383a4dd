import { services } from '../../common/services.js';
import { isStudyName } from '../../domain/study-config/file-names.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest, forbidden } from '../../http/errors.js';
import { failure, success } from '../../http/replies.js';

/**
 * POST /Api/CreateStudy (name) → {"success":true,"studyId":N}: an empty study (config files optional; a later
 * Reimport of that name adds to it). Only a token for all studies may create one.
 */
export const handler = apiHandler('CreateStudy', async ({ params, caller }) => {
  const name = params.requiredField('name', 'name');
  if (caller.studyScope !== 'all') {
    throw forbidden('This API token is limited to some studies and cannot create one');
  }
  if (!isStudyName(name)) throw badRequest(`"${name}" is not a study name: use letters, digits, _ and -`);
  const { study, created } = await services().studies.createStudy(name, { organs: [], diseases: [], stainings: [] });
  if (!created) return failure(`A study named ${study.name} exists already (names stay taken, also when deleted)`);
  return success({ studyId: study.id });
});
