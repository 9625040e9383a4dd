import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';

/**
 * The one logger: structured JSON lines on stdout (CloudWatch in the cloud). Each API call adds its request id
 * through the middy pipeline; set LOG_LEVEL (or POWERTOOLS_LOG_LEVEL) to DEBUG, INFO, WARN or ERROR.
 */
export const log = new Logger({ serviceName: 'slidescore' });

export interface RequestLine {
  requestId: string;
  method?: string;
  path?: string;
  status?: number;
  ms: number;
}

/**
 * Whether request lines are written for people: only on a terminal, and never in the cloud (Lambda, ECS),
 * whose logs are searched as JSON. LOG_FORMAT=json keeps JSON on a terminal too.
 */
export function readableRequestLines(
  stdout: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const inCloud = Boolean(env.AWS_LAMBDA_FUNCTION_NAME || env.ECS_CONTAINER_METADATA_URI_V4);
  return Boolean(stdout.isTTY) && !inCloud && env.LOG_FORMAT !== 'json';
}

/** `10:04:05 GET /Api/Studies 200 12 ms`: local time, as a terminal user reads it. */
export function formatRequestLine(line: RequestLine, at: Date = new Date()): string {
  const time = at.toTimeString().slice(0, 8);
  return `${time} ${line.method ?? '-'} ${line.path ?? '-'} ${line.status ?? '-'} ${line.ms} ms`;
}

const readable = readableRequestLines();

/** One line per request (API calls and tus requests alike), at level INFO. */
export function writeRequestLine(line: RequestLine): void {
  if (!readable) {
    log.info('request', { ...line });
    return;
  }
  if (log.level <= LogLevelThreshold.INFO) process.stdout.write(`${formatRequestLine(line)}\n`);
}
