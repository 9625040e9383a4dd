import { services } from '../common/services.js';
import type { StoredAnswer } from '../scores/score-repository.js';

/** Images (by ID) the user has answered any question about, whole slide or core. */
export async function answeredImages(studyId: number, email: string): Promise<Set<number>> {
  const answered = new Set<number>();
  for await (const answer of services().scores.answers(studyId, { user: email })) {
    if (answer.imageId !== undefined && answer.answer !== '' && answer.answer !== '[]') answered.add(answer.imageId);
  }
  return answered;
}

/** The user's answers about one image: the whole slide, or one TMA core. */
export async function imageAnswers(
  studyId: number,
  email: string,
  imageId: number,
  core?: { row: number; col: number },
): Promise<StoredAnswer[]> {
  const found: StoredAnswer[] = [];
  for await (const answer of services().scores.answers(studyId, { user: email, targets: [{ imageId }] })) {
    const sameCore = core ? answer.tmaRow === core.row && answer.tmaCol === core.col : answer.tmaRow === undefined;
    if (sameCore) found.push(answer);
  }
  return found;
}
