/**
 * Where this deployment keeps its data. Lambdas and the tus container read it from environment variables set
 * by the CDK stack; the embedded runtime builds it from its data folder and installs it with `setAppConfig`
 * before serving (handlers run in its process, so it is one configuration per process).
 */
export interface AppConfig {
  region: string;
  tables: TableNames;
  bucket: string;
  /** Where the HS256 key that signs API tokens lives. */
  signingKey: { file: string } | { secretArn: string };
  /** Set only for the embedded runtime and tests (DynamoDB Local, s3rver). */
  endpoints: { dynamodb?: string; s3?: string };
  /** Issuer written into and required from every token; one per deployment. */
  tokenIssuer: string;
  uploads: UploadSettings;
  /** SendEmail writes messages here instead of sending them through SES (the embedded runtime). */
  mailOutbox?: string;
  /**
   * Directories whose slide files GenerateSlideFileURL may show (`npm start` only: env SLIDE_FILE_DIRS, separated
   * by `:`; none by default). No other file on disk is ever read for it.
   */
  slideFileDirs?: string[];
}

export interface UploadSettings {
  /**
   * Where tus keeps uploads while they arrive: S3 under a prefix (the cloud; finished uploads stay where they
   * are) or a folder on disk (`npm start`; FinishUpload moves finished files into the bucket).
   */
  staging: { kind: 's3'; prefix: string } | { kind: 'file'; directory: string };
  maxBytes: number;
  /** How long an upload token from RequestUpload stays valid. */
  tokenHours: number;
}

/** Where upload bytes live in the bucket: tus writes here and committed files point here. */
export const UPLOADS_PREFIX = 'uploads/';
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 ** 3;
export const DEFAULT_UPLOAD_TOKEN_HOURS = 24;

export interface TableNames {
  studies: string;
  tokens: string;
  scores: string;
  files: string;
}

export const CONFIG_ENV = {
  region: 'AWS_REGION',
  studiesTable: 'STUDIES_TABLE',
  tokensTable: 'TOKENS_TABLE',
  scoresTable: 'SCORES_TABLE',
  filesTable: 'FILES_TABLE',
  bucket: 'BUCKET_NAME',
  signingKeyFile: 'SIGNING_KEY_FILE',
  signingKeySecretArn: 'SIGNING_KEY_SECRET_ARN',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  s3Endpoint: 'S3_ENDPOINT',
  tokenIssuer: 'TOKEN_ISSUER',
  maxUploadBytes: 'MAX_UPLOAD_BYTES',
  uploadTokenHours: 'UPLOAD_TOKEN_HOURS',
} as const;

export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`Environment variable ${name} is not set`);
    return value;
  };
  const secretArn = env[CONFIG_ENV.signingKeySecretArn];
  return {
    region: env[CONFIG_ENV.region] ?? 'us-east-1',
    tables: {
      studies: need(CONFIG_ENV.studiesTable),
      tokens: need(CONFIG_ENV.tokensTable),
      scores: need(CONFIG_ENV.scoresTable),
      files: need(CONFIG_ENV.filesTable),
    },
    bucket: need(CONFIG_ENV.bucket),
    signingKey: secretArn ? { secretArn } : { file: need(CONFIG_ENV.signingKeyFile) },
    endpoints: { dynamodb: env[CONFIG_ENV.dynamodbEndpoint], s3: env[CONFIG_ENV.s3Endpoint] },
    tokenIssuer: env[CONFIG_ENV.tokenIssuer] ?? 'slidescore-serverless',
    uploads: {
      staging: { kind: 's3', prefix: UPLOADS_PREFIX },
      maxBytes: positiveNumber(env[CONFIG_ENV.maxUploadBytes], DEFAULT_MAX_UPLOAD_BYTES),
      tokenHours: positiveNumber(env[CONFIG_ENV.uploadTokenHours], DEFAULT_UPLOAD_TOKEN_HOURS),
    },
  };
}

function positiveNumber(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`Expected a positive number, not "${text}"`);
  return value;
}

let current: AppConfig | undefined;
const listeners = new Set<() => void>();

/** The configuration of this process, read from the environment on first use unless one was installed. */
export function appConfig(): AppConfig {
  current ??= configFromEnvironment();
  return current;
}

/** Installs a configuration (embedded runtime, tests); caches built from the previous one are dropped. */
export function setAppConfig(config: AppConfig | undefined): void {
  current = config;
  for (const listener of listeners) listener();
}

/** Lets a module drop what it built from the configuration (clients, keys) when it changes. */
export function onConfigChange(listener: () => void): void {
  listeners.add(listener);
}
