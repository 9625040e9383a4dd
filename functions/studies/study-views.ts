import type { Study, StudyCase, StudyContents, StudyImage, StudyQuestion } from './study-model.js';

/**
 * The JSON shapes of study endpoints. Keys are camelCase with acronyms in capitals (`studyID`), as ASP.NET
 * writes Slide Score's; keys that do not apply are left out, never null.
 */
export function studyView(study: Study): Record<string, unknown> {
  const { label, folder, description, published, organs, diseases, stainings } = study.settings;
  return {
    id: study.id,
    name: study.name,
    ...(label !== undefined ? { label } : {}),
    ...(folder !== undefined ? { folder } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(published !== undefined ? { published } : {}),
    organs,
    diseases,
    stainings,
    archived: study.archived === true,
    createdOn: study.createdOn,
  };
}

export function imageView(image: StudyImage, caseName?: string): Record<string, unknown> {
  return {
    id: image.id,
    name: image.name,
    fileName: image.path.slice(image.path.lastIndexOf('/') + 1),
    fileSize: image.fileSize,
    studyID: image.studyId,
    ...(image.caseId !== undefined ? { caseID: image.caseId } : {}),
    ...(caseName !== undefined ? { caseName } : {}),
    ...(image.tmaMap !== undefined ? { tmaMap: image.tmaMap } : {}),
    rotation: image.rotation,
    format: image.format,
    addedOn: image.addedOn,
  };
}

export function questionView(question: StudyQuestion): Record<string, unknown> {
  return {
    id: question.id,
    name: question.name,
    typeName: question.type,
    valuesAllowed: question.valuesAllowed,
    order: question.order,
  };
}

export function visibleImages(contents: StudyContents): StudyImage[] {
  return contents.images.filter((i) => !i.removed);
}

/** Cases not removed by RemoveCase. */
export function visibleCases(contents: StudyContents): StudyCase[] {
  return contents.cases.filter((c) => !c.removed);
}

export function visibleQuestions(contents: StudyContents): StudyQuestion[] {
  return contents.questions.filter((q) => !q.removed);
}

/** GetConfig: the whole study as an object graph. */
export function configView(contents: StudyContents): Record<string, unknown> {
  const caseNames = new Map(contents.cases.map((c) => [c.id, c.name]));
  return {
    ...studyView(contents.study),
    scores: visibleQuestions(contents).map(questionView),
    images: visibleImages(contents).map((i) => ({
      ...imageView(i, i.caseId !== undefined ? caseNames.get(i.caseId) : undefined),
      path: i.path,
    })),
    cases: visibleCases(contents).map((c) => ({
      id: c.id,
      name: c.name,
      ...(c.description !== undefined ? { description: c.description } : {}),
    })),
    users: contents.members.filter((m) => !m.removed).map((m) => ({ email: m.email, rights: m.rights })),
    tmaMaps: contents.maps.map((m) => ({ name: m.name, ...m.map })),
  };
}
