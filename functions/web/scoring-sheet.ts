import {
  type AnnotationItem,
  formatAnnotationAnswer,
  parseAnnotationAnswer,
} from '../domain/annotations/annotation-model.js';
import { isAnnotationType } from '../domain/questions/question-types.js';
import { numericRange } from '../domain/results/answer-numbers.js';
import { optionsOf, readTicked } from '../domain/results/answer-options.js';
import type { StudyQuestion } from '../studies/study-model.js';
import { html, type SafeHtml } from './html.js';

/**
 * The scoring sheet of the viewer: one field per question of the study, in the study's order, filled with the
 * user's saved answers. Every field is named `q<questionId>` and holds the answer text exactly as it is saved
 * (docs/config-files.md "Answers from the viewer"), so the page script only collects and posts them.
 */
const INTENSITIES = ['0', '1+', '2+', '3+'] as const;
const HSCORE_PARTS = ['0', '1+', '2+', '3+'] as const;

/** The colour of an annotation question: the first `;` part of its configuration when it is `#rrggbb`. */
export function annotationColour(valuesAllowed: string): string {
  const first = valuesAllowed.split(';')[0]?.trim() ?? '';
  return /^#[0-9a-f]{6}$/i.test(first) ? first : '#e6194b';
}

/** A drawable form of a saved annotation item for the page script, with its JSON kept to be sent back as it was. */
export type Drawable =
  | { kind: 'point'; x: number; y: number }
  | { kind: 'rect'; x: number; y: number; width: number; height: number }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { kind: 'polygon'; points: [number, number][]; closed: boolean };

export interface SheetShape {
  draws: Drawable[];
  json: unknown;
}

export function sheetShapes(question: StudyQuestion, answer: string | undefined): SheetShape[] {
  if (!answer || !isAnnotationType(question.type)) return [];
  const parsed = parseAnnotationAnswer(question.type as 'AnnoPoints' | 'AnnoShapes' | 'AnnoMeasure', answer);
  if (!parsed.ok) return [];
  return parsed.items.map((item) => ({
    draws: drawablesOf(item),
    json: (JSON.parse(formatAnnotationAnswer([item])) as unknown[])[0],
  }));
}

function drawablesOf(item: AnnotationItem): Drawable[] {
  const pts = (points: readonly { x: number; y: number }[]): [number, number][] => points.map((p) => [p.x, p.y]);
  switch (item.type) {
    case 'point':
      return [{ kind: 'point', x: item.x, y: item.y }];
    case 'rect':
      return [{ kind: 'rect', x: item.corner.x, y: item.corner.y, width: item.size.x, height: item.size.y }];
    case 'ellipse':
      return [{ kind: 'ellipse', cx: item.center.x, cy: item.center.y, rx: item.size.x, ry: item.size.y }];
    case 'polygon':
      return [{ kind: 'polygon', points: pts(item.points), closed: true }];
    case 'polyline':
    case 'line':
      return [{ kind: 'polygon', points: pts(item.points), closed: false }];
    case 'brush':
      return item.positivePolygons.map((p) => ({ kind: 'polygon' as const, points: pts(p), closed: true }));
    case 'heatmap': {
      const width = (item.columns * item.height) / Math.max(item.rows, 1);
      return [{ kind: 'rect', x: item.x, y: item.y, width, height: item.height }];
    }
  }
}

export function renderQuestion(question: StudyQuestion, saved: string | undefined, mayAnswer: boolean): SafeHtml {
  const name = `q${question.id}`;
  const value = saved ?? '';
  const disabled = !mayAnswer;
  const label = html`<span class="q-name">${question.name}</span>`;
  const field = (inner: SafeHtml) =>
    html`<fieldset class="question" data-question="${question.id}" data-type="${question.type}"><legend>${label}</legend>${inner}</fieldset>`;
  switch (question.type) {
    case 'Explanation':
      return html`<div class="question explanation" data-type="Explanation"><b>${question.name}</b><p>${question.valuesAllowed}</p></div>`;
    case 'FreeText':
      return field(html`<textarea name="${name}" rows="3" ${disabled ? 'disabled' : ''}>${value}</textarea>`);
    case 'Integer':
    case 'Real': {
      const range = numericRange(question.valuesAllowed);
      return field(html`<input type="number" name="${name}" value="${value}" step="${question.type === 'Integer' ? '1' : 'any'}"
        ${range ? html`min="${range.min}" max="${range.max}"` : ''} ${disabled ? 'disabled' : ''}>
        ${range ? html`<small>${range.min} to ${range.max}</small>` : ''}`);
    }
    case 'Percentage':
    case 'PercentageOnly':
      return field(
        html`<input type="number" name="${name}" value="${value}" min="0" max="100" step="any" ${disabled ? 'disabled' : ''}> %`,
      );
    case 'DropDown': {
      const options = optionsOf(question.valuesAllowed);
      return field(html`<select name="${name}" ${disabled ? 'disabled' : ''}>
        <option value="">(choose)</option>
        ${options.map((o) => html`<option value="${o}" ${o === value ? 'selected' : ''}>${o}</option>`)}
      </select>`);
    }
    case 'ClickFriendly':
    case 'ClickFriendlyOnly':
    case 'ClickFriendlyPollOnly':
      return field(radios(name, optionsOf(question.valuesAllowed), value, disabled));
    case 'PositiveNegative':
    case 'PositiveNegativeOnly':
      return field(radios(name, ['negative', 'positive'], value.toLowerCase(), disabled));
    case 'Intensities':
    case 'IntensitiesOnly':
      return field(radios(name, INTENSITIES, value, disabled));
    case 'Checkbox': {
      const options = optionsOf(question.valuesAllowed);
      const ticked = readTicked(value, options);
      const on = new Set('options' in ticked ? ticked.options : []);
      return field(html`<div class="choices checkbox" data-name="${name}">
        ${options.map((o) => html`<label class="choice"><input type="checkbox" value="${o}" ${on.has(o) ? 'checked' : ''} ${disabled ? 'disabled' : ''}> ${o}</label>`)}
        <input type="hidden" name="${name}" value="${value}">
      </div>`);
    }
    case 'HScore':
    case 'HScoreOnly': {
      const parts = value.split(';');
      const shares = parts.length === 4 ? parts : ['', '', '', ''];
      return field(html`<div class="hscore" data-name="${name}">
        ${HSCORE_PARTS.map((p, i) => html`<label>${p} <input type="number" min="0" max="100" step="any" data-part="${i}" value="${shares[i] ?? ''}" ${disabled ? 'disabled' : ''}> %</label>`)}
        <output>H-score: <b class="hscore-value">${parts.length === 1 ? value : ''}</b></output>
        <input type="hidden" name="${name}" value="${value}">
      </div>`);
    }
    case 'AnnoPoints':
    case 'AnnoShapes':
    case 'AnnoMeasure': {
      const colour = annotationColour(question.valuesAllowed);
      const tools = question.type === 'AnnoPoints' ? ['point'] : ['polygon', 'rect'];
      return field(html`<div class="anno" data-name="${name}" data-colour="${colour}" data-kind="${question.type}">
        <span class="swatch" style="background:${colour}"></span>
        ${mayAnswer ? tools.map((t) => html`<button type="button" class="tool" data-tool="${t}">${TOOL_LABELS[t] ?? t}</button>`) : ''}
        ${mayAnswer ? html`<button type="button" class="undo">Undo</button><button type="button" class="clear">Clear</button>` : ''}
        <span class="anno-count"></span>
        <input type="hidden" name="${name}" value="${value}">
      </div>`);
    }
  }
}

const TOOL_LABELS: Record<string, string> = { point: '+ Points', polygon: '⬠ Polygon', rect: '▭ Rectangle' };

function radios(name: string, options: readonly string[], value: string, disabled: boolean): SafeHtml {
  return html`<div class="choices">${options.map(
    (o) =>
      html`<label class="choice"><input type="radio" name="${name}" value="${o}" ${o === value ? 'checked' : ''} ${disabled ? 'disabled' : ''}> <span>${o}</span></label>`,
  )}</div>`;
}
