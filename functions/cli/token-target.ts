import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { STACK_OUTPUTS } from '../../infra/stack-outputs.js';
import { loadSigningKey } from '../auth/signing-key.js';
import { TokenService } from '../auth/token-service.js';
import { type AppConfig, UPLOADS_PREFIX } from '../common/config.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { localConfig, RUNTIME_FILE } from '../local/local-config.js';
import { createDynamoClient } from '../storage/aws-clients.js';
import { DynamoTokenStore } from '../storage/dynamo-token-store.js';
import { ensureTables } from '../storage/ensure-tables.js';

export interface TokenTarget {
  tokens: TokenService;
  description: string;
  close(): Promise<void>;
}

function serviceFor(config: AppConfig): { tokens: TokenService; destroy: () => void } {
  const client = createDynamoClient(config);
  const key = loadSigningKey(config);
  return {
    tokens: new TokenService(new DynamoTokenStore(client, config.tables.tokens), () => key, config.tokenIssuer),
    destroy: () => client.destroy(),
  };
}

/**
 * The tokens of a local data folder. While `npm start` runs, its DynamoDB Local is used (two instances must
 * not share one database file); otherwise one is started on the folder for the duration of the command.
 */
export async function localTarget(dataDir: string): Promise<TokenTarget> {
  const running = await runningEndpoint(dataDir);
  const dynamo = running ? undefined : await startDynamoDbLocal({ directory: join(dataDir, 'dynamodb') });
  const config = localConfig(dataDir, { dynamodb: running ?? (dynamo?.endpoint as string) });
  const { tokens, destroy } = serviceFor(config);
  if (dynamo) {
    const client = createDynamoClient(config);
    await ensureTables(client, config.tables).finally(() => client.destroy());
  }
  return {
    tokens,
    description: `data folder ${dataDir}`,
    close: async () => {
      destroy();
      await dynamo?.stop();
    },
  };
}

async function runningEndpoint(dataDir: string): Promise<string | undefined> {
  let endpoint: string;
  try {
    const runtime = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8'));
    process.kill(runtime.pid, 0); // throws when no such process
    endpoint = runtime.dynamodbEndpoint;
  } catch {
    return undefined;
  }
  const client = createDynamoClient(localConfig(dataDir, { dynamodb: endpoint }));
  try {
    await client.send(new ListTablesCommand({}));
    return endpoint;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/** The tokens of a deployed stack, found through its CloudFormation outputs (needs AWS credentials). */
export async function stackTarget(stackName: string, region: string | undefined): Promise<TokenTarget> {
  const cloudFormation = new CloudFormationClient(region ? { region } : {});
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  cloudFormation.destroy();
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const need = (key: string): string => {
    const value = outputs.get(key);
    if (!value) throw new Error(`Stack ${stackName} has no output ${key}`);
    return value;
  };
  const config: AppConfig = {
    region: outputs.get(STACK_OUTPUTS.region) ?? region ?? 'us-east-1',
    tables: {
      studies: need(STACK_OUTPUTS.studiesTableName),
      tokens: need(STACK_OUTPUTS.tokensTableName),
      scores: need(STACK_OUTPUTS.scoresTableName),
      files: need(STACK_OUTPUTS.filesTableName),
    },
    bucket: need(STACK_OUTPUTS.bucketName),
    signingKey: { secretArn: need(STACK_OUTPUTS.signingKeySecretArn) },
    endpoints: {},
    tokenIssuer: need(STACK_OUTPUTS.tokenIssuer),
    // The CLI touches tokens only; upload settings are irrelevant to it.
    uploads: { staging: { kind: 's3', prefix: UPLOADS_PREFIX }, maxBytes: 0, tokenHours: 0 },
  };
  const { tokens, destroy } = serviceFor(config);
  return { tokens, description: `stack ${stackName}`, close: async () => destroy() };
}
