import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../support/http-client.js';
import { testStores } from '../support/stores.js';
import { studyFixtures } from '../support/study-fixtures.js';

const fixtures = studyFixtures();
const stores = testStores();
afterAll(() => {
  fixtures.close();
  stores.close();
});

const POLYGONS = 1000;
const VERTICES = 1000;

/** 10⁶ coordinates as ASAP writes them: about 50 MB of XML. */
function largeFile(): string {
  const parts = ['<?xml version="1.0"?>\n<ASAP_Annotations>\n\t<Annotations>\n'];
  for (let a = 0; a < POLYGONS; a++) {
    let chunk = `\t\t<Annotation Name="Annotation ${a}" Type="Polygon" PartOfGroup="tumour" Color="#e6194b">\n\t\t\t<Coordinates>\n`;
    for (let i = 0; i < VERTICES; i++) {
      chunk += `\t\t\t\t<Coordinate Order="${i}" X="${(40000 + a * 13.25 + i).toFixed(2)}" Y="${(37000 + i * 0.5).toFixed(2)}" />\n`;
    }
    parts.push(`${chunk}\t\t\t</Coordinates>\n\t\t</Annotation>\n`);
  }
  parts.push('\t</Annotations>\n</ASAP_Annotations>\n');
  return parts.join('');
}

describe('UploadASAPAnnotations with a large file', () => {
  it('imports 10⁶ coordinates (a 50 MB file, form-encoded) into one answer kept in S3', async () => {
    const study = await fixtures.create({
      images: ['a.svs'],
      questions: [{ name: 'Tumour', type: 'AnnoShapes', valuesAllowed: '#e6194b' }],
    });
    const xml = largeFile();
    expect(xml.length).toBeGreaterThan(45_000_000);
    const started = Date.now();
    const reply = await call('POST', '/Api/UploadASAPAnnotations', {
      form: {
        imageid: study.image('a.svs').id,
        user: 'large@example.org',
        questionsMap: '#e6194b;Tumour',
        asapAnnotation: xml,
      },
    });
    const seconds = (Date.now() - started) / 1000;
    expect(reply.text).toBe('{"success":true}');
    console.log(`10⁶-coordinate ASAP import over HTTP: ${seconds.toFixed(1)} s`);
    const listed = await stores.s3.send(
      new ListObjectsV2Command({ Bucket: stores.config.bucket, Prefix: `answers/${study.id}/` }),
    );
    expect(listed.Contents).toHaveLength(1);
    const object = await stores.s3.send(
      new GetObjectCommand({ Bucket: stores.config.bucket, Key: listed.Contents?.[0]?.Key }),
    );
    const answer = JSON.parse((await object.Body?.transformToString()) ?? '') as { points: unknown[] }[];
    expect(answer).toHaveLength(POLYGONS);
    expect(answer.reduce((n, item) => n + item.points.length, 0)).toBe(POLYGONS * VERTICES);
    expect(answer[1]?.points[2]).toEqual({ x: 40015.25, y: 37001 });
  }, 60_000);
});
