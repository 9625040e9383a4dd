import { Duration, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, VpcOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../functions/routes/manifest.js';
import { largeBodyRoutes } from '../../functions/tus/large-body-routes.js';
import { TUS_PATH } from '../../functions/tus/tus-server.js';
import type { DeploymentEnvironment } from '../environments.js';
import { pathCaseFunctionCode } from '../path-case-function.js';

export interface FrontDoorProps {
  environment: DeploymentEnvironment;
  /** The HTTP API's execute-api hostname. */
  apiDomainName: string;
  tusLoadBalancer: IApplicationLoadBalancer;
  logBucket: IBucket;
  routes?: readonly RouteDefinition[];
}

/** Path patterns of the behaviours, exported for tests and docs. */
export const TUS_PATH_PATTERNS = [TUS_PATH, `${TUS_PATH}/*`];
export const SWAGGER_ASSETS_PATH_PATTERN = '/swagger/assets/*';

/**
 * Behaviours that send a large-body route (`maxBodyMb` over Lambda's limit) to the container service. CloudFront
 * picks a behaviour before any function runs and its patterns respect case, so each route gets the manifest's
 * spelling (what the SDK sends) and the lower-case one; another spelling reaches the route's Lambda function,
 * which takes bodies up to DEFAULT_BODY_MB.
 */
export function largeBodyPathPatterns(routes: readonly RouteDefinition[] = ROUTES): string[] {
  // A path parameter ({imageId}) becomes CloudFront's wildcard.
  const patterns = largeBodyRoutes(routes).map((route) => route.path.replace(/\{\w+\}/g, '*'));
  return [...new Set(patterns.flatMap((pattern) => [pattern, pattern.toLowerCase()]))];
}

/**
 * The one hostname clients see. Slide Score clients derive the upload URL from the API URL (`/Api/` →
 * `/files/`), so the API and the tus server must share a host: CloudFront sends `/files*` and the large-body
 * routes to the container service's load balancer (a VPC origin, the ALB stays internal) and everything else
 * to the HTTP API, after a viewer-request
 * function has put the path in the manifest's case (API Gateway paths are case-sensitive, Slide Score's are not).
 */
export class FrontDoor extends Construct {
  readonly distribution: Distribution;
  readonly pathCaseFunction: CloudFrontFunction;
  /** `https://<host>/`, what clients are given as the server URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    const { environment } = props;

    this.pathCaseFunction = new CloudFrontFunction(this, 'PathCase', {
      code: FunctionCode.fromInline(pathCaseFunctionCode(props.routes ?? ROUTES)),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Rewrites literal path segments to the route manifest case',
    });
    const functionAssociations = [{ function: this.pathCaseFunction, eventType: FunctionEventType.VIEWER_REQUEST }];

    const api = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // API Gateway gives up after 30 s anyway.
      readTimeout: Duration.seconds(30),
    });
    const tus = VpcOrigin.withApplicationLoadBalancer(props.tusLoadBalancer, {
      // Inside the VPC, from CloudFront's ENIs to an internal ALB without a certificate of its own.
      protocolPolicy: OriginProtocolPolicy.HTTP_ONLY,
      httpPort: 80,
      readTimeout: Duration.seconds(60),
    });

    const tusBehavior: BehaviorOptions = {
      origin: tus,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // The tus server builds absolute Location URLs from the viewer's Host and CloudFront-Forwarded-Proto.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022,
      compress: false,
    };

    const certificate = environment.domain
      ? Certificate.fromCertificateArn(this, 'Certificate', environment.domain.certificateArn)
      : undefined;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Slide Score ${environment.name}: API and tus uploads on one hostname`,
      defaultBehavior: {
        origin: api,
        // HTTPS only rather than a redirect: a redirected POST would silently become a GET.
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // API Gateway routes on its own Host header, so the viewer's must not be forwarded.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        functionAssociations,
      },
      additionalBehaviors: {
        ...Object.fromEntries(TUS_PATH_PATTERNS.map((pattern) => [pattern, tusBehavior])),
        // Bodies of up to 100 MB (UploadResults, UploadASAPAnnotations): the container runs the same handlers.
        ...Object.fromEntries(largeBodyPathPatterns(props.routes).map((pattern) => [pattern, tusBehavior])),
        // Swagger UI's scripts and styles never change within a deployment: cache them at the edge.
        [SWAGGER_ASSETS_PATH_PATTERN]: {
          origin: api,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          compress: true,
          functionAssociations,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: environment.production ? PriceClass.PRICE_CLASS_ALL : PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(environment.domain && certificate
        ? {
            domainNames: [environment.domain.name],
            certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(environment.webAclArn ? { webAclId: environment.webAclArn } : {}),
    });

    const host = environment.domain?.name ?? this.distribution.distributionDomainName;
    this.url = `https://${host}/`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Research users and their scripts work from any country; there is no region to restrict to.',
    });
    if (!environment.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'Every request needs a bearer token checked by the API; a WAF web ACL (us-east-1) can be attached with ' +
          '-c webAclArn=… where its cost is justified.',
      });
    }
    if (!environment.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose TLS policy CloudFront ' +
          'sets; -c domainName=… -c certificateArn=… enables TLSv1.2_2021.',
      });
    }
  }
}
