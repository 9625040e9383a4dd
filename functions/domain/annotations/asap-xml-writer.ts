/**
 * Writes answers as an ASAP annotation file (reference §7.1), in string chunks of about 64 KB so a large
 * answer streams out. One `<Annotation>` per point or shape, `PartOfGroup` = the question, `Color` = its
 * colour, and one `<Group>` per question. What ASAP has no type for is converted or left out:
 * points → Dot; polygon → Polygon; rect → Rectangle (4 corners, clockwise from the top-left); ellipse →
 * Polygon of 64 vertices; brush → one Polygon per positive polygon (holes are left out); polyline, line and
 * heatmap → left out. Polygons, rects and points read back exactly (readAsapXml + mapAsapToAnswers).
 */
import { type AnnotationItem, ellipseToPolygon, type Point, rectToPolygon } from './annotation-model.js';

export interface AsapExportAnswer {
  /** The question's name: the group of its annotations. */
  question: string;
  /** The question's colour, #rrggbb. */
  color: string;
  items: readonly AnnotationItem[];
}

const CHUNK = 64 * 1024;

/** Whether an item appears in an ASAP export (polylines, measurement lines and heatmaps do not). */
export function isAsapExportable(item: AnnotationItem): boolean {
  return item.type !== 'polyline' && item.type !== 'line' && item.type !== 'heatmap';
}

/** The ASAP XML of the answers, as chunks; the first character is `<`. */
export function* writeAsapXml(answers: readonly AsapExportAnswer[]): Generator<string> {
  let buffer = '<?xml version="1.0" encoding="UTF-8"?>\n<ASAP_Annotations>\n\t<Annotations>\n';
  let n = 0;
  for (const answer of answers) {
    const group = attribute(answer.question);
    const color = attribute(answer.color);
    for (const item of answer.items) {
      for (const [type, points] of asapShapes(item)) {
        buffer += `\t\t<Annotation Name="Annotation ${n++}" Type="${type}" PartOfGroup="${group}" Color="${color}">\n\t\t\t<Coordinates>\n`;
        for (let i = 0; i < points.length; i++) {
          const p = points[i] as Point;
          buffer += `\t\t\t\t<Coordinate Order="${i}" X="${p.x}" Y="${p.y}" />\n`;
          if (buffer.length >= CHUNK) {
            yield buffer;
            buffer = '';
          }
        }
        buffer += '\t\t\t</Coordinates>\n\t\t</Annotation>\n';
      }
    }
  }
  buffer += '\t</Annotations>\n\t<AnnotationGroups>\n';
  const seen = new Set<string>();
  for (const answer of answers) {
    if (seen.has(answer.question)) continue;
    seen.add(answer.question);
    buffer += `\t\t<Group Name="${attribute(answer.question)}" PartOfGroup="None" Color="${attribute(answer.color)}">\n\t\t\t<Attributes />\n\t\t</Group>\n`;
  }
  yield `${buffer}\t</AnnotationGroups>\n</ASAP_Annotations>\n`;
}

function asapShapes(item: AnnotationItem): [string, readonly Point[]][] {
  switch (item.type) {
    case 'point':
      return [['Dot', [item]]];
    case 'polygon':
      return [['Polygon', item.points]];
    case 'rect':
      return [['Rectangle', rectToPolygon(item)]];
    case 'ellipse':
      return [['Polygon', ellipseToPolygon(item, 64)]];
    case 'brush':
      return item.positivePolygons.map((polygon) => ['Polygon', polygon]);
    default:
      return [];
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Text as an XML attribute value. Tabs and line breaks become character references so attribute
 * normalization keeps them; what XML 1.0 cannot hold at all (other control characters, lone surrogates,
 * U+FFFE/U+FFFF) becomes U+FFFD.
 */
export function attribute(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i] as string;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + (text[++i] as string);
        continue;
      }
      out += '\ufffd';
    } else if (
      (c >= 0xdc00 && c <= 0xdfff) ||
      c === 0xfffe ||
      c === 0xffff ||
      (c < 0x20 && ESCAPES[ch] === undefined)
    ) {
      out += '\ufffd';
    } else out += ESCAPES[ch] ?? ch;
  }
  return out;
}
