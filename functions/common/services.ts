import { loadSigningKey } from '../auth/signing-key.js';
import { TokenService } from '../auth/token-service.js';
import { dynamoClient } from '../storage/aws-clients.js';
import { DynamoTokenStore } from '../storage/dynamo-token-store.js';
import { appConfig, onConfigChange } from './config.js';

/**
 * The one place where domain services meet their storage adapters. Built on first use and kept for the life
 * of the process (a warm Lambda reuses clients, keys and caches).
 */
export interface Services {
  tokens: TokenService;
}

let current: Services | undefined;
onConfigChange(() => {
  current = undefined;
});

export function services(): Services {
  current ??= build();
  return current;
}

function build(): Services {
  const config = appConfig();
  let key: Promise<Uint8Array> | undefined;
  const signingKey = () => {
    key ??= loadSigningKey(config).catch((error) => {
      key = undefined; // retry on the next call rather than failing forever
      throw error;
    });
    return key;
  };
  return {
    tokens: new TokenService(
      new DynamoTokenStore(dynamoClient(), config.tables.tokens),
      signingKey,
      config.tokenIssuer,
    ),
  };
}
