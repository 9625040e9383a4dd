import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { readAsapXml } from '../../functions/domain/annotations/asap-xml-reader.js';

/** One run of the asap-import benchmark: `noop` (saxes with no handlers) or `read` (readAsapXml). */
const [mode, file] = process.argv.slice(2) as [string, string];
const started = performance.now();
if (mode === 'noop') {
  const parser = new SaxesParser({ xmlns: false, position: true });
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) parser.write(chunk as string);
  parser.close();
} else {
  const parsed = await readAsapXml(createReadStream(file));
  if (!parsed.ok) throw new Error(parsed.reason);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
