import { Fn, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NOT_FOUND_ROUTE, ROUTE_AREAS, type RouteDefinition } from '../../functions/routes/manifest.js';
import type { DeploymentEnvironment } from '../environments.js';
import type { ServerFunctions } from './server-functions.js';

export interface ApiProps {
  environment: DeploymentEnvironment;
  functions: ServerFunctions;
  /** The route tables by area (default: the manifest's); each area is one nested stack. */
  areas?: Readonly<Record<string, readonly RouteDefinition[]>>;
}

/**
 * The HTTP API: one Lambda function per manifest entry, one route per (entry, method), and the not-found
 * function as the `$default` route for every request no route matches. Each area's functions, integrations,
 * permissions and routes live in a nested stack of their own (about five resources a route, against
 * CloudFormation's 500 per stack); the API, its stage and the shared role, log group and layer stay here.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** By route id, plus NOT_FOUND_ROUTE.id. */
  readonly functions = new Map<string, NodejsFunction>();
  /** `execute-api` hostname, the CloudFront origin. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const notFound = props.functions.create(this, `${NOT_FOUND_ROUTE.id}Function`, NOT_FOUND_ROUTE);
    this.functions.set(NOT_FOUND_ROUTE.id, notFound);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `SlideScore-${props.environment.name}`,
      description: 'Slide Score compatible API (reached through CloudFront, which fixes the case of paths)',
      defaultIntegration: integration(NOT_FOUND_ROUTE.id, notFound),
      // The stage below replaces the default one, to add access logging.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.environment.logRetention,
      removalPolicy: props.environment.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });

    const areas: Readonly<Record<string, readonly RouteDefinition[]>> = props.areas ?? ROUTE_AREAS;
    for (const [area, routes] of Object.entries(areas)) {
      const stack = new NestedStack(this, `${area.charAt(0).toUpperCase()}${area.slice(1)}Routes`, {
        description: `Slide Score API: the ${area} routes`,
      });
      for (const route of routes) {
        const fn = props.functions.create(stack, `${route.id}Function`, route);
        this.functions.set(route.id, fn);
        const target = integration(route.id, fn);
        for (const method of route.methods) {
          new HttpRoute(stack, `${route.id}${method}`, {
            httpApi: this.httpApi,
            routeKey: HttpRouteKey.with(route.path, HttpMethod[method]),
            integration: target,
          });
        }
      }
    }

    // `https://<id>.execute-api.<region>.amazonaws.com` → the hostname alone.
    this.domainName = Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The API uses Slide Score bearer tokens, checked in each function by the middy pipeline (signature, expiry, ' +
        'revocation, the capability the manifest names); an API Gateway authorizer would repeat that check at the ' +
        'cost of an extra invocation per call. Swagger, not-found and GiveupToken are public by design.',
    });
  }
}

/**
 * One integration per function, reused by its GET and POST routes, with one API-wide invoke permission per
 * function instead of one per route: fewer resources in a stack that grows with the manifest.
 */
function integration(id: string, fn: NodejsFunction): HttpLambdaIntegration {
  return new HttpLambdaIntegration(`${id}Integration`, fn, { scopePermissionToRoute: false });
}
