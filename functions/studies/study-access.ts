import type { Caller } from '../auth/caller.js';
import { services } from '../common/services.js';
import { forbidden, notFound } from '../http/errors.js';
import type { Study, StudyCase, StudyContents, StudyImage } from './study-model.js';

/**
 * Every ID a request names is checked against the token's studies. A study outside the token's scope is 403
 * whether or not it exists; an unknown ID within scope is 404.
 */
export async function studyFor(caller: Caller, studyId: number): Promise<Study> {
  if (!caller.mayAccessStudy(studyId)) throw forbidden(`This API token has no access to study ${studyId}`);
  const study = await services().studies.getStudy(studyId);
  if (!study) throw notFound(`No study ${studyId}`);
  return study;
}

export async function contentsFor(caller: Caller, studyId: number): Promise<StudyContents> {
  if (!caller.mayAccessStudy(studyId)) throw forbidden(`This API token has no access to study ${studyId}`);
  const contents = await services().studies.loadContents(studyId);
  if (!contents) throw notFound(`No study ${studyId}`);
  return contents;
}

/** The image, if it exists and its study is the token's (and is `studyId`, when the request names one). */
export async function imageFor(caller: Caller, imageId: number, studyId?: number): Promise<StudyImage> {
  const image = await services().studies.getImage(imageId);
  if (!image || image.removed) throw notFound(`No image ${imageId}`);
  if (!caller.mayAccessStudy(image.studyId)) throw forbidden(`This API token has no access to image ${imageId}`);
  if (studyId !== undefined && studyId !== image.studyId) throw notFound(`No image ${imageId} in study ${studyId}`);
  return image;
}

export async function caseFor(caller: Caller, caseId: number): Promise<StudyCase> {
  const found = await services().studies.getCase(caseId);
  if (!found) throw notFound(`No case ${caseId}`);
  if (!caller.mayAccessStudy(found.studyId)) throw forbidden(`This API token has no access to case ${caseId}`);
  return found;
}
