/**
 * Output keys of a SlideScore-<env> stack. The token CLI finds a deployment's tables, secret and issuer through
 * CloudFormation DescribeStacks with these names; keep them stable.
 */
export const STACK_OUTPUTS = {
  apiUrl: 'ApiUrl',
  httpApiUrl: 'HttpApiUrl',
  bucketName: 'BucketName',
  studiesTableName: 'StudiesTableName',
  tokensTableName: 'TokensTableName',
  scoresTableName: 'ScoresTableName',
  filesTableName: 'FilesTableName',
  signingKeySecretArn: 'SigningKeySecretArn',
  tokenIssuer: 'TokenIssuer',
  region: 'Region',
} as const;
