import { services } from '../../common/services.js';
import { sanitizeDescription } from '../../domain/descriptions/description-html.js';
import { fieldProblem } from '../../domain/limits/field-limits.js';
import { apiHandler } from '../../http/api-handler.js';
import { badRequest } from '../../http/errors.js';
import { failure, success } from '../../http/replies.js';
import { contentsFor } from '../../studies/study-access.js';

/**
 * POST /Api/AddCase (studyId, name, optional description: HTML, reduced to the allowed tags) →
 * {"success":true,"caseId":N}. Case names are unique in a study ignoring case; adding the name of a removed
 * case brings that case back (same ID).
 */
export const handler = apiHandler('AddCase', async ({ params, caller }) => {
  const contents = await contentsFor(caller, params.requiredInteger('studyId'));
  const name = params.requiredField('name', 'name');
  const given = params.get('description');
  if (given !== undefined) {
    const problem = fieldProblem('freeText', given, 'description');
    if (problem) throw badRequest(problem);
  }
  const description = given === undefined || given.trim() === '' ? undefined : sanitizeDescription(given);
  const existing = contents.cases.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (existing && !existing.removed) return failure(`The study already has a case named ${existing.name}`);
  if (existing) {
    const { removed: _removed, ...kept } = existing;
    await services().studies.updateCase(description === undefined ? kept : { ...kept, description });
    return success({ caseId: existing.id });
  }
  const [added] = await services().studies.addCases(contents.study.id, [
    description === undefined ? { name } : { name, description },
  ]);
  return added ? success({ caseId: added.id }) : failure(`The study already has a case named ${name}`);
});
