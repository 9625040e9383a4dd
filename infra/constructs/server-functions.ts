import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SWAGGER_UI_DIR_ENV, SWAGGER_UI_FILES } from '../../functions/openapi/swagger-ui-assets.js';
import {
  OSD_IMAGE_PREFIX,
  OSD_IMAGES,
  OSD_SCRIPT,
  OWN_ASSETS,
  VIEWER_ASSETS_DIR_ENV,
} from '../../functions/web/viewer-assets.js';
import { ESM_REQUIRE_BANNER, NODE_TARGET } from '../bundling.js';
import type { DeploymentEnvironment } from '../environments.js';
import { REPO_ROOT } from '../paths.js';
import { PIXEL_LAYER_MODULES, PixelLayer } from './pixel-layer.js';

export interface ServerFunctionsProps {
  environment: DeploymentEnvironment;
  /** Variables every function reads (CONFIG_ENV). */
  configEnvironment: Record<string, string>;
}

export interface ServerFunctionOptions {
  /** Handler module, relative to the repository root (the manifest's `handler`). */
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  assets?: 'swagger-ui' | 'viewer';
}

/** Where the Swagger UI files land in the bundle, and so under /var/task in Lambda. */
const SWAGGER_UI_BUNDLE_DIR = 'swagger-ui';
/** Where the viewer's files (OpenSeadragon and ours) land in the bundle. */
const VIEWER_ASSETS_BUNDLE_DIR = 'viewer-assets';

/**
 * The Lambda functions of the server (one per route, plus event handlers), built the same way: nodejs22.x,
 * ESM bundles made by the local esbuild (never Docker), the CONFIG_ENV variables.
 *
 * They share ONE execution role and ONE log group on purpose: CloudFormation allows 500 resources per stack
 * and the route manifest grows towards ~70 endpoints. A role, its policy and a log group per function would
 * add ~210 resources for identical permissions. Each function still writes its own log streams, and the API
 * pipeline's logger (injectLambdaContext) puts `function_name` in every line.
 */
export class ServerFunctions extends Construct {
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly pixelLayer: PixelLayer;
  private readonly props: ServerFunctionsProps;

  constructor(scope: Construct, id: string, props: ServerFunctionsProps) {
    super(scope, id);
    this.props = props;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Shared by every Slide Score API and event function',
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.environment.logRetention,
      removalPolicy: props.environment.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Instead of the AWSLambdaBasicExecutionRole managed policy, which allows writing to any log group.
    this.logGroup.grantWrite(this.role);
    this.pixelLayer = new PixelLayer(this, 'PixelLayer');
  }

  create(scope: Construct, id: string, options: ServerFunctionOptions): NodejsFunction {
    const withSwaggerUi = options.assets === 'swagger-ui';
    const withViewer = options.assets === 'viewer';
    const fn = new NodejsFunction(scope, id, {
      entry: join(REPO_ROOT, options.handler),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      // x86_64 matches the linux-x64 binaries of the pixel layer (sharp/libvips).
      architecture: Architecture.X86_64,
      memorySize: options.memoryMb,
      timeout: Duration.seconds(options.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      // Every function: functions/common/services.ts imports the pixel code for all (docs/deployment.md).
      layers: [this.pixelLayer.layer],
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...this.props.configEnvironment,
        NODE_OPTIONS: '--enable-source-maps',
        ...(withSwaggerUi ? { [SWAGGER_UI_DIR_ENV]: `/var/task/${SWAGGER_UI_BUNDLE_DIR}` } : {}),
        ...(withViewer ? { [VIEWER_ASSETS_DIR_ENV]: `/var/task/${VIEWER_ASSETS_BUNDLE_DIR}` } : {}),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: NODE_TARGET,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // The SDK versions the code was tested with, not whichever the runtime carries today.
        bundleAwsSDK: true,
        // Native and WebAssembly modules cannot be bundled; they come from the pixel layer.
        externalModules: [...PIXEL_LAYER_MODULES],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        forceDockerBundling: false,
        // esbuild's size report for each of ~50 bundles is noise; warnings and errors still show.
        logLevel: LogLevel.WARNING,
        ...(withSwaggerUi ? { commandHooks: copySwaggerUi() } : {}),
        ...(withViewer ? { commandHooks: copyViewerAssets() } : {}),
      },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is the project runtime: the code must also run on the Node 20/22 of the embedded `npm start` ' +
        'server; moving to a newer runtime is a deliberate, tested change.',
    });
    return fn;
  }
}

/** Copies the Swagger UI files from node_modules next to the bundle (POSIX shell: Linux, macOS, WSL). */
function copySwaggerUi(): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      `mkdir -p "${outputDir}/${SWAGGER_UI_BUNDLE_DIR}"`,
      ...Object.keys(SWAGGER_UI_FILES).map(
        (file) => `cp "${inputDir}/node_modules/swagger-ui-dist/${file}" "${outputDir}/${SWAGGER_UI_BUNDLE_DIR}/"`,
      ),
    ],
  };
}

/** Copies OpenSeadragon (script and button images) and our page files next to the bundle, into one folder. */
function copyViewerAssets(): ICommandHooks {
  const dir = VIEWER_ASSETS_BUNDLE_DIR;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => {
      const osd = `${inputDir}/node_modules/openseadragon/build/openseadragon`;
      return [
        `mkdir -p "${outputDir}/${dir}"`,
        `cp "${osd}/${OSD_SCRIPT}" "${outputDir}/${dir}/"`,
        ...OSD_IMAGES.map((file) => `cp "${osd}/images/${file}" "${outputDir}/${dir}/${OSD_IMAGE_PREFIX}${file}"`),
        ...Object.keys(OWN_ASSETS).map(
          (file) => `cp "${inputDir}/functions/web/assets/${file}" "${outputDir}/${dir}/"`,
        ),
      ];
    },
  };
}
