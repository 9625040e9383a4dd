import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { call, type Reply } from './http-client.js';
import { metadata, tus } from './tus-client.js';

/**
 * A replay of Slide Score's QuPath extension (SlideScore/qupath-extension-slidescore, v0.5): the same URLs,
 * made by the same string replacement on the project's `…/SlideScoreMetadata.json` URL, in the same order,
 * with the same parsing (Java's `split(";")`, Gson's int fields, the TMA reordering and rotation). Only the
 * GUI is left out. Requests carry no Authorization header: the path token is the credential.
 */

export interface QupathImage {
  width: number;
  height: number;
  name: string;
  tileWidth: number;
  tileHeight: number;
  levels: { width: number; height: number }[];
  mppX: number;
  mppY: number;
  magnification: number;
  backgroundColor: number | null;
}

export interface QupathCore {
  x: number;
  y: number;
  diameter: number;
  missing: boolean;
  name: string;
  rotate?: string;
}

export interface QupathTmaGrid {
  width: number;
  height: number;
  cores: QupathCore[];
  core(row: number, col: number): QupathCore;
}

export interface QupathAnswer {
  question: string;
  email: string;
  value: string;
  color?: number;
}

export type Point = { x: number; y: number };
/** A QuPath ROI the extension can serialize: a polygon (PolygonROI) is all these tests need. */
export type PolygonRoi = { kind: 'polygon'; points: Point[] };

/** Java's String.split: trailing empty strings are dropped. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 1 && parts.at(-1) === '') parts.pop();
  return parts;
}

/** BufferedReader.readLine over the body: lines split on \n, \r or \r\n, the last one without a terminator. */
function readLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Java's (int) cast of a double. */
const int = (value: number) => Math.trunc(value);

export class QupathSlide {
  image!: QupathImage;

  constructor(readonly uri: string) {}

  private get(url: string): Promise<Reply> {
    return call('GET', url, { token: null, headers: { accept: '*/*' } });
  }

  private url(name: string): string {
    return this.uri.replace('SlideScoreMetadata', name);
  }

  /** SlideScoreImageServer's constructor. Throws what QuPath would show (503: "the link has expired"). */
  async open(): Promise<QupathImage> {
    const reply = await this.get(this.uri);
    if (reply.status === 503) throw new Error('503: the link has expired');
    if (reply.status !== 200) throw new Error(`Server returned HTTP response code: ${reply.status}`);
    // The extension appends readLine()s without separators before parsing.
    const json = JSON.parse(readLines(reply.text).join('')) as Record<string, unknown>;
    let backgroundColor: number | null = null;
    try {
      let bg = json.BackgroundColor as string;
      if (!bg.startsWith('#')) bg = `#${bg}`;
      backgroundColor = Number.parseInt(bg.slice(1), 16);
    } catch {
      backgroundColor = null;
    }
    const asInt = (key: string) => {
      const value = json[key];
      if (typeof value !== 'number') throw new Error(`${key} is not a number`);
      return int(value);
    };
    const asDouble = (key: string) => {
      const value = json[key];
      if (typeof value !== 'number') throw new Error(`${key} is not a number`);
      return value;
    };
    const levelCount = asInt('LevelCount');
    const xs = json.LevelWidths as number[];
    const ys = json.LevelHeights as number[];
    const levels = Array.from({ length: levelCount }, (_, i) => ({
      width: int(xs[i] as number),
      height: int(ys[i] as number),
    }));
    this.image = {
      width: asInt('Level0Width'),
      height: asInt('Level0Height'),
      name: json.FileName as string,
      tileWidth: asInt('Level0TileWidth'),
      tileHeight: asInt('Level0TileHeight'),
      levels,
      mppX: asDouble('MppX'),
      mppY: asDouble('MppY'),
      magnification: asDouble('ObjectivePower'),
      backgroundColor,
    };
    return this.image;
  }

  /** readTile: the raw URL; returns the decoded JPEG as the server sent it, before QuPath stretches it. */
  async readTile(level: number, x: number, y: number, width: number, height: number) {
    const path = `${this.uri.replace('SlideScoreMetadata.json', '')}raw/${level}/${x}_${y}/${width}_${height}.jpeg`;
    const reply = await this.get(path);
    if (reply.status !== 200) throw new Error(`raw tile answered ${reply.status}: ${reply.text}`);
    const { data, info } = await sharp(reply.body).raw().toBuffer({ resolveWithObject: true });
    return {
      data,
      width: info.width,
      height: info.height,
      channels: info.channels,
      contentType: reply.headers['content-type'],
    };
  }

  async getTmaPositions(): Promise<{
    coreRadiusUM: number;
    rotate: number;
    cores: { row: number; col: number; name: string; x: number; y: number }[];
  }> {
    const reply = await this.get(this.url('TMAPositions'));
    if (reply.status !== 200) throw new Error(`TMAPositions answered ${reply.status}`);
    const json = JSON.parse(readLines(reply.text).join(''));
    // Gson into `int x, y` and `long rotate`: fractional values would be refused; these are whole numbers.
    for (const core of json.cores)
      for (const key of ['row', 'col', 'x', 'y'])
        if (!Number.isInteger(core[key])) throw new Error(`${key} is not an int`);
    return json;
  }

  /** SlideScoreImportTMAsCommand.run, returning the TMA grid QuPath would set. */
  async importTmas(): Promise<QupathTmaGrid | undefined> {
    const poss = await this.getTmaPositions();
    if (poss.cores.length === 0) return undefined;
    const { width, height } = this.image;
    let maxRow = (poss.cores[poss.cores.length - 1] as { row: number }).row + 1;
    let maxCol = 0;
    for (const core of poss.cores) if (core.col > maxCol) maxCol = core.col;
    maxCol++;
    if (poss.rotate !== 0) {
      const cores = poss.cores;
      const newCores = new Array(cores.length);
      for (let i = 0; i < maxRow; i++) {
        for (let j = 0; j < maxCol; j++) {
          switch (poss.rotate) {
            case 90:
              newCores[j * maxRow + i] = cores[i * maxCol + (maxCol - j - 1)];
              break;
            case 180:
              newCores[j * maxRow + i] = cores[cores.length - (j * maxRow + i) - 1];
              break;
            case 270:
              newCores[j * maxRow + i] = cores[(maxRow - i - 1) * maxCol + j];
              break;
          }
        }
      }
      poss.cores = newCores;
      if (poss.rotate === 90 || poss.rotate === 270) [maxCol, maxRow] = [maxRow, maxCol];
    }
    let coreDiameterPX: number;
    if (poss.coreRadiusUM <= 0) coreDiameterPX = 2 * int(0.02 * Math.max(width, height));
    else coreDiameterPX = int(poss.coreRadiusUM / ((this.image.mppX + this.image.mppY) / 2));
    const cores: QupathCore[] = poss.cores.map((c) => {
      const maxpx = Math.max(width, height);
      const x = int(c.x / ((1000.0 * width) / maxpx));
      const y = int(c.y / ((1000.0 * width) / maxpx));
      const core: QupathCore = { x, y, diameter: coreDiameterPX, missing: x <= 0, name: c.name };
      if (poss.rotate !== 0) core.rotate = String(poss.rotate);
      return core;
    });
    const gridWidth = maxCol;
    return {
      width: gridWidth,
      height: cores.length / gridWidth,
      cores,
      core: (row, col) => cores[row * gridWidth + col] as QupathCore,
    };
  }

  async getQuestions(): Promise<string[]> {
    const reply = await this.get(this.url('Questions'));
    if (reply.status !== 200) throw new Error(`Questions answered ${reply.status}`);
    return readLines(reply.text);
  }

  async getAnnotationQuestions(): Promise<string[]> {
    return (await this.getQuestions())
      .map((q) => javaSplit(q, ';'))
      .filter((t) => (t[1] ?? '').startsWith('Anno'))
      .map((t) => t[0] as string);
  }

  async getAnnotationShapeQuestions(): Promise<string[]> {
    return (await this.getQuestions())
      .map((q) => javaSplit(q, ';'))
      .filter((t) => t[1] === 'AnnoShapes')
      .map((t) => t[0] as string);
  }

  async getAnswers(question?: string, email?: string): Promise<QupathAnswer[]> {
    const reply = await this.get(this.url('Answers'));
    if (reply.status !== 200) throw new Error(`Answers answered ${reply.status}`);
    const answers: QupathAnswer[] = [];
    for (const line of readLines(reply.text)) {
      const terms = javaSplit(line, ';');
      const answer: QupathAnswer = {
        question: terms[0] as string,
        email: terms[1] as string,
        value: terms.length > 2 ? (terms[2] as string) : '',
      };
      if (question !== undefined && answer.question.toLowerCase() !== question.toLowerCase()) continue;
      if (email !== undefined && answer.email.toLowerCase() !== email.toLowerCase()) continue;
      const color = terms.length > 3 ? (terms[3] as string) : '';
      if (color.startsWith('#')) answer.color = Number.parseInt(color.replace('#', ''), 16);
      answers.push(answer);
    }
    return answers;
  }

  /** SlideScoreImportAnswersCommand: the annotations of answers that are JSON arrays of objects. */
  async importAnswers(
    question: string,
    email: string,
  ): Promise<{ answer: QupathAnswer; annotations: Record<string, unknown>[] }[]> {
    const answers = await this.getAnswers(question, email);
    return answers
      .filter((a) => a.value.startsWith('[{') && a.value.endsWith('}]'))
      .map((answer) => ({ answer, annotations: JSON.parse(answer.value) as Record<string, unknown>[] }));
  }

  /** makeRequest(name, args): a POST form body exactly as the extension builds it (URLEncoder, a trailing &). */
  private makeRequest(name: string, args: Record<string, string>): Promise<Reply> {
    const body = Object.entries(args)
      .map(([key, value]) => `${key}=${javaUrlEncode(value)}&`)
      .join('');
    return call('POST', this.url(name), {
      token: null,
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async postAnnotation(question: string, answer: string): Promise<Reply> {
    return this.makeRequest('AnnoAnswer', { question, answer });
  }

  /**
   * postLargeAnnotation: the answer gzipped, CreateAnno2, tus to `{root}/files` in 5 MB chunks with metadata
   * filename, uploadtoken and apitoken, then FinishAnno2Upload. Throws as the extension does: `success` must be
   * JSON true (Java compares `getAsString()` with `!=`, which only the interned "true" of a boolean passes), and
   * a failure's reason is read from `error`.
   */
  async postLargeAnnotation(question: string, answer: string): Promise<Reply> {
    const gz = gzipSync(Buffer.from(answer, 'utf8'));
    const created = await this.makeRequest('CreateAnno2', { question });
    const json = created.json<{ success: unknown; error?: string; uploadToken: string; apiToken: string }>();
    if (json.success !== true) throw new Error(`Creating anno2 record failed: ${json.error}`);
    const appRoot = this.uri.slice(0, this.uri.indexOf('/i/'));
    const creation = await tus('POST', `${appRoot}/files`, {
      'upload-length': String(gz.length),
      'upload-metadata': metadata({
        filename: 'qupath_anno_1.json.gz',
        uploadtoken: json.uploadToken,
        apitoken: json.apiToken,
      }),
    });
    if (creation.status !== 201) throw new Error(`tus creation failed: ${creation.status} ${creation.text}`);
    const location = new URL(String(creation.headers.location), appRoot);
    for (let offset = 0; offset < gz.length; offset += 5 * 1024 * 1024) {
      const chunk = gz.subarray(offset, offset + 5 * 1024 * 1024);
      const patched = await tus(
        'PATCH',
        location.pathname,
        { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        chunk,
      );
      if (patched.status !== 204) throw new Error(`PATCH failed: ${patched.status} ${patched.text}`);
    }
    const uploadId = location.pathname.replace('/files/', '');
    const finished = await this.makeRequest('FinishAnno2Upload', {
      uploadToken: json.uploadToken,
      uploadId,
      apiToken: json.apiToken,
    });
    const done = finished.json<{ success: unknown; error?: string }>();
    if (done.success !== true) throw new Error(`Completing anno2 record failed: ${done.error}`);
    return finished;
  }

  /** SlideScoreUploadAnnotationsCommand.submitAnnotations: whole slide, or per core when a TMA grid is set. */
  async submitAnnotations(rois: PolygonRoi[], question: string, grid?: QupathTmaGrid): Promise<Reply> {
    let json: string;
    if (grid) {
      json = 'TMAs:';
      for (let r = 0; r < grid.height; r++) {
        for (let c = 0; c < grid.width; c++) {
          const tma = grid.core(r, c);
          const inside = rois.filter((roi) =>
            roi.points.every((p) => Math.hypot(p.x - tma.x, p.y - tma.y) <= tma.diameter / 2),
          );
          const tmaAnnosJson = annotationsToJson(inside);
          if (tmaAnnosJson === '[]') continue;
          json += getTmaCoords(tma, grid, r, c) + tmaAnnosJson;
        }
      }
    } else {
      json = annotationsToJson(rois);
    }
    if (!grid && json.length > 100000) return this.postLargeAnnotation(question, json);
    return this.postAnnotation(question, json);
  }
}

function serializePoint(x: number, y: number): string {
  return `{"x":${int(x)}, "y":${int(y)}}`;
}

function annotationsToJson(rois: PolygonRoi[]): string {
  const items = rois.map(
    (roi) => `{ "type": "polygon", "points": [${roi.points.map((p) => serializePoint(p.x, p.y)).join(',')}]}`,
  );
  return `[${items.join(',')}]`;
}

function getTmaCoords(tma: QupathCore, grid: QupathTmaGrid, r: number, c: number): string {
  if (tma.rotate !== undefined) {
    switch (Number.parseInt(tma.rotate, 10)) {
      case 90:
        return `\n${c},${grid.height - r - 1}\n`;
      case 180:
        return `\n${grid.height - r - 1},${grid.width - c - 1}\n`;
      case 270:
        return `\n${grid.width - c - 1},${r}\n`;
    }
    return '';
  }
  return `\n${r},${c}\n`;
}

/** java.net.URLEncoder.encode(s, "UTF-8"): spaces as +, and only A-Z a-z 0-9 . - * _ left alone. */
function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
