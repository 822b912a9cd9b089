import { join } from 'node:path';
import { type CfnElement, Duration, Fn, NestedStack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { consoleDist, inputsFileName } from '../../console/build';
import { contentSecurityPolicy } from '../../console/headers';

export interface ConsoleSiteProps {
  /** The merchant HTTP API's URL: `/v1/*` on the console's origin goes there. */
  apiUrl: string;
  /** Origins the console sends files to by presigned URL (the imports bucket's): allowed by its CSP. */
  uploadOrigins: string[];
  /** A domain of the merchant's own, with its ACM certificate (in us-east-1); the CloudFront domain otherwise. */
  domain?: { name: string; certificate: ICertificate };
}

const privateBucket = {
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
};

/** Days the console's access logs are kept, as the backend's are. */
const accessLogDays = 365;

// A page of the single-page app has no file extension: CloudFront answers it with index.html, whose
// router shows the page. Error responses cannot do this: they would also replace the API's 404s.
const singlePageApp = `function handler(event) {
  var request = event.request;
  var slash = request.uri.lastIndexOf('/');
  if (request.uri.indexOf('.', slash) === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The merchant console: its built files (console/dist) in a private bucket behind CloudFront, with
 * `/v1/*` on the same origin going to the merchant API uncached, so the console and the API share an
 * origin and the session cookie stays SameSite=Strict. A nested stack, deployed with the backend: its
 * resources (and CDK's deployment function) count against a template of their own, not against the
 * backend's 500.
 */
export class ConsoleSite extends NestedStack {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id, { description: 'mcrm merchant console: files, CloudFront and their deployment' });
    // S3 delivers the files bucket's access logs by a bucket policy limited to that bucket.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    // Who read which file, from CloudFront and from S3 both. CloudFront's standard logs are delivered
    // under an ACL grant, so this bucket keeps ACLs enabled.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucket,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(accessLogDays) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This is the console's access-log bucket: logging it would only log S3's own log deliveries.",
    });
    this.bucket = new Bucket(this, 'Files', {
      ...privateBucket,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 's3/',
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.uploadOrigins),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const api = new HttpOrigin(Fn.select(2, Fn.split('/', props.apiUrl)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'mcrm merchant console, with the merchant API under /v1/',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(props.domain && {
        domainNames: [props.domain.name],
        certificate: props.domain.certificate,
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new EdgeFunction(this, 'SinglePageApp', {
              code: FunctionCode.fromInline(singlePageApp),
              runtime: FunctionRuntime.JS_2_0,
            }),
          },
        ],
      },
      additionalBehaviors: {
        // Every answer is a merchant's own data: never cached, the viewer's headers, cookies and
        // query string passed on, except Host (API Gateway answers to its own name).
        '/v1/*': {
          origin: api,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
        },
      },
      enableLogging: true,
      logBucket: this.accessLogs,
      logFilePrefix: 'cloudfront/',
    });
    this.acknowledgeDistribution(props.domain !== undefined);
    this.deployFiles();
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Files named by their content's hash (assets/) are cached for a year and kept after a deployment,
   * for pages still open on the previous one; the others, index.html first, are asked again on every
   * load, so a deployment shows at once without invalidating CloudFront's cache.
   */
  private deployFiles(): void {
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(join(consoleDist, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [Source.asset(consoleDist, { exclude: ['assets', inputsFileName] })],
      destinationBucket: this.bucket,
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
      prune: true,
    });
    // index.html names the assets: it goes out once they are there.
    pages.node.addDependency(assets);
    this.acknowledgeDeploymentHandler();
  }

  private acknowledgeDistribution(ownDomain: boolean): void {
    const validations = Validations.of(this.distribution);
    validations.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Merchants and their staff sign in from wherever they are; the API authenticates every call, ' +
        'so there is no country to refuse.',
    });
    validations.acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        "A web ACL for CloudFront must be created in us-east-1, outside this stack's region; the API " +
        'behind /v1/ throttles each key and the stage, and the console is static files.',
    });
    if (!ownDomain) {
      validations.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a domain of its own (context consoleDomain and consoleCertificateArn) the distribution ' +
          "serves CloudFront's default certificate, whose TLS policy CloudFront sets; with one, it requires " +
          'TLS 1.2 (TLSv1.2_2021).',
      });
    }
  }

  /**
   * CDK copies the files with a function of its own, one per stack (this one), which runs only while deploying:
   * its runtime, role and policy are CDK's, not ours to choose.
   */
  private acknowledgeDeploymentHandler(): void {
    const handler = this.node.tryFindChild('Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C');
    if (!handler) return;
    const validations = Validations.of(handler);
    validations.acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "CDK's bucket-deployment function writes its logs with AWS's basic execution policy.",
    });
    const wildcards = [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::<${this.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`,
    ];
    for (const wildcard of wildcards) {
      validations.acknowledge({
        id: `AwsSolutions-IAM5[${wildcard}]`,
        reason:
          "CDK's bucket-deployment function syncs the files: it reads the CDK asset bucket and reads, writes " +
          "and deletes objects in this console's bucket only, with the action groups CDK grants for that.",
      });
    }
    validations.acknowledge({
      id: 'AwsSolutions-L1',
      reason: "The bucket-deployment function's runtime is the one this aws-cdk-lib release ships it with.",
    });
  }
}
