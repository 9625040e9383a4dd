import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type AppProps, type CfnResource, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV } from '../../functions/common/config.js';
import { EVENT_SUBSCRIPTIONS, NOT_FOUND_ROUTE, ROUTE_AREAS, ROUTES } from '../../functions/routes/manifest.js';
import { TABLE_DEFINITIONS } from '../../functions/storage/tables.js';
import { createApp } from '../../infra/app.js';
import { ESM_REQUIRE_BANNER } from '../../infra/bundling.js';
import {
  largeBodyPathPatterns,
  SWAGGER_ASSETS_PATH_PATTERN,
  TUS_PATH_PATTERNS,
} from '../../infra/constructs/front-door.js';
import { PIXEL_LAYER_DIR, PIXEL_LAYER_MODULES } from '../../infra/constructs/pixel-layer.js';
import { resolveEnvironment } from '../../infra/environments.js';
import { pathCaseFunctionCode } from '../../infra/path-case-function.js';
import { REPO_ROOT } from '../../infra/paths.js';
import { STACK_OUTPUTS } from '../../infra/stack-outputs.js';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

/** The feature flags of cdk.json, so the test synthesizes what `cdk synth` does. */
const CDK_CONTEXT = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/**
 * Functions CDK adds for its own custom resources: the S3 notifications handler, the auto-delete-objects
 * provider (non-production buckets only) and the provider that strips the VPC's default security group.
 */
const CDK_INTERNAL_FUNCTIONS = { nonProduction: 3, production: 2 };

/** A synth with CDK's CloudFormation validation and cdk-nag takes ~12 s here; hooks default to 10 s. */
const SYNTH_TIMEOUT = 120_000;

/** Each synth writes a cloud assembly; into folders of ours, removed afterwards (CDK would leave `cdk.out*`). */
const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

function newOutdir(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'slidescore-cdk-'));
  outdirs.push(outdir);
  return outdir;
}

function synth(context: Record<string, unknown>, props: AppProps = {}) {
  const outdir = newOutdir();
  const created = createApp({
    outdir,
    ...props,
    // No asset bundling in tests: esbuild for every function would cost a minute.
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
  });
  const parent = Template.fromStack(created.stack);
  const nested = created.stack.node
    .findAll()
    .filter((c): c is NestedStack => c instanceof NestedStack)
    .map((stack) => Template.fromStack(stack));
  // The API's areas are nested stacks: most assertions look at the resources of all stacks together.
  const merged = [parent, ...nested].reduce<Record<string, unknown>>(
    (all, t) => Object.assign(all, t.toJSON().Resources),
    {},
  );
  return { ...created, parent, nested, template: Template.fromJSON({ Resources: merged }) };
}

function resources(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

function only<T>(record: Record<string, T>): T {
  const values = Object.values(record);
  expect(values).toHaveLength(1);
  return values[0] as T;
}

function acknowledgementsOf(app: App): { path: string; rule: string; reason: unknown }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          rule: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The AwsSolutions pack blind to acknowledgements, to check that each one still answers a real finding. */
class EveryFinding extends AwsSolutionsChecks {}
Object.defineProperty(EveryFinding.prototype, 'isAcknowledged', { value: () => false });

/** Evaluates the generated CloudFront Function the way CloudFront calls it. */
function runViewerRequest(code: string, uri: string): string {
  const handler = new Function(`${code}\nreturn handler;`)() as (event: unknown) => { uri: string };
  return handler({ request: { method: 'GET', uri, querystring: {}, headers: {} } }).uri;
}

describe('SlideScore stack (env test)', () => {
  let test: ReturnType<typeof synth>;
  let template: Template;

  beforeAll(() => {
    test = synth({ env: 'test', region: 'eu-west-1' });
    template = test.template;
  }, SYNTH_TIMEOUT);

  /** `FunctionsRole3FD1EF1D` → `FunctionsRole`: how a nested stack's parameter names the parent's resource. */
  const withoutHash = (id: string) => id.replace(/[0-9A-F]{8}$/, '');

  function logicalId(construct: Parameters<typeof Stack.of>[0]): string {
    const stack = Stack.of(construct);
    return stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnResource));
  }

  it('makes one nodejs22.x function per manifest entry, plus not-found and event functions', () => {
    const all = resources(template, 'AWS::Lambda::Function');
    const ours = ROUTES.length + 1 + EVENT_SUBSCRIPTIONS.length;
    expect(Object.keys(all)).toHaveLength(ours + CDK_INTERNAL_FUNCTIONS.nonProduction);

    const server = Object.values(all).filter((f) => f.Properties.Runtime === 'nodejs22.x');
    expect(server).toHaveLength(ours);
    for (const route of [...ROUTES, NOT_FOUND_ROUTE]) {
      const fn = all[logicalId(test.stack.api.functions.get(route.id)!)]!;
      expect(fn.Properties).toMatchObject({ MemorySize: route.memoryMb, Timeout: route.timeoutSeconds });
    }
    // One shared role and log group (in nested stacks, passed in as parameters named after them).
    const roleId = withoutHash(logicalId(test.stack.functions.role));
    const logGroupId = withoutHash(logicalId(test.stack.functions.logGroup));
    for (const f of server) {
      expect(JSON.stringify(f.Properties.Role)).toContain(roleId);
      expect(JSON.stringify(f.Properties.LoggingConfig)).toContain(logGroupId);
    }
  });

  it('keeps every stack well under the 500-resource limit: one nested stack per route area', () => {
    const count = (t: Template) => Object.keys(t.toJSON().Resources).length;
    expect(test.nested).toHaveLength(Object.keys(ROUTE_AREAS).length);
    expect(count(test.parent)).toBeLessThan(400);
    // Worst case per new route: function, integration, invoke permission, GET and POST routes.
    for (const nested of test.nested) expect(count(nested) + 20 * 5).toBeLessThan(500);
  });

  it('gives every function the CONFIG_ENV settings of the cloud', () => {
    const cloudVariables = [
      CONFIG_ENV.studiesTable,
      CONFIG_ENV.tokensTable,
      CONFIG_ENV.scoresTable,
      CONFIG_ENV.filesTable,
      CONFIG_ENV.bucket,
      CONFIG_ENV.signingKeySecretArn,
      CONFIG_ENV.tokenIssuer,
    ];
    for (const fn of Object.values(resources(template, 'AWS::Lambda::Function'))) {
      if (fn.Properties.Runtime !== 'nodejs22.x') continue;
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(cloudVariables));
    }
    const swaggerAssets = resources(template, 'AWS::Lambda::Function')[
      logicalId(test.stack.api.functions.get('SwaggerUiAsset')!)
    ]!;
    expect(swaggerAssets.Properties.Environment).toMatchObject({
      Variables: { SWAGGER_UI_DIR: '/var/task/swagger-ui' },
    });
    const viewerAssets = resources(template, 'AWS::Lambda::Function')[
      logicalId(test.stack.api.functions.get('ViewerAsset')!)
    ]!;
    expect(viewerAssets.Properties.Environment).toMatchObject({
      Variables: { VIEWER_ASSETS_DIR: '/var/task/viewer-assets' },
    });
  });

  it('routes every (entry, method) to its own function, and everything else to not-found', () => {
    const routes = resources(template, 'AWS::ApiGatewayV2::Route');
    const integrations = resources(template, 'AWS::ApiGatewayV2::Integration');
    const expectedKeys = ROUTES.flatMap((route) => route.methods.map((method) => `${method} ${route.path}`));
    const keys = Object.values(routes).map((route) => route.Properties.RouteKey);
    expect(keys.sort()).toEqual([...expectedKeys, '$default'].sort());

    const functionOf = (routeKey: string): string => {
      const route = Object.values(routes).find((r) => r.Properties.RouteKey === routeKey)!;
      const target = JSON.stringify(route.Properties.Target);
      const integrationId = Object.keys(integrations).find((id) => target.includes(`"${id}"`))!;
      return (integrations[integrationId]!.Properties.IntegrationUri as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    };
    for (const route of ROUTES) {
      for (const method of route.methods) {
        expect(functionOf(`${method} ${route.path}`)).toBe(logicalId(test.stack.api.functions.get(route.id)!));
      }
    }
    expect(functionOf('$default')).toBe(logicalId(test.stack.api.functions.get(NOT_FOUND_ROUTE.id)!));
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });

  it('creates the four tables from TABLE_DEFINITIONS: on demand, PITR, TTL on tokens', () => {
    const tables = resources(template, 'AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(Object.keys(TABLE_DEFINITIONS).length);
    for (const [name, definition] of Object.entries(TABLE_DEFINITIONS)) {
      const table = tables[logicalId(test.stack.dataStores.tables[name as keyof typeof TABLE_DEFINITIONS])]!;
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        KeySchema: [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          { AttributeName: definition.sortKey, KeyType: 'RANGE' },
        ],
        DeletionProtectionEnabled: false,
      });
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[];
      expect(indexes.map((index) => index.IndexName)).toEqual(definition.indexes.map((index) => index.name));
      expect(table.DeletionPolicy).toBe('Delete');
    }
    const tokens = tables[logicalId(test.stack.dataStores.tables.tokens)]!;
    expect(tokens.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('locks the bucket down: TLS only, no public access, S3 encryption, access logs, multipart clean-up', () => {
    const bucketId = logicalId(test.stack.dataStores.bucket);
    const bucket = resources(template, 'AWS::S3::Bucket')[bucketId]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(test.stack.dataStores.logBucket) } },
      LifecycleConfiguration: {
        Rules: [
          expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
          expect.objectContaining({ Prefix: 'exports/', ExpirationInDays: 1, Status: 'Enabled' }),
        ],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('generates a 64-character signing key and outputs what the token CLI reads', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    const outputs = test.parent.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(Object.values(STACK_OUTPUTS).sort());
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain('DomainName');
  });

  it('runs tus on Fargate behind an internal load balancer with a health check', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Type: 'application',
    });
    template.hasResourceProperties('AWS::ECS::Service', { LaunchType: 'FARGATE' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health',
      Port: 8080,
      TargetType: 'ip',
    });
    const taskDefinition = only(resources(template, 'AWS::ECS::TaskDefinition'));
    const [container] = taskDefinition.Properties.ContainerDefinitions as {
      HealthCheck: unknown;
      Environment: { Name: string }[];
    }[];
    expect(container?.HealthCheck).toMatchObject({ Command: expect.arrayContaining(['CMD']) });
    expect((container?.Environment ?? []).map((variable) => variable.Name)).toEqual(
      expect.arrayContaining([CONFIG_ENV.region, CONFIG_ENV.bucket, CONFIG_ENV.signingKeySecretArn, 'PORT']),
    );
    // Upload bytes go to S3 through the gateway endpoint, not the NAT gateway.
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  it('fronts the API and tus with one CloudFront distribution', () => {
    const distribution = only(resources(template, 'AWS::CloudFront::Distribution'));
    const config = distribution.Properties.DistributionConfig as {
      DefaultCacheBehavior: Record<string, unknown>;
      CacheBehaviors: Record<string, unknown>[];
      Origins: { Id: string; VpcOriginConfig?: unknown; CustomOriginConfig?: unknown }[];
      Logging?: unknown;
    };
    const vpcOrigin = config.Origins.find((origin) => origin.VpcOriginConfig)!;
    const apiOrigin = config.Origins.find((origin) => origin.CustomOriginConfig)!;
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: apiOrigin.Id,
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      AllowedMethods: expect.arrayContaining(['POST', 'PATCH', 'DELETE']),
      FunctionAssociations: [expect.objectContaining({ EventType: 'viewer-request' })],
    });
    const behavior = (pattern: string) => config.CacheBehaviors.find((b) => b.PathPattern === pattern);
    for (const pattern of TUS_PATH_PATTERNS) {
      expect(behavior(pattern)).toMatchObject({
        TargetOriginId: vpcOrigin.Id,
        CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022.originRequestPolicyId,
        AllowedMethods: expect.arrayContaining(['PATCH', 'DELETE', 'OPTIONS']),
      });
    }
    expect(TUS_PATH_PATTERNS).toEqual(['/files', '/files/*']);
    // Bodies over Lambda's 6 MB go to the container, which runs the same handlers (test/api/large-bodies.test.ts).
    expect(largeBodyPathPatterns()).toEqual(expect.arrayContaining(['/Api/UploadResults', '/api/uploadresults']));
    for (const pattern of largeBodyPathPatterns()) {
      expect(behavior(pattern), pattern).toMatchObject({
        TargetOriginId: vpcOrigin.Id,
        CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022.originRequestPolicyId,
        AllowedMethods: expect.arrayContaining(['POST']),
      });
    }
    // Tiles (/i/…) take the default behaviour: never cached at the edge, so nothing there outlives a tile
    // credential, and the viewer's cookie `t` reaches the function (all viewer headers but Host are forwarded).
    const tileBehaviors = config.CacheBehaviors.filter(
      (b) => String(b.PathPattern).startsWith('/i') && !largeBodyPathPatterns().includes(String(b.PathPattern)),
    );
    expect(tileBehaviors).toEqual([]);
    expect(behavior(SWAGGER_ASSETS_PATH_PATTERN)).toMatchObject({
      TargetOriginId: apiOrigin.Id,
      CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
      Compress: true,
    });
    expect(config.Logging).toMatchObject({
      Bucket: { 'Fn::GetAtt': [logicalId(test.stack.dataStores.logBucket), 'RegionalDomainName'] },
    });
    template.resourceCountIs('AWS::CloudFront::VpcOrigin', 1);
  });

  it('deploys a path-case function that gives API Gateway the manifest case', () => {
    const fn = only(resources(template, 'AWS::CloudFront::Function'));
    expect(fn.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    const code = fn.Properties.FunctionCode as string;
    expect(runViewerRequest(code, '/api/studies')).toBe('/Api/Studies');
    expect(runViewerRequest(code, '/API/STUDIES/')).toBe('/Api/Studies');
    expect(runViewerRequest(code, '/admin/createtoken')).toBe('/Admin/CreateToken');
    expect(runViewerRequest(code, '/Swagger/Assets/Swagger-UI.CSS')).toBe('/swagger/assets/Swagger-UI.CSS');
    expect(runViewerRequest(code, '/SWAGGER/V1/SWAGGER.JSON')).toBe('/swagger/v1/swagger.json');
    expect(runViewerRequest(code, '/api/NoSuchThing')).toBe('/api/NoSuchThing');
    expect(runViewerRequest(code, '/')).toBe('/');
  });

  it('sends S3 events that fail every attempt to a dead-letter queue, with an alarm on it', () => {
    for (const subscription of EVENT_SUBSCRIPTIONS) {
      const fn = test.stack.events.functions.get(subscription.id)!;
      const queue = test.stack.events.deadLetterQueues.get(subscription.id)!;
      const queueId = logicalId(queue);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(fn) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      expect(resources(template, 'AWS::SQS::Queue')[queueId]?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('exports Scores of any size: a waiting route, and a 15-minute function started by export jobs in the bucket', () => {
    const exporter = test.stack.events.functions.get('ExportScores');
    expect(exporter).toBeDefined();
    const fn = resources(template, 'AWS::Lambda::Function')[logicalId(exporter!)]!;
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Timeout: 900, MemorySize: 1769 });
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables)).toEqual(expect.arrayContaining([CONFIG_ENV.bucket, CONFIG_ENV.scoresTable]));
    // Started by the ObjectCreated event of a job object, and only by those.
    const notifications = only(resources(template, 'Custom::S3BucketNotifications'));
    const configurations = (
      notifications.Properties.NotificationConfiguration as {
        LambdaFunctionConfigurations: { LambdaFunctionArn: unknown; Filter: unknown; Events: string[] }[];
      }
    ).LambdaFunctionConfigurations;
    const mine = configurations.filter((c) =>
      JSON.stringify(c.LambdaFunctionArn).includes(`"${logicalId(exporter!)}"`),
    );
    expect(mine).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        LambdaFunctionArn: expect.anything(),
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'exports/jobs/' }] } },
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [logicalId(exporter!), 'Arn'] },
    });
    // The shared role reads the study and answers, and writes the export, the job and its failure in the bucket.
    const policies = Object.values(resources(template, 'AWS::IAM::Policy')).map((p) => JSON.stringify(p.Properties));
    const rolePolicy = policies.find((p) => p.includes('s3:PutObject') && p.includes('dynamodb:Query'));
    expect(rolePolicy).toBeDefined();
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [expect.stringContaining('FunctionsRole'), 'Arn'] });
    // The waiting URL is a route like any other.
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /Api/Scores/Export/{jobId}' });
    // Records of uploads that never commit expire.
    const scores = resources(template, 'AWS::DynamoDB::Table')[logicalId(test.stack.dataStores.tables.scores)]!;
    expect(scores.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('puts sharp, libvips and the WebAssembly decoders in one nodejs22.x x86_64 layer that every function has', () => {
    const layer = only(resources(template, 'AWS::Lambda::LayerVersion'));
    expect(layer.Properties).toMatchObject({
      CompatibleRuntimes: ['nodejs22.x'],
      CompatibleArchitectures: ['x86_64'],
    });
    const layerId = withoutHash(logicalId(test.stack.functions.pixelLayer.layer));
    for (const fn of Object.values(resources(template, 'AWS::Lambda::Function'))) {
      if (fn.Properties.Runtime !== 'nodejs22.x') continue;
      // The layer itself, or in a nested stack the parameter that passes it in (named after it).
      expect(fn.Properties.Layers).toHaveLength(1);
      expect(JSON.stringify(fn.Properties.Layers)).toContain(layerId);
    }
    const modules = join(PIXEL_LAYER_DIR, 'nodejs', 'node_modules');
    for (const file of [
      'sharp/package.json',
      '@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node',
      '@img/sharp-libvips-linux-x64/lib/index.js',
      '@cornerstonejs/codec-openjpeg/dist/openjpegwasm_decode.wasm',
      'zstddec/package.json',
      'dicom-parser/package.json',
      // sharp's own runtime dependencies
      '@img/colour/package.json',
      'detect-libc/package.json',
      'semver/package.json',
    ]) {
      expect(existsSync(join(modules, file)), file).toBe(true);
    }
  });

  it(
    'bundles without the layer modules, and the bundle loads with them taken from the layer',
    async () => {
      // The same esbuild settings as ServerFunctions, for one pixel handler (sharp at the top of its imports).
      const outdir = newOutdir();
      const result = await build({
        entryPoints: [join(REPO_ROOT, 'functions/api/pixels/deep-zoom-tile.ts')],
        outfile: join(outdir, 'index.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: { js: ESM_REQUIRE_BANNER },
        // As deployed; minifying also renames the bundle's own `createRequire`, which the banner's would clash with.
        minify: true,
        external: [...PIXEL_LAYER_MODULES],
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      for (const name of [...PIXEL_LAYER_MODULES, '@img/']) {
        expect(inputs.filter((input) => input.includes(`node_modules/${name}`))).toEqual([]);
      }
      // Lambda resolves /opt/nodejs/node_modules; here the bundle's own node_modules is the layer's, nothing else.
      symlinkSync(join(PIXEL_LAYER_DIR, 'nodejs', 'node_modules'), join(outdir, 'node_modules'), 'dir');
      const script = `const m = await import('./index.mjs');
      const { createRequire } = await import('node:module');
      const sharp = (await import('sharp')).default;
      const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#f00' } }).png().toBuffer();
      createRequire(import.meta.url)('@cornerstonejs/codec-openjpeg/decodewasmjs');
      console.log(typeof m.handler, png.length > 0);`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: outdir,
        encoding: 'utf8',
      });
      expect(out.trim()).toBe('function true');
    },
    SYNTH_TIMEOUT,
  );

  it('passes the AwsSolutions checks, every acknowledgement with its reason', () => {
    // cdk-nag 3 exposes its findings through validateScope (the validation plugin API): unacknowledged ones only.
    const report = test.nag.validateScope(test.app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);

    const acknowledgements = acknowledgementsOf(test.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { rule, reason } of acknowledgements) {
      expect(typeof reason === 'string' && reason.trim().length >= 20, `reason of ${rule}`).toBe(true);
    }
  });

  it('acknowledges only AwsSolutions findings that exist, where they occur', () => {
    const all = new EveryFinding().validateScope(test.app).violations;
    for (const { path, rule } of acknowledgementsOf(test.app)) {
      if (!rule.startsWith('AwsSolutions-')) continue; // CDK's own acknowledgements of its validator
      const finding = all.find((v) => v.ruleName === rule);
      expect(finding, `${rule} acknowledged at ${path} matches no finding`).toBeDefined();
      const under = finding!.violatingResources.some((r) => `${r.constructPath}/`.startsWith(`${path}/`));
      expect(under, `${rule} acknowledged at ${path}, found elsewhere`).toBe(true);
    }
  });
});

describe('SlideScore stack (production)', () => {
  it('retains data and protects tables from deletion', () => {
    // The built-in CloudFormation validation already ran on the test synth; skip it here to save time.
    const { template } = synth(
      { env: 'prod', region: 'eu-west-1', mailFrom: 'scoring@example.org' },
      { builtinCloudFormationValidation: false },
    );
    for (const table of Object.values(resources(template, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    }
    for (const type of ['AWS::S3::Bucket', 'AWS::SecretsManager::Secret']) {
      for (const resource of Object.values(resources(template, type))) expect(resource.DeletionPolicy).toBe('Retain');
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    template.resourceCountIs(
      'AWS::Lambda::Function',
      ROUTES.length + 1 + EVENT_SUBSCRIPTIONS.length + CDK_INTERNAL_FUNCTIONS.production,
    );
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    // -c mailFrom: SendEmail's sender, and the right to send through SES.
    const fn = Object.values(resources(template, 'AWS::Lambda::Function')).find(
      (f) => (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.MAIL_FROM,
    );
    expect(fn).toBeDefined();
    expect(JSON.stringify(resources(template, 'AWS::IAM::Policy'))).toContain('ses:SendEmail');
  });
});

describe('environments', () => {
  const resolve = (context: Record<string, unknown>) =>
    resolveEnvironment(new App({ context, outdir: newOutdir() }).node);

  it('needs an environment name', () => {
    expect(() => resolve({})).toThrow(/-c env=<name>/);
    expect(() => resolve({ env: 'Bad Name' })).toThrow(/lowercase/);
  });

  it('treats prod, production and -c production=true as production', () => {
    expect(resolve({ env: 'prod' }).production).toBe(true);
    expect(resolve({ env: 'production' }).production).toBe(true);
    expect(resolve({ env: 'eu', production: 'true' }).production).toBe(true);
    expect(resolve({ env: 'dev' }).production).toBe(false);
  });

  it('takes -c mailFrom only as an email address', () => {
    expect(resolve({ env: 'dev', mailFrom: 'scoring@example.org' }).mailFrom).toBe('scoring@example.org');
    expect(resolve({ env: 'dev' }).mailFrom).toBeUndefined();
    expect(() => resolve({ env: 'dev', mailFrom: 'example.org' })).toThrow(/not an email address/);
  });
});

describe('pathCaseFunctionCode', () => {
  const code = pathCaseFunctionCode([
    { path: '/Api/Studies' },
    { path: '/i/{imageId}/{urlPart}/{level}/{tile}' },
    { path: '/i/{imageId}/{urlPart}/i_files/{level}/{tile}' },
    { path: '/Api/Slides/{id}' },
  ]);

  it('rewrites literals and leaves parameters alone', () => {
    expect(runViewerRequest(code, '/api/slides/AbC%20d')).toBe('/Api/Slides/AbC%20d');
    expect(runViewerRequest(code, '/I/7/Slide.svs/I_FILES/12/3_4.jpeg')).toBe('/i/7/Slide.svs/i_files/12/3_4.jpeg');
    expect(runViewerRequest(code, '/I/7/Slide.svs/12/3_4.jpeg')).toBe('/i/7/Slide.svs/12/3_4.jpeg');
  });

  it('ignores empty segments like the embedded router and leaves unknown paths untouched', () => {
    expect(runViewerRequest(code, '//api//studies/')).toBe('/Api/Studies');
    expect(runViewerRequest(code, '/files/abc')).toBe('/files/abc');
    expect(runViewerRequest(code, '/api/studies/extra')).toBe('/api/studies/extra');
  });
});
