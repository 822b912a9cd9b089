import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../console/headers';
import { createApp } from '../../infra/app';
import type { McrmStack } from '../../infra/stack';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Behavior = Record<string, unknown>;
type Origin = Record<string, unknown> & { Id: string };

/** AWS's managed CloudFront policies, by the ids CloudFront gives them. */
const managed = {
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
};

// The functions' bundles do not matter here: skipping them makes synthesis take seconds.
const noBundling = { 'aws:cdk:bundling-stacks': [] };

/** The app, the backend's template and the console's own (a nested stack's). */
function synth(context: Record<string, unknown> = {}) {
  const { app, stack } = createApp({ context: { ...noBundling, ...context } });
  return { app, stack, parent: Template.fromStack(stack), template: Template.fromStack(stack.console) };
}

let stack: McrmStack;
let parent: Template;
let template: Template;
let app: ReturnType<typeof createApp>['app'];
const idOf = (construct: IConstruct) => stack.console.getLogicalId(construct.node.defaultChild as CfnElement);
const idOfBackend = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const resource = (construct: IConstruct) => template.toJSON().Resources[idOf(construct)] as Resource;
/** What the backend passes the console's stack for one of its parameters. */
function passed(parameter: string): unknown {
  const [nested] = Object.values(parent.findResources('AWS::CloudFormation::Stack')) as Resource[];
  if (!nested) throw new Error("the backend's template has no nested stack");
  return (nested.Properties.Parameters as Record<string, unknown>)[parameter];
}
const distribution = () =>
  resource(stack.console.distribution).Properties.DistributionConfig as Record<string, unknown> & {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: Origin[];
  };
const originOf = (behavior: Behavior) => distribution().Origins.find((o) => o.Id === behavior.TargetOriginId);

beforeAll(() => {
  ({ app, stack, parent, template } = synth());
}, 120_000);

describe('console files', () => {
  it('are kept in a private, encrypted, TLS-only bucket that logs its access, in a stack of their own', () => {
    parent.resourceCountIs('AWS::CloudFormation::Stack', 1);
    expect(resource(stack.console.bucket).Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: idOf(stack.console.accessLogs) },
        LogFilePrefix: 's3/',
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: idOf(stack.console.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('are read by this distribution alone, through its origin access control', () => {
    const bucketPolicy = Object.values(
      template.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: idOf(stack.console.bucket) } },
      }),
    )[0] as Resource;
    const allows = (
      bucketPolicy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
    });
    expect(JSON.stringify(allows[0]?.Condition)).toContain(
      `":distribution/",${JSON.stringify({ Ref: idOf(stack.console.distribution) })}`,
    );
    const s3 = originOf(distribution().DefaultCacheBehavior);
    expect(s3).toMatchObject({
      DomainName: { 'Fn::GetAtt': [idOf(stack.console.bucket), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
  });

  it('deploy hashed assets cached for a year and kept for open pages, the rest revalidated and pruned', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')).map(
      (d) => (d as Resource).Properties,
    );
    expect(deployments).toEqual([
      expect.objectContaining({
        DestinationBucketName: { Ref: idOf(stack.console.bucket) },
        DestinationBucketKeyPrefix: 'assets/',
        Prune: false,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      }),
      expect.objectContaining({
        DestinationBucketName: { Ref: idOf(stack.console.bucket) },
        Exclude: ['assets/*'],
        Prune: true,
        SystemMetadata: { 'cache-control': 'no-cache' },
      }),
    ]);
  });
});

describe('console distribution', () => {
  it('serves index.html at / and redirects HTTP to HTTPS, cached by the managed optimized policy', () => {
    expect(distribution()).toMatchObject({
      DefaultRootObject: 'index.html',
      HttpVersion: 'http2and3',
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        CachePolicyId: managed.cachingOptimized,
        Compress: true,
      },
    });
  });

  it('routes /v1/* to the merchant API over TLS 1.2, uncached, with every viewer header but Host', () => {
    const [api] = distribution().CacheBehaviors;
    expect(distribution().CacheBehaviors).toHaveLength(1);
    expect(api).toMatchObject({
      PathPattern: '/v1/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: managed.cachingDisabled,
      OriginRequestPolicyId: managed.allViewerExceptHostHeader,
    });
    expect(originOf(api as Behavior)).toMatchObject({
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', expect.anything()] }] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    // The API's own host, https://<api id>.execute-api.<region>.<suffix>/, with the id the backend passes.
    const host = JSON.stringify(originOf(api as Behavior)?.DomainName);
    const parameters = Object.keys(template.toJSON().Parameters ?? {});
    const apiId = parameters.find((parameter) => host.includes(JSON.stringify({ Ref: parameter })));
    expect(host).toContain('.execute-api.');
    expect(passed(apiId ?? '')).toEqual({
      Ref: stack.getLogicalId(stack.api.node.findChild('HttpApi').node.defaultChild as CfnElement),
    });
  });

  it('answers every page of the app with index.html, and files and the API as they are', () => {
    const [association] = distribution().DefaultCacheBehavior.FunctionAssociations as {
      EventType: string;
      FunctionARN: { 'Fn::GetAtt': [string, string] };
    }[];
    expect(association?.EventType).toBe('viewer-request');
    const fn = template.toJSON().Resources[association?.FunctionARN['Fn::GetAtt'][0] ?? ''] as Resource;
    expect(fn.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const served = (uri: string) => handler({ request: { uri } }).uri;
    expect(served('/')).toBe('/index.html');
    expect(served('/members')).toBe('/index.html');
    expect(served('/members/+8613800138000')).toBe('/index.html');
    expect(served('/assets/index-Ab12.js')).toBe('/assets/index-Ab12.js');
    expect(served('/favicon.svg')).toBe('/favicon.svg');
    expect(distribution().CustomErrorResponses).toBeUndefined();
  });

  it('sends the security headers npm start sends, with HSTS, on the console and the API alike', () => {
    const policy = distribution().DefaultCacheBehavior.ResponseHeadersPolicyId;
    expect(distribution().CacheBehaviors[0]?.ResponseHeadersPolicyId).toEqual(policy);
    const config = (template.toJSON().Resources[(policy as { Ref: string }).Ref] as Resource).Properties
      .ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> };
    const headers = config.SecurityHeadersConfig;
    // The page may connect to its own origin and to the imports bucket, where it uploads files.
    const csp = headers.ContentSecurityPolicy?.ContentSecurityPolicy as { 'Fn::Join': [string, unknown[]] };
    const [parameter] = Object.entries(template.toJSON().Parameters ?? {}).filter(([name]) =>
      JSON.stringify(csp).includes(JSON.stringify({ Ref: name })),
    );
    expect(passed(parameter?.[0] ?? '')).toEqual({
      'Fn::GetAtt': [idOfBackend(stack.storage.buckets.imports), 'RegionalDomainName'],
    });
    expect(csp['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<bucket>')).join('')).toBe(
      securityHeaders(['https://<bucket>'])['content-security-policy'],
    );
    const { 'x-frame-options': frameOption, 'referrer-policy': referrerPolicy } = securityHeaders([]);
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions?.FrameOption).toBe(frameOption);
    expect(headers.ReferrerPolicy?.ReferrerPolicy).toBe(referrerPolicy);
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 2 * 365 * 24 * 3600,
      IncludeSubdomains: true,
      Override: true,
    });
  });

  it("logs access to the console's log bucket, kept a year, which S3 writes to for the files bucket only", () => {
    expect(distribution().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [idOf(stack.console.accessLogs), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    expect(resource(stack.console.accessLogs).Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 365, Status: 'Enabled' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: idOf(stack.console.accessLogs) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: Match.objectLike({
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(stack.console.bucket), 'Arn'] } },
            }),
          }),
        ]),
      },
    });
  });

  it("uses CloudFront's own domain and certificate when given none, and outputs the console's URL", () => {
    expect(distribution().Aliases).toBeUndefined();
    expect(distribution().ViewerCertificate).toBeUndefined();
    // The console's stack outputs its domain; the backend's makes the URL of it.
    const [output] = Object.values(template.toJSON().Outputs ?? {}) as { Value: unknown }[];
    expect(output?.Value).toEqual({ 'Fn::GetAtt': [idOf(stack.console.distribution), 'DomainName'] });
    parent.hasOutput('ConsoleUrl', {
      Value: {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [Match.anyValue(), Match.stringLikeRegexp('^Outputs[.]')] }],
        ],
      },
    });
  });

  it('AwsSolutions finds nothing unacknowledged in the console or the function that deploys it', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(app);
    expect(
      violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
    ).toEqual([]);
  });
});

describe('console on a domain of its own', () => {
  const certificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/console';
  let own: ReturnType<typeof synth>;
  beforeAll(() => {
    own = synth({ consoleDomain: 'console.example.cn', consoleCertificateArn: certificateArn });
  }, 120_000);

  it('answers on the domain with its certificate, TLS 1.2 or later only', () => {
    const config = (
      own.template.toJSON().Resources[
        own.stack.console.getLogicalId(own.stack.console.distribution.node.defaultChild as CfnElement)
      ] as Resource
    ).Properties.DistributionConfig;
    expect(config).toMatchObject({
      Aliases: ['console.example.cn'],
      ViewerCertificate: {
        AcmCertificateArn: certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    own.parent.hasOutput('ConsoleUrl', { Value: 'https://console.example.cn' });
  });

  it('needs no acknowledgement of the default certificate', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(own.app);
    expect(violations).toEqual([]);
  });

  it('refuses a domain without its certificate', () => {
    expect(() => createApp({ context: { ...noBundling, consoleDomain: 'console.example.cn' } })).toThrow(
      /consoleDomain and consoleCertificateArn go together/,
    );
  });
});
