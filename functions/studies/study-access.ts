import type { Caller } from '../auth/caller.js';
import { services } from '../common/services.js';
import { forbidden, notFound } from '../http/errors.js';
import type { Study, StudyCase, StudyContents, StudyImage } from './study-model.js';

/**
 * Every ID a request names is checked against the token's studies (docs/api.md, "Replies and refusals"):
 * - a study named directly that the token does not hold is 403, with one body whether or not it exists;
 * - an object found by its own ID (image, case…) in a study the token does not hold gets exactly the reply
 *   of an ID that does not exist, so IDs cannot be probed.
 */
export function studyRefusal(studyId: number) {
  return forbidden(`This API token has no access to study ${studyId}`);
}

export function assertStudyAccess(caller: Caller, studyId: number): void {
  if (!caller.mayAccessStudy(studyId)) throw studyRefusal(studyId);
}

export async function studyFor(caller: Caller, studyId: number): Promise<Study> {
  assertStudyAccess(caller, studyId);
  const study = await services().studies.getStudy(studyId);
  if (!study) throw notFound(`No study ${studyId}`);
  return study;
}

export async function contentsFor(caller: Caller, studyId: number): Promise<StudyContents> {
  assertStudyAccess(caller, studyId);
  const contents = await services().studies.loadContents(studyId);
  if (!contents) throw notFound(`No study ${studyId}`);
  return contents;
}

/** The image, if it exists and its study is the token's (and is `studyId`, when the request names one). */
export async function imageFor(caller: Caller, imageId: number, studyId?: number): Promise<StudyImage> {
  if (studyId !== undefined) assertStudyAccess(caller, studyId);
  const image = await services().studies.getImage(imageId);
  const visible =
    image &&
    !image.removed &&
    caller.mayAccessStudy(image.studyId) &&
    (studyId === undefined || studyId === image.studyId);
  if (!visible)
    throw notFound(studyId === undefined ? `No image ${imageId}` : `No image ${imageId} in study ${studyId}`);
  return image;
}

export async function caseFor(caller: Caller, caseId: number): Promise<StudyCase> {
  const found = await services().studies.getCase(caseId);
  if (!found || found.removed || !caller.mayAccessStudy(found.studyId)) throw notFound(`No case ${caseId}`);
  return found;
}

/** Paths a request names (AddSlide, UpdateSlidePath, CreateTMAMap) must not belong to a study the token lacks. */
export async function assertMayReference(caller: Caller, paths: readonly string[]): Promise<void> {
  const refused = await services().paths.refuseReferences(caller, paths);
  if (refused) throw forbidden(refused);
}
