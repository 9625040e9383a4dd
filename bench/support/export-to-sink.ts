import { localConfig } from '../../functions/local/local-config.js';
import type { ExportStore } from '../../functions/scores/export-delivery.js';
import { DEFAULT_INLINE_MAX_BYTES, EXPORT_URL_SECONDS } from '../../functions/scores/export-settings.js';
import { ResultsService, type ScoresFormat } from '../../functions/scores/results-service.js';
import { createDynamoClient } from '../../functions/storage/aws-clients.js';
import { DynamoScoreRepository } from '../../functions/storage/dynamo-score-repository.js';
import { DynamoStudyRepository } from '../../functions/storage/dynamo-study-repository.js';

/**
 * One Scores export through ResultsService (the code the Scores handler runs, without the function's deadline),
 * into a store that only counts what it is given: how long an export of any size takes and how much memory it
 * needs, with no HTTP, S3 or timeout around it. Run in its own process so its RSS is the export's alone.
 * Prints one JSON line: bytes, rows, seconds, CPU seconds, peak RSS (the kernel's high-water mark, in bytes).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const [endpoint, studyText, formatText] = process.argv.slice(2);
if (!endpoint || !studyText || !formatText)
  throw new Error('usage: export-to-sink <dynamodb endpoint> <study> <format>');
const format = formatText as ScoresFormat;

class CountingStore implements ExportStore {
  bytes = 0;
  rows = 0;
  private tail = '';

  async put(_key: string, _type: string, body: AsyncIterable<Buffer>): Promise<void> {
    for await (const piece of body) this.count(piece);
  }

  async downloadUrl(key: string): Promise<string> {
    return `counted:${key}`;
  }

  count(piece: Buffer): void {
    this.bytes += piece.length;
    const text = this.tail + piece.toString('latin1');
    const needle = format === 'json' ? '{"id":' : '\n';
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) this.rows++;
    this.tail = format === 'json' ? text.slice(-5) : '';
  }
}

const db = createDynamoClient(localConfig('/tmp', { dynamodb: endpoint }));
const store = new CountingStore();
const service = new ResultsService(
  new DynamoScoreRepository(db, 'scores'),
  new DynamoStudyRepository(db, 'studies'),
  store,
  { inlineMaxBytes: DEFAULT_INLINE_MAX_BYTES, urlSeconds: EXPORT_URL_SECONDS },
);
const cpu = process.cpuUsage();
const started = performance.now();
const outcome = await service.exportScores(Number(studyText), {}, format);
if (!outcome.ok) throw new Error(`export failed: ${outcome.reason}`);
if (outcome.kind === 'inline') store.count(Buffer.from(outcome.body));
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    bytes: store.bytes,
    rows: format === 'json' ? store.rows : store.rows - 1,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRss: process.resourceUsage().maxRSS * 1024,
  }),
);
db.destroy();
