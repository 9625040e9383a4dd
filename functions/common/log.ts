import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger: structured JSON lines on stdout (CloudWatch in the cloud). Each API call adds its request id
 * through the middy pipeline; set POWERTOOLS_LOG_LEVEL (or LOG_LEVEL) to change the level.
 */
export const log = new Logger({ serviceName: 'slidescore' });
