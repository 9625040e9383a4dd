/**
 * Reads an ASAP annotation file (reference §7.1) as it streams in, with saxes. A DOCTYPE is refused outright,
 * so no entity is ever declared: no XXE, no entity expansion. The text is never held whole: only the
 * annotations read so far are, and their coordinates are capped (`maxCoordinates`).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Point } from './annotation-model.js';

/** One `<Annotation>`: its coordinates in `Order` order. */
export interface AsapAnnotation {
  name: string;
  /** As written: Dot, PointSet, Polygon, Spline, Rectangle…; '' when absent. */
  type: string;
  /** `PartOfGroup`, or undefined when absent or "None". */
  group: string | undefined;
  /** `Color` as written (usually #rrggbb), or undefined. */
  color: string | undefined;
  coordinates: Point[];
}

/** One `<Group>` of `<AnnotationGroups>`. */
export interface AsapGroup {
  name: string;
  color: string | undefined;
  /** The group this group belongs to, or undefined for "None". */
  partOfGroup: string | undefined;
}

export interface AsapDocument {
  annotations: AsapAnnotation[];
  groups: AsapGroup[];
}

export type AsapParse =
  | { ok: true; document: AsapDocument; coordinates: number }
  | { ok: false; reason: string; line: number; column: number };

export interface AsapReadOptions {
  /** Refuse the file beyond this many `<Coordinate>` elements in all. */
  maxCoordinates?: number;
}

export const DEFAULT_MAX_ASAP_COORDINATES = 5_000_000;

/** An annotation being read: its coordinates in plain number arrays (unboxed doubles) until it closes. */
interface Pending {
  annotation: AsapAnnotation;
  xs: number[];
  ys: number[];
  /** Undefined while every Order so far equals its position. */
  orders: number[] | undefined;
  ordered: boolean;
}

/** Thrown inside the handlers to stop the parser at the first problem. */
class Refused extends Error {}

/**
 * Reads ASAP XML from text or from chunks (bytes are UTF-8). The reason of a refusal names line and column
 * (1-based) and what is wrong.
 */
export async function readAsapXml(
  input: string | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: AsapReadOptions = {},
): Promise<AsapParse> {
  const maxCoordinates = options.maxCoordinates ?? DEFAULT_MAX_ASAP_COORDINATES;
  const parser = new SaxesParser({ xmlns: false, position: true });
  const document: AsapDocument = { annotations: [], groups: [] };
  const open: string[] = [];
  let current: Pending | undefined;
  let coordinates = 0;
  let sawRoot = false;

  parser.on('doctype', () => {
    throw new Refused('a DOCTYPE is not accepted in an ASAP file (entities are not allowed); remove it');
  });
  // Coordinates, the bulk of a file, come first and touch as little as possible.
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name;
    const parent = open[open.length - 1];
    open.push(name);
    const attributes = tag.attributes;
    if (name === 'Coordinate' && current !== undefined && parent === 'Coordinates') {
      if (++coordinates > maxCoordinates) {
        throw new Refused(`more than ${maxCoordinates.toLocaleString('en-US')} coordinates; split the file`);
      }
      current.xs.push(decimal(attributes.X, 'X'));
      current.ys.push(decimal(attributes.Y, 'Y'));
      const order = attributes.Order;
      if (order === undefined) current.ordered = false;
      else {
        const n = decimal(order, 'Order');
        if (!Number.isInteger(n)) throw new Refused(`Order="${order.slice(0, 40)}" is not a whole number`);
        const position = current.xs.length - 1;
        // Files number their vertices 0, 1, 2…: the Orders are kept only once one differs from its position.
        if (current.orders === undefined && n !== position)
          current.orders = Array.from({ length: position }, (_, i) => i);
        current.orders?.push(n);
      }
    } else if (!sawRoot) {
      sawRoot = true;
      if (name !== 'ASAP_Annotations') {
        throw new Refused(`the root element is <${name}>; an ASAP file starts with <ASAP_Annotations>`);
      }
    } else if (name === 'Annotation' && parent === 'Annotations') {
      current = {
        annotation: {
          name: attributes.Name ?? '',
          type: attributes.Type ?? '',
          group: groupName(attributes.PartOfGroup),
          color: attributes.Color,
          coordinates: [],
        },
        xs: [],
        ys: [],
        orders: undefined,
        ordered: true,
      };
    } else if (name === 'Group' && parent === 'AnnotationGroups') {
      document.groups.push({
        name: attributes.Name ?? '',
        color: attributes.Color,
        partOfGroup: groupName(attributes.PartOfGroup),
      });
    }
  });
  parser.on('closetag', (tag) => {
    open.pop();
    if (tag.name === 'Annotation' && current && open[open.length - 1] === 'Annotations') {
      document.annotations.push(finish(current));
      current = undefined;
    }
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    if (typeof input === 'string') parser.write(input);
    else {
      for await (const chunk of input) {
        parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      }
      parser.write(decoder.decode());
    }
    parser.close();
  } catch (error) {
    if (!sawRoot && error instanceof Error && /must contain a root element/.test(error.message)) return noRoot();
    return refusal(parser, error);
  }
  if (!sawRoot) return noRoot();
  return { ok: true, document, coordinates };
}

function noRoot(): AsapParse {
  return {
    ok: false,
    reason: 'line 1, column 1: no XML element; an ASAP file starts with <ASAP_Annotations>',
    line: 1,
    column: 1,
  };
}

function refusal(parser: SaxesParser, error: unknown): AsapParse {
  const line = parser.line;
  const column = parser.column + 1;
  let reason: string;
  if (error instanceof Refused) reason = error.message;
  else if (error instanceof TypeError && /encoded data was not valid/i.test(error.message)) {
    reason = 'not UTF-8 text';
  } else {
    // saxes prefixes its messages with the position, which we give in our own words.
    const message = error instanceof Error ? error.message : String(error);
    reason = `not well-formed XML: ${message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`;
  }
  return { ok: false, reason: `line ${line}, column ${column}: ${reason}`, line, column };
}

function groupName(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === 'None' ? undefined : value;
}

/** A decimal as ASAP writes it; a decimal comma (some locales) is read as a point. */
function decimal(value: string | undefined, attribute: string): number {
  if (value === undefined) throw new Refused(`a <Coordinate> needs the attribute ${attribute}`);
  const n = Number(value);
  if (Number.isFinite(n) && value.trim() !== '') return n;
  const text = value.trim();
  const comma = /^[-+]?\d+,\d+$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
  if (Number.isFinite(comma)) return comma;
  throw new Refused(`${attribute}="${value.slice(0, 40)}" is not a number`);
}

/** The annotation with its coordinates, sorted by Order when every one has it (stable for equal Orders). */
function finish(pending: Pending): AsapAnnotation {
  const { annotation, xs, ys, orders, ordered } = pending;
  let index: number[] | undefined;
  if (ordered && orders !== undefined && orders.length > 1) {
    let sorted = true;
    for (let i = 1; i < orders.length && sorted; i++) sorted = (orders[i - 1] as number) <= (orders[i] as number);
    if (!sorted) index = orders.map((_, i) => i).sort((a, b) => (orders[a] as number) - (orders[b] as number));
  }
  const coordinates = annotation.coordinates;
  for (let k = 0; k < xs.length; k++) {
    const i = index ? (index[k] as number) : k;
    coordinates.push({ x: xs[i] as number, y: ys[i] as number });
  }
  return annotation;
}
