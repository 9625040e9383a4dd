import { CONFIG_ENV } from '../functions/common/config.js';

/** Settings the embedded runtime alone uses (DynamoDB Local, s3rver, a key file); never set in the cloud. */
const LOCAL_ONLY = ['signingKeyFile', 'dynamodbEndpoint', 's3Endpoint'] as const;

type CloudSetting = Exclude<keyof typeof CONFIG_ENV, (typeof LOCAL_ONLY)[number]>;

/**
 * Every cloud setting of CONFIG_ENV, by the variable name the code reads. The mapped type makes `tsc` fail
 * here when CONFIG_ENV gains a setting the stack does not provide yet.
 */
export type CloudConfig = Record<CloudSetting, string>;

export function configEnvironment(config: CloudConfig): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [setting, value] of Object.entries(config) as [CloudSetting, string][]) {
    environment[CONFIG_ENV[setting]] = value;
  }
  return environment;
}

/** Lambda sets AWS_REGION itself and refuses it as a function variable; containers get it from us. */
export function lambdaConfigEnvironment(config: CloudConfig): Record<string, string> {
  const { [CONFIG_ENV.region]: _region, ...rest } = configEnvironment(config);
  return rest;
}
