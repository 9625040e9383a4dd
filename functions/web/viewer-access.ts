import { services } from '../common/services.js';
import type { Right } from '../domain/study-config/model.js';
import { notFound } from '../http/errors.js';
import type { StudyContents, StudyImage } from '../studies/study-model.js';
import type { ViewerSession } from './viewer-sessions.js';

/**
 * What a signed-in person may see and do, from the study's `.emails` (reference §4.1): a study is visible when
 * it lists the email (ignoring case), the session's maker could reach it, and it is published (a study without
 * a `published:` setting is) or the person may edit it. `canscore` and `canedit` may answer; `viewonly` and
 * `cangetresults` alone only look.
 */
export interface StudyForUser {
  contents: StudyContents;
  rights: Right[];
  mayAnswer: boolean;
}

export function accessOf(session: ViewerSession, contents: StudyContents): StudyForUser | undefined {
  if (session.studies !== 'all' && !session.studies.includes(contents.study.id)) return undefined;
  const email = session.email.toLowerCase();
  const member = contents.members.find((m) => !m.removed && m.email.toLowerCase() === email);
  if (!member) return undefined;
  const mayEdit = member.rights.includes('canedit');
  if (contents.study.settings.published === false && !mayEdit) return undefined;
  return { contents, rights: member.rights, mayAnswer: mayEdit || member.rights.includes('canscore') };
}

/** Every study the person sees, by name. */
export async function studiesForUser(session: ViewerSession): Promise<StudyForUser[]> {
  const studies = await services().studies.listStudies();
  const candidates = studies.filter((s) => session.studies === 'all' || session.studies.includes(s.id));
  const loaded = await Promise.all(candidates.map((s) => services().studies.loadContents(s.id)));
  return loaded
    .flatMap((contents) => (contents ? [accessOf(session, contents)] : []))
    .filter((s): s is StudyForUser => s !== undefined)
    .sort((a, b) => displayName(a.contents).localeCompare(displayName(b.contents)));
}

/** One study the person sees; an unknown study and one they may not see read the same. */
export async function studyForUser(session: ViewerSession, studyId: number): Promise<StudyForUser> {
  const contents = await services().studies.loadContents(studyId);
  const access = contents ? accessOf(session, contents) : undefined;
  if (!access) throw notFound(`No study ${studyId}`);
  return access;
}

export function imageOf(access: StudyForUser, imageId: number): StudyImage {
  const image = access.contents.images.find((i) => i.id === imageId && !i.removed);
  if (!image) throw notFound(`No image ${imageId} in study ${access.contents.study.id}`);
  return image;
}

export function displayName(contents: StudyContents): string {
  return contents.study.settings.label?.trim() || contents.study.name;
}
