import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { QuestionType } from '../../functions/domain/questions/question-types.js';
import { createDynamoClient } from '../../functions/storage/aws-clients.js';
import { DynamoStudyRepository } from '../../functions/storage/dynamo-study-repository.js';
import type { StudyCase, StudyImage, StudyQuestion } from '../../functions/studies/study-model.js';

export interface ImageSpec {
  name: string;
  /** Name of a case of the study (from `cases`). */
  caseName?: string;
}

export interface QuestionSpec {
  name: string;
  type: QuestionType;
  valuesAllowed?: string;
}

export interface StudySpec {
  cases?: string[];
  images?: (string | ImageSpec)[];
  questions?: QuestionSpec[];
}

export interface FixtureStudy {
  id: number;
  name: string;
  images: StudyImage[];
  cases: StudyCase[];
  questions: StudyQuestion[];
  /** By name. */
  image(name: string): StudyImage;
  caseNamed(name: string): StudyCase;
}

let counter = 0;

/**
 * Studies with images, cases and questions for results tests, written straight through the study repository
 * into the test server's DynamoDB Local (much faster than uploading config files and reimporting).
 */
export function studyFixtures() {
  const config = inject('appConfig');
  const db = createDynamoClient(config);
  const studies = new DynamoStudyRepository(db, config.tables.studies);

  async function create(spec: StudySpec): Promise<FixtureStudy> {
    counter += 1;
    const name = `results-${process.pid}-${Date.now().toString(36)}-${counter}`;
    const { study } = await studies.createStudy(name, { organs: [], diseases: [], stainings: [] });
    const cases = await addCases(study.id, spec.cases ?? []);
    const caseId = (caseName: string | undefined) => cases.find((c) => c.name === caseName)?.id;
    const images = await studies.addImages(
      study.id,
      (spec.images ?? []).map((entry) => {
        const image = typeof entry === 'string' ? { name: entry } : entry;
        return {
          name: image.name,
          path: `${name}/${image.name}`,
          fileSize: 1000,
          format: 'tiff' as const,
          rotation: 0 as const,
          addedOn: new Date().toISOString(),
          ...(image.caseName ? { caseId: caseId(image.caseName) } : {}),
        };
      }),
    );
    const questions = await studies.addQuestions(
      study.id,
      (spec.questions ?? []).map((q, order) => ({ ...q, valuesAllowed: q.valuesAllowed ?? '', order })),
    );
    return {
      id: study.id,
      name,
      images,
      cases,
      questions,
      image: (imageName) =>
        found(
          images.find((i) => i.name === imageName),
          imageName,
        ),
      caseNamed: (caseName) =>
        found(
          cases.find((c) => c.name === caseName),
          caseName,
        ),
    };
  }

  /**
   * The study repository has no way to add cases yet (Reimport will); until then cases are written as
   * DynamoStudyRepository stores them (its key layout), with IDs from its counter.
   */
  async function addCases(studyId: number, names: readonly string[]): Promise<StudyCase[]> {
    const created: StudyCase[] = [];
    for (const caseName of names) {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: config.tables.studies,
          Key: { pk: 'COUNTER', sk: 'CASE' },
          UpdateExpression: 'ADD #last :one',
          ExpressionAttributeNames: { '#last': 'last' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const entry: StudyCase = { id: Attributes?.last as number, studyId, name: caseName };
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: config.tables.studies,
                Item: { pk: `STUDY#${studyId}`, sk: `CASE#${String(entry.id).padStart(10, '0')}`, ...entry },
              },
            },
            { Put: { TableName: config.tables.studies, Item: { pk: `CASE#${entry.id}`, sk: 'REF', studyId } } },
          ],
        }),
      );
      created.push(entry);
    }
    return created;
  }

  return { create, db, studies, close: () => db.destroy() };
}

function found<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`No fixture named ${name}`);
  return value;
}
