import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { formatAnnotationAnswer } from '../../functions/domain/annotations/annotation-model.js';
import { mapAsapToAnswers } from '../../functions/domain/annotations/asap-mapping.js';
import { readAsapXml } from '../../functions/domain/annotations/asap-xml-reader.js';

/**
 * One run of the asap-import benchmark: `noop` (saxes with no handlers), `read` (readAsapXml) or `import`
 * (readAsapXml, the questionsMap mapping and the answer's JSON text: what UploadASAPAnnotations does before
 * saving).
 */
const [mode, file] = process.argv.slice(2) as [string, string];
const started = performance.now();
if (mode === 'noop') {
  const parser = new SaxesParser({ xmlns: false, position: true });
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) parser.write(chunk as string);
  parser.close();
} else {
  const parsed = await readAsapXml(createReadStream(file));
  if (!parsed.ok) throw new Error(parsed.reason);
  if (mode === 'import') {
    const mapping = mapAsapToAnswers(parsed.document, [{ name: 'Tumour', type: 'AnnoShapes' }], {
      questionsMap: '#e6194b;Tumour',
    });
    if (!mapping.ok) throw new Error(mapping.reason);
    const text = formatAnnotationAnswer(mapping.answers[0]?.items ?? []);
    if (text.length < 2) throw new Error('empty answer');
  }
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
