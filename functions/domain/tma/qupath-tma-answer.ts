/**
 * The `answer` of QuPath's AnnoAnswer.json post: the answer itself, or for a TMA slide `TMAs:` followed by
 * blocks of `\n<row>,<col>\n<answer>` (map row and column, 0-based; the extension has already undone the
 * slide's rotation). A block's answer runs to the next block or the end.
 */
export type QupathAnswer =
  | { kind: 'slide'; answer: string }
  | { kind: 'tma'; cores: { row: number; col: number; answer: string }[] }
  | { kind: 'refused'; reason: string };

const TMA_PREFIX = 'TMAs:';

export function parseQupathAnswer(text: string): QupathAnswer {
  if (!text.startsWith(TMA_PREFIX)) return { kind: 'slide', answer: text };
  const body = text.slice(TMA_PREFIX.length).replace(/\r\n/g, '\n');
  if (body.trim() === '') return { kind: 'tma', cores: [] };
  const parts = body.split(/\n(\d{1,6}),(\d{1,6})\n/);
  if ((parts[0] ?? '').trim() !== '') {
    return { kind: 'refused', reason: 'after "TMAs:" each core starts with a line "<row>,<col>"' };
  }
  const cores: { row: number; col: number; answer: string }[] = [];
  const seen = new Set<string>();
  for (let i = 1; i + 2 < parts.length; i += 3) {
    const [row, col, answer] = [Number(parts[i]), Number(parts[i + 1]), (parts[i + 2] ?? '').trim()];
    const key = `${row},${col}`;
    if (seen.has(key)) return { kind: 'refused', reason: `core ${key} is given twice` };
    seen.add(key);
    cores.push({ row, col, answer });
  }
  return { kind: 'tma', cores };
}
