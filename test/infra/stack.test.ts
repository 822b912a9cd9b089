import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT, VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { bundleCompanions, bundleFileName, bundleOptions } from '../../infra/bundling';
import { pascalCase } from '../../infra/naming';
import type { McrmStack } from '../../infra/stack';
import {
  type BucketKey,
  buckets,
  eventBus,
  type FunctionDefinition,
  type FunctionName,
  functions,
  httpRoutes,
  type QueueKey,
  queues,
  type ScheduleAction,
  type ScheduleGroupDefinition,
  type ScheduleGroupKey,
  scheduleGroups,
  settings,
  smsProviders,
  type TableKey,
  type TopicKey,
  type Trigger,
  tables,
  topics,
} from '../../shared/resources';
import { receiptEventTypes } from '../../shared/schemas/sms-event';
import { secretsIn } from '../unit/secrets';
import { describeOperations } from './operations-checks';

type Resource = { Type: string; Properties: Record<string, unknown> } & Record<string, unknown>;
type Statement = { Action: string | string[]; Resource: unknown };
type GetAtt = { 'Fn::GetAtt': [string, string] };
type RuleTarget = {
  RetryPolicy?: unknown;
  DeadLetterConfig?: { Arn: unknown };
};

const smsConfigurationSet = 'mcrm-test';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const functionNames = Object.keys(functions) as FunctionName[];
const tableKeys = Object.keys(tables) as TableKey[];
const writeActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

let app: ReturnType<typeof createApp>['app'];
let stack: McrmStack;
let template: Template;
let assemblyDir: string;

const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const resource = (construct: IConstruct) => template.toJSON().Resources[idOf(construct)] as Resource;
const ref = (construct: IConstruct) => ({ Ref: idOf(construct) });
const fnOf = (name: FunctionName) => stack.functions.byName[name];

/** Every IAM statement attached to the function's role. */
function statementsOf(name: FunctionName): Statement[] {
  const role = fnOf(name).role;
  if (!role) throw new Error(`${name} has no role`);
  return roleStatements(role);
}

/**
 * Every IAM statement of the policies attached to a role: its inline policy, and the managed policies
 * CDK moves statements to once the inline one would pass IAM's size limit.
 */
function roleStatements(role: IConstruct): Statement[] {
  const attached = { Properties: { Roles: Match.arrayWith([ref(role)]) } };
  const policies = [
    ...Object.values(template.findResources('AWS::IAM::Policy', attached)),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy', attached)),
  ];
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** Actions the function's role is granted on the resource with this logical id. */
function actionsOn(name: FunctionName, logicalId: string): string[] {
  const arn = JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  return statementsOf(name)
    .filter((s) => JSON.stringify(s.Resource).includes(arn))
    .flatMap((s) => [s.Action].flat());
}

/** The logical id an `Fn::GetAtt [id, 'Arn']` points at. */
function targetOf(arn: unknown): string {
  const [id, attribute] = (arn as GetAtt)['Fn::GetAtt'];
  expect(attribute).toBe('Arn');
  return id;
}

/** A dead-letter queue keeps messages the longest SQS allows, encrypted, over TLS only. */
function expectDeadLetterQueue(logicalId: string): void {
  expect(template.toJSON().Resources[logicalId]).toMatchObject({
    Type: 'AWS::SQS::Queue',
    Properties: { MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true },
  });
  expectTlsOnly(logicalId);
}

function expectTlsOnly(queueLogicalId: string): void {
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: queueLogicalId }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
}

beforeAll(() => {
  ({ app, stack } = createApp({
    context: {
      smsConfigurationSet,
      // Keep synthesis going so the cdk-nag findings land in the report the test reads below.
      [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false,
    },
  }));
  const assembly = app.synth();
  assemblyDir = assembly.directory;
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
}, 120_000);

afterAll(() => rmSync(assemblyDir, { recursive: true, force: true }));

describeOperations(() => ({ stack, template }));

describe('tables', () => {
  it.each(tableKeys)('%s is on-demand, recoverable, protected from deletion and retained', (key) => {
    const def = tables[key];
    const keySchema: { AttributeName: string; KeyType: string }[] = [
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
    ];
    if ('sortKey' in def) keySchema.push({ AttributeName: def.sortKey, KeyType: 'RANGE' });
    const table = resource(stack.data.tables[key]);
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: keySchema,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      },
    });
    expect(table.Properties.TimeToLiveSpecification).toEqual(
      'timeToLiveAttribute' in def ? { AttributeName: def.timeToLiveAttribute, Enabled: true } : undefined,
    );
  });

  it.each([
    ['retention', 'Retention'],
    ['engagement', 'Engagement'],
  ] as const)('deploys the %s table as %s, keyed pk + sk, recoverable and protected', (key, name) => {
    const table = stack.data.tables[key];
    expect(table.node.id).toBe(name);
    expect(resource(table)).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it('declares no tables beyond shared/resources/tables.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', tableKeys.length);
  });

  it("indexes a merchant's members by tier and by tag in one index, so a filtered list reads only them", () => {
    expect(resource(stack.data.tables.members).Properties.GlobalSecondaryIndexes).toContainEqual({
      IndexName: 'byTierOrTag',
      KeySchema: [
        { AttributeName: 'filterPk', KeyType: 'HASH' },
        { AttributeName: 'listSk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
  });

  it("indexes the Directory's API keys and staff by merchant, so a merchant's keys and staff are listed without a scan", () => {
    expect(resource(stack.data.tables.directory).Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'keysByMerchant',
        KeySchema: [
          { AttributeName: 'merchantId', KeyType: 'HASH' },
          { AttributeName: 'keyId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'staffByMerchant',
        KeySchema: [
          { AttributeName: 'merchantId', KeyType: 'HASH' },
          { AttributeName: 'staffId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('indexes the audit log by who made each change, and keeps sessions and audit entries only until they expire', () => {
    expect(resource(stack.data.tables.audit).Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byActor',
        KeySchema: [
          { AttributeName: 'actorPk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    for (const table of [stack.data.tables.audit, stack.data.tables.sessions]) {
      expect(resource(table).Properties.TimeToLiveSpecification).toEqual({
        AttributeName: 'expiresAt',
        Enabled: true,
      });
    }
  });
});

describe('messaging', () => {
  it.each(Object.keys(queues) as QueueKey[])('%s queue redrives to a 14-day DLQ and requires TLS', (key) => {
    const def = queues[key];
    const queue = resource(stack.messaging.queues[key]);
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: def.visibilityTimeoutSeconds,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: def.maxReceiveCount },
    });
    expectTlsOnly(idOf(stack.messaging.queues[key]));
    expectDeadLetterQueue(
      targetOf((queue.Properties.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn),
    );
  });

  it('creates the event bus under its declared name', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: eventBus.name });
  });

  it.each(Object.keys(topics) as TopicKey[])(
    'encrypts the %s topic, lets only End User Messaging SMS publish, and outputs its ARN',
    (key) => {
      const topic = stack.messaging.topics[key];
      expect(resource(topic).Properties.KmsMasterKeyId).toBeDefined();
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(topic)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'sms-voice.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              }),
            }),
          ]),
        },
      });
      template.hasOutput(`${pascalCase(key)}TopicArn`, { Value: ref(topic) });
    },
  );
});

describe('delivery receipts', () => {
  it('creates the SMS configuration set, publishing every final delivery outcome to sms-events', () => {
    template.resourceCountIs('AWS::SMSVOICE::ConfigurationSet', 1);
    template.hasResourceProperties('AWS::SMSVOICE::ConfigurationSet', {
      ConfigurationSetName: smsConfigurationSet,
      EventDestinations: [
        {
          EventDestinationName: 'sms-events',
          Enabled: true,
          MatchingEventTypes: [...receiptEventTypes],
          SnsDestination: { TopicArn: ref(stack.messaging.smsEventsTopic) },
        },
      ],
    });
  });

  it('lets delivery-receipts touch only messages, campaigns (stats), members (complaints) and the outbox', () => {
    const tablesTouched = statementsOf('delivery-receipts')
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')))
      .flatMap((s) => [s.Resource].flat())
      .map((arn) => JSON.stringify(arn));
    const allowed = (['messages', 'campaigns', 'members', 'outbox'] as TableKey[]).map((key) =>
      JSON.stringify({ 'Fn::GetAtt': [idOf(stack.data.tables[key]), 'Arn'] }),
    );
    expect(tablesTouched.length).toBeGreaterThan(0);
    for (const arn of tablesTouched)
      expect(
        allowed.some((table) => arn.includes(table)),
        arn,
      ).toBe(true);
    const actions = statementsOf('delivery-receipts').flatMap((s) => [s.Action].flat());
    // Not the bus: member.complained, for a carrier's spam verdict, is committed to the outbox.
    expect(actions.filter((a) => !/^(dynamodb|logs|xray|sqs):/.test(a))).toEqual([]);
    // Queues: only its own dead-letter queue of failed invocations.
    const [invokeConfig] = Object.values(
      template.findResources('AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: ref(fnOf('delivery-receipts')) },
      }),
    );
    const failedDlq = targetOf(invokeConfig?.Properties.DestinationConfig?.OnFailure?.Destination);
    const queuesTouched = statementsOf('delivery-receipts')
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('sqs:')))
      .map((s) => s.Resource);
    expect(queuesTouched).toEqual([{ 'Fn::GetAtt': [failedDlq, 'Arn'] }]);
  });
});

describe('storage', () => {
  const bucketKeys = Object.keys(buckets) as BucketKey[];
  const privateBucket = {
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
  };
  const expectTlsOnlyBucket = (logicalId: string) =>
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });

  it.each(bucketKeys)('%s is private, encrypted, TLS only, access-logged and emptied as declared', (key) => {
    const def = buckets[key];
    expect(resource(stack.storage.buckets[key]).Properties).toMatchObject({
      ...privateBucket,
      // The console uploads by presigned URL from its own origin.
      CorsConfiguration: {
        CorsRules: [
          { AllowedMethods: ['PUT'], AllowedOrigins: ['*'], AllowedHeaders: ['content-type'], MaxAge: 3600 },
        ],
      },
      LifecycleConfiguration: {
        Rules: [
          {
            Status: 'Enabled',
            ExpirationInDays: def.expireAfterDays,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: ref(stack.storage.accessLogs),
        LogFilePrefix: `${def.name}/`,
      },
    });
    expectTlsOnlyBucket(idOf(stack.storage.buckets[key]));
  });

  it.each(bucketKeys)(
    '%s announces objects created under its upload prefix on its queue, and only there',
    (key) => {
      const def = buckets[key];
      const queue = stack.messaging.queues[def.notifies];
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: ref(stack.storage.buckets[key]),
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: def.uploadPrefix }] } },
              QueueArn: { 'Fn::GetAtt': [idOf(queue), 'Arn'] },
            },
          ],
        },
      });
      // The queue takes S3's messages from this bucket alone.
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: Match.arrayWith(['sqs:SendMessage']),
              Condition: {
                ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(stack.storage.buckets[key]), 'Arn'] } },
              },
            }),
          ]),
        },
      });
    },
  );

  it('keeps access logs a year in a private bucket that only S3 log delivery from these buckets writes to', () => {
    const logs = idOf(stack.storage.accessLogs);
    expect(resource(stack.storage.accessLogs).Properties).toMatchObject({
      ...privateBucket,
      LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 365 }] },
    });
    expectTlsOnlyBucket(logs);
    for (const key of bucketKeys) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logs },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: {
                ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(stack.storage.buckets[key]), 'Arn'] } },
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              },
            }),
          ]),
        },
      });
    }
    template.resourceCountIs('AWS::S3::Bucket', bucketKeys.length + 1);
  });
});

describe('functions', () => {
  it.each(functionNames)('%s is an arm64 nodejs22.x function as declared', (name) => {
    const def = functions[name];
    expect(resource(fnOf(name)).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: def.memoryMb,
      Timeout: def.timeoutSeconds,
      TracingConfig: { Mode: 'Active' },
    });
  });

  it.each(functionNames)('%s gets exactly the environment its declaration implies', (name) => {
    const def = functions[name];
    const expected: Record<string, unknown> = {
      [settings.serviceName]: `mcrm-${name}`,
      [settings.logLevel]: 'INFO',
    };
    for (const key of [...def.reads, ...def.writes])
      expected[tables[key].envVar] = ref(stack.data.tables[key]);
    for (const key of def.sendsTo) expected[queues[key].envVar] = ref(stack.messaging.queues[key]);
    const declared: FunctionDefinition = def;
    for (const key of [...(declared.readsBuckets ?? []), ...(declared.presignsUploadsTo ?? [])]) {
      expected[buckets[key].envVar] = ref(stack.storage.buckets[key]);
    }
    if (def.publishesEvents) expected[eventBus.envVar] = ref(stack.messaging.bus);
    for (const [key, actions] of Object.entries(declared.schedules ?? {}) as [
      ScheduleGroupKey,
      ScheduleAction[],
    ][]) {
      if (actions.length === 0) continue;
      const group: ScheduleGroupDefinition = scheduleGroups[key];
      expected[group.groupEnvVar] = group.group;
      expected[group.roleEnvVar] = { 'Fn::GetAtt': [idOf(stack.schedules[key].role), 'Arn'] };
      // The target itself schedules its later invocations to the ARN it was invoked by.
      if (name !== group.target) {
        expected[group.targetEnvVar] = { 'Fn::GetAtt': [idOf(fnOf(group.target as FunctionName)), 'Arn'] };
      }
    }
    if (def.sendsSms) {
      expected[settings.smsProvider] = smsProviders.aws;
      expected[settings.smsConfigurationSet] = smsConfigurationSet;
    }
    if (declared.makesPhoneProofs) expected[settings.phoneProofKey] = phoneProofKeyReference();
    expect(resource(fnOf(name)).Properties.Environment).toEqual({ Variables: expected });
  });

  it.each(functionNames)('%s was bundled by esbuild into an ESM asset', (name) => {
    const code = resource(fnOf(name)).Properties.Code as { S3Key: string };
    const bundle = join(assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, bundleFileName);
    expect(existsSync(bundle)).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toMatch(/^import \{ createRequire \}/);
  });

  // Node does not read the map when the bundle loads; the bundle reads it on its first error.
  it.each(functionNames)('%s ships its source map beside the bundle, not named in it', (name) => {
    const code = resource(fnOf(name)).Properties.Code as { S3Key: string };
    const bundle = join(assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, bundleFileName);
    const { sources } = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
    const handlerFile = functions[name].entry.replace(/index\.ts$/, 'handler.ts');
    expect(sources.some((source) => source.endsWith(`/${handlerFile}`))).toBe(true);
    expect(readFileSync(bundle, 'utf8')).not.toContain('sourceMappingURL');
  });

  // Data the bundle reads beside itself on first use (the phone metadata), not compiled at cold start.
  it.each(functionNames)('%s ships the bundle companions beside the bundle', (name) => {
    const code = resource(fnOf(name)).Properties.Code as { S3Key: string };
    const assetDir = join(assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    for (const file of bundleCompanions) {
      const shipped = join(assetDir, file.slice(file.lastIndexOf('/') + 1));
      expect(readFileSync(shipped, 'utf8')).toBe(readFileSync(join(repoRoot, file), 'utf8'));
    }
  });

  // npm run bench bundles with infra/bundling.ts directly; this keeps it measuring what deploys.
  it.each(functionNames)('%s deploys exactly the bundle infra/bundling.ts builds', async (name) => {
    const code = resource(fnOf(name)).Properties.Code as { S3Key: string };
    const bundle = join(assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, bundleFileName);
    const { outputFiles } = await build({
      ...bundleOptions,
      absWorkingDir: repoRoot,
      entryPoints: [functions[name].entry],
      outfile: join(assemblyDir, 'bundling-check', name, bundleFileName),
      write: false,
    });
    const built = outputFiles.find((file) => file.path.endsWith(bundleFileName));
    expect(built?.text).toBe(readFileSync(bundle, 'utf8'));
  });

  it.each(functionNames)('%s may read and write only the tables it declares', (name) => {
    const def = functions[name];
    for (const table of tableKeys) {
      const granted = actionsOn(name, idOf(stack.data.tables[table]));
      const writes = (def.writes as readonly TableKey[]).includes(table);
      const reads = writes || (def.reads as readonly TableKey[]).includes(table);
      expect(granted.includes('dynamodb:GetItem'), `${name} reads ${table}`).toBe(reads);
      expect(granted.filter((a) => writeActions.includes(a)).sort(), `${name} writes ${table}`).toEqual(
        writes ? [...writeActions].sort() : [],
      );
    }
  });

  it.each(functionNames)('%s may read or write only the upload objects it declares', (name) => {
    const def: FunctionDefinition = functions[name];
    const s3Statements = statementsOf(name).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    const expected = (Object.keys(buckets) as BucketKey[]).flatMap((key) => {
      const objects = {
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [idOf(stack.storage.buckets[key]), 'Arn'] }, `/${buckets[key].uploadPrefix}*`],
        ],
      };
      return [
        ...(def.readsBuckets?.includes(key)
          ? [{ Effect: 'Allow', Action: 's3:GetObject', Resource: objects }]
          : []),
        ...(def.presignsUploadsTo?.includes(key)
          ? [{ Effect: 'Allow', Action: 's3:PutObject', Resource: objects }]
          : []),
      ];
    });
    expect(s3Statements).toEqual(expected);
  });

  it.each(functionNames)('%s may send SMS and publish events only if declared', (name) => {
    const def = functions[name];
    const actions = statementsOf(name).flatMap((s) => [s.Action].flat());
    expect(actions.includes('sms-voice:SendTextMessage')).toBe(def.sendsSms);
    expect(actions.includes('events:PutEvents')).toBe(def.publishesEvents);
    for (const queue of Object.keys(queues) as QueueKey[]) {
      const granted = actionsOn(name, idOf(stack.messaging.queues[queue]));
      expect(granted.includes('sqs:SendMessage'), `${name} sends to ${queue}`).toBe(
        (def.sendsTo as readonly QueueKey[]).includes(queue),
      );
    }
  });
});

describe('triggers', () => {
  const snsSubscribers = functionNames.filter((n) => functions[n].trigger.kind === 'sns');
  /** Functions a rule on the bus invokes: event triggers, and scheduler triggers that also take events. */
  const detailTypesOf = (name: FunctionName): readonly string[] | undefined => {
    const trigger: Trigger = functions[name].trigger;
    return 'detailTypes' in trigger ? trigger.detailTypes : undefined;
  };
  const eventSubscribers = functionNames.filter((n) => detailTypesOf(n));
  const scheduled = functionNames.filter((n) => functions[n].trigger.kind === 'schedule');
  /** The EventBridge rules (by logical id) with the function among their targets. */
  const rulesTargeting = (name: FunctionName) =>
    Object.entries(
      template.findResources('AWS::Events::Rule', {
        Properties: {
          Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [idOf(fnOf(name)), 'Arn'] } })]),
        },
      }),
    ) as [string, Resource][];
  const sqsConsumers = functionNames.flatMap((n) => {
    const trigger: Trigger = functions[n].trigger;
    return trigger.kind === 'sqs' ? [[n, trigger.queue] as const] : [];
  });

  it.each(snsSubscribers)('%s is subscribed to its topic, with a DLQ for what SNS cannot deliver', (name) => {
    const trigger: Trigger = functions[name].trigger;
    if (trigger.kind !== 'sns') throw new Error(`${name} has no sns trigger`);
    const subscriptions = template.findResources('AWS::SNS::Subscription', {
      Properties: {
        Protocol: 'lambda',
        TopicArn: ref(stack.messaging.topics[trigger.topic]),
        Endpoint: { 'Fn::GetAtt': [idOf(fnOf(name)), 'Arn'] },
      },
    });
    const [subscription, ...others] = Object.values(subscriptions);
    expect(others).toEqual([]);
    const dlqId = targetOf(subscription?.Properties.RedrivePolicy?.deadLetterTargetArn);
    expectDeadLetterQueue(dlqId);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': ref(stack.messaging.topics[trigger.topic]) } },
          }),
        ]),
      },
    });
  });

  it.each(snsSubscribers)('%s retries failed invocations twice, then sends them to a DLQ', (name) => {
    const configs = template.findResources('AWS::Lambda::EventInvokeConfig', {
      Properties: { FunctionName: ref(fnOf(name)) },
    });
    const [config, ...others] = Object.values(configs);
    expect(others).toEqual([]);
    expect(config?.Properties).toMatchObject({ Qualifier: '$LATEST', MaximumRetryAttempts: 2 });
    const dlqId = targetOf(config?.Properties.DestinationConfig?.OnFailure?.Destination);
    expectDeadLetterQueue(dlqId);
    expect(actionsOn(name, dlqId)).toContain('sqs:SendMessage');
    // A different queue from the subscription's: the two hold differently shaped records.
    const subscriptionDlq = Object.values(
      template.findResources('AWS::SNS::Subscription', {
        Properties: { Endpoint: { 'Fn::GetAtt': [idOf(fnOf(name)), 'Arn'] } },
      }),
    ).map((s) => targetOf(s.Properties.RedrivePolicy.deadLetterTargetArn));
    expect(subscriptionDlq).not.toContain(dlqId);
  });

  it.each(eventSubscribers)(
    '%s has one rule on the bus for exactly its detail-types, retried for a day, then a DLQ',
    (name) => {
      const detailTypes = detailTypesOf(name) ?? [];
      const rules = rulesTargeting(name);
      expect(rules).toHaveLength(1);
      const [ruleId, rule] = rules[0] as [string, Resource];
      expect(rule.Properties).toMatchObject({
        EventBusName: ref(stack.messaging.bus),
        State: 'ENABLED',
        EventPattern: { source: [eventBus.source], 'detail-type': [...detailTypes] },
      });
      const [target, ...otherTargets] = rule.Properties.Targets as RuleTarget[];
      expect(otherTargets).toEqual([]);
      expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 24 * 3600 });
      const dlqId = targetOf(target?.DeadLetterConfig?.Arn);
      expectDeadLetterQueue(dlqId);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlqId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [idOf(fnOf(name)), 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });
    },
  );

  it.each(eventSubscribers)(
    '%s retries failed invocations twice, then sends them to a DLQ of their own',
    (name) => {
      const configs = template.findResources('AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: ref(fnOf(name)) },
      });
      const [config, ...others] = Object.values(configs);
      expect(others).toEqual([]);
      expect(config?.Properties).toMatchObject({ Qualifier: '$LATEST', MaximumRetryAttempts: 2 });
      const dlqId = targetOf(config?.Properties.DestinationConfig?.OnFailure?.Destination);
      expectDeadLetterQueue(dlqId);
      expect(actionsOn(name, dlqId)).toContain('sqs:SendMessage');
      // Not the rule's: the two hold differently shaped records.
      const ruleDlqs = rulesTargeting(name).flatMap(([, rule]) =>
        (rule.Properties.Targets as RuleTarget[]).map((t) => targetOf(t.DeadLetterConfig?.Arn)),
      );
      expect(ruleDlqs).not.toContain(dlqId);
    },
  );

  it('puts no rule on the bus beyond the declared event triggers', () => {
    const busRules = template.findResources('AWS::Events::Rule', {
      Properties: { EventBusName: ref(stack.messaging.bus) },
    });
    expect(Object.keys(busRules)).toHaveLength(eventSubscribers.length);
  });

  it.each(scheduled)('%s runs on its declared rate', (name) => {
    const trigger: Trigger = functions[name].trigger;
    if (trigger.kind !== 'schedule') throw new Error(`${name} has no schedule trigger`);
    const rules = rulesTargeting(name);
    expect(rules.map(([, rule]) => rule.Properties.ScheduleExpression)).toEqual([
      `rate(${trigger.everyMinutes} minutes)`,
    ]);
  });

  it('scores members every quarter hour: retention-jobs runs on a 15-minute schedule', () => {
    expect(functions['retention-jobs'].trigger).toEqual({ kind: 'schedule', everyMinutes: 15 });
    expect(rulesTargeting('retention-jobs').map(([, rule]) => rule.Properties.ScheduleExpression)).toEqual([
      'rate(15 minutes)',
    ]);
  });

  it.each(sqsConsumers)(
    '%s consumes the %s queue in declared batches with partial failures, at the declared concurrency',
    (name, queue) => {
      const trigger: Trigger = functions[name].trigger;
      const maxConcurrency = trigger.kind === 'sqs' ? trigger.maxConcurrency : undefined;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: ref(fnOf(name)),
        EventSourceArn: { 'Fn::GetAtt': [idOf(stack.messaging.queues[queue]), 'Arn'] },
        BatchSize: queues[queue].batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: maxConcurrency ? { MaximumConcurrency: maxConcurrency } : Match.absent(),
      });
    },
  );

  it("streams the Outbox table's new items to outbox-publisher, in order, retried, split on error, then kept in a DLQ", () => {
    expect(resource(stack.data.tables.outbox).Properties.StreamSpecification).toEqual({
      StreamViewType: 'NEW_IMAGE',
    });
    const streamed = (Object.keys(tables) as TableKey[]).filter(
      (key) => resource(stack.data.tables[key]).Properties.StreamSpecification !== undefined,
    );
    expect(streamed).toEqual(['outbox']);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => JSON.stringify(mapping.Properties.EventSourceArn).includes('StreamArn'),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toMatchObject({
      FunctionName: ref(fnOf('outbox-publisher')),
      EventSourceArn: { 'Fn::GetAtt': [idOf(stack.data.tables.outbox), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86_400,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
    });
  });

  it('writes events to the outbox from every function whose writes tell of them, and publishes them from outbox-publisher and the scoring run alone', () => {
    const writers = functionNames.filter((name) =>
      (functions[name].writes as readonly string[]).includes('outbox'),
    );
    expect(writers.sort()).toEqual([
      'delivery-receipts',
      'inbound-sms',
      'loyalty-jobs',
      'member-import',
      'merchant-api',
      'referral-rewards',
      'retention-actions',
    ]);
    // churn.zone-changed is published by the scoring run before its writes, under derived ids.
    expect(functionNames.filter((name) => functions[name].publishesEvents).sort()).toEqual([
      'outbox-publisher',
      'retention-jobs',
    ]);
    expect(functions['outbox-publisher']).toMatchObject({
      reads: ['members'],
      writes: [],
      publishesEvents: true,
    });
  });

  it.each(httpRoutes.map((r) => `${r.method} ${r.path}`))('routes %s to the HTTP function', (routeKey) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
  });

  it('serves only the declared routes, throttled and access-logged, and outputs the URL', () => {
    // and $default: a path no route declares is refused by merchant-api, with an error code
    template.resourceCountIs('AWS::ApiGatewayV2::Route', httpRoutes.length + 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [idOf(stack.functions.httpHandler), 'Arn'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    template.hasOutput('ApiUrl', {});
  });
});

describe.each(Object.keys(scheduleGroups) as ScheduleGroupKey[])('%s schedules', (key) => {
  const declared: ScheduleGroupDefinition = scheduleGroups[key];
  const target = declared.target as FunctionName;
  const groupArn = () => ({ 'Fn::GetAtt': [idOf(stack.schedules[key].group), 'Arn'] });
  const invokeRole = () => stack.schedules[key].role;

  it('creates the schedule group under its declared name', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: declared.group });
  });

  it('lets only EventBridge Scheduler, for this account and the group, assume the invoke role', () => {
    expect(resource(invokeRole()).Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': groupArn() },
          },
        },
      ],
    });
  });

  it("lets the invoke role invoke the group's target function and nothing else", () => {
    expect(functions[target].trigger).toMatchObject({ kind: 'scheduler', group: key });
    expect(roleStatements(invokeRole())).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [idOf(fnOf(target)), 'Arn'] },
      },
    ]);
  });

  it('scopes schedule grants to the group', () => {
    expect(stack.resolve(stack.schedules[key].schedulesArn)).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':scheduler:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:schedule/${declared.group}/*`,
        ],
      ],
    });
  });

  it("retries a failed invocation of the group's target twice, then keeps it in a DLQ", () => {
    const configs = template.findResources('AWS::Lambda::EventInvokeConfig', {
      Properties: { FunctionName: ref(fnOf(target)) },
    });
    const [config, ...others] = Object.values(configs);
    expect(others).toEqual([]);
    expect(config?.Properties).toMatchObject({ Qualifier: '$LATEST', MaximumRetryAttempts: 2 });
    expectDeadLetterQueue(targetOf(config?.Properties.DestinationConfig?.OnFailure?.Destination));
  });
});

describe('schedule grants', () => {
  it('declares one schedule group per entry of scheduleGroups, and no other', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', Object.keys(scheduleGroups).length);
  });

  it.each(functionNames)(
    '%s may create or delete only the schedules it declares, in their groups, and pass only their invoke roles',
    (name) => {
      const declared: FunctionDefinition = functions[name];
      const actions = { create: 'scheduler:CreateSchedule', delete: 'scheduler:DeleteSchedule' };
      const granted = statementsOf(name).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'),
      );
      const groups = Object.entries(declared.schedules ?? {}) as [ScheduleGroupKey, ScheduleAction[]][];
      expect(granted).toEqual(
        groups
          .filter(([, scheduling]) => scheduling.length > 0)
          .flatMap(([key, scheduling]) => [
            {
              Effect: 'Allow',
              Action:
                scheduling.length === 1
                  ? actions[scheduling[0] as ScheduleAction]
                  : scheduling.map((a) => actions[a]),
              Resource: stack.resolve(stack.schedules[key].schedulesArn),
            },
            {
              Effect: 'Allow',
              Action: 'iam:PassRole',
              Resource: { 'Fn::GetAtt': [idOf(stack.schedules[key].role), 'Arn'] },
              Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
            },
          ]),
      );
    },
  );
});

describe('cdk-nag', () => {
  it('AwsSolutions finds nothing unacknowledged', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(app);
    const findings = violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
  });

  it('synthesis (with the plugin the app registers) reports no validation findings', () => {
    const report = JSON.parse(readFileSync(join(assemblyDir, VALIDATION_REPORT_FILE), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });
});

/** The function's bundle as deployed: the asset CDK built for it. */
function deployedCode(name: FunctionName): string {
  const code = resource(fnOf(name)).Properties.Code as { S3Key: string };
  return readFileSync(join(assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, bundleFileName), 'utf8');
}

describe('inbound trust', () => {
  const snsSubscribers = functionNames.flatMap((n) => {
    const trigger: Trigger = functions[n].trigger;
    return trigger.kind === 'sns' ? [[n, trigger.topic] as const] : [];
  });
  /** Whether a CloudFormation value points at the function (its ARN or its name). */
  const pointsAt = (value: unknown, name: FunctionName) =>
    [JSON.stringify({ 'Fn::GetAtt': [idOf(fnOf(name)), 'Arn'] }), JSON.stringify(ref(fnOf(name)))].includes(
      JSON.stringify(value),
    );

  it('declares inbound-sms and delivery-receipts as the subscribers of their topics', () => {
    expect(snsSubscribers).toEqual([
      ['inbound-sms', 'inbound-sms'],
      ['delivery-receipts', 'sms-events'],
    ]);
  });

  it.each(snsSubscribers)(
    '%s may be invoked only by SNS, for its %s topic: no URL, no route, no other source',
    (name, topic) => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter((p) =>
        pointsAt(p.Properties.FunctionName, name),
      );
      expect(permissions.map((p) => p.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [idOf(fnOf(name)), 'Arn'] },
          Principal: 'sns.amazonaws.com',
          SourceArn: ref(stack.messaging.topics[topic]),
        },
      ]);
      const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
      expect(integrations.filter((i) => pointsAt(i.Properties.IntegrationUri, name))).toEqual([]);
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
      expect(mappings.filter((m) => pointsAt(m.Properties.FunctionName, name))).toEqual([]);
    },
  );

  it('deploys no function URL and no REST API: the HTTP API is the only way in over HTTP', () => {
    template.resourceCountIs('AWS::Lambda::Url', 0);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
  });

  it('serves only /v1 routes, each to merchant-api: no SMS webhook is deployed', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.RouteKey as string,
    );
    expect(routeKeys.sort()).toEqual(['$default', ...httpRoutes.map((r) => `${r.method} ${r.path}`)].sort());
    for (const key of routeKeys) expect(key).toMatch(/^((GET|POST|PUT|PATCH|DELETE) \/v1\/|\$default$)/);
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations.map((i) => i.Properties.IntegrationUri)).toEqual([
      { 'Fn::GetAtt': [idOf(stack.functions.httpHandler), 'Arn'] },
    ]);
    expect(stack.functions.httpHandler).toBe(fnOf('merchant-api'));
  });

  it.each(functionNames)(
    "%s's deployed code holds none of the local runtime's SMS simulator routes",
    (name) => {
      expect(deployedCode(name)).not.toMatch(/\/local\/sms\//);
    },
  );

  it.each(Object.keys(topics) as TopicKey[])(
    'only End User Messaging SMS of this account may publish to %s, over TLS; nothing else is allowed',
    (key) => {
      const topic = ref(stack.messaging.topics[key]);
      const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((p) =>
        JSON.stringify(p.Properties.Topics).includes(JSON.stringify(topic)),
      );
      expect(policies.map((p) => p.Properties.Topics)).toEqual([[topic]]);
      const smsVoiceInThisAccount = {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':sms-voice:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':*',
              ],
            ],
          },
        },
      };
      expect(policies[0]?.Properties.PolicyDocument.Statement).toEqual([
        {
          Sid: 'AllowPublishThroughSSLOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: topic,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: '1',
          Effect: 'Allow',
          Principal: { Service: 'sms-voice.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: topic,
          Condition: smsVoiceInThisAccount,
        },
      ]);
      // The topic's key: the account administers it (CDK's default key policy), and End User
      // Messaging SMS of this account may encrypt with it; no one else is named.
      const keyId = (resource(stack.messaging.topics[key]).Properties.KmsMasterKeyId as GetAtt)[
        'Fn::GetAtt'
      ][0];
      const keyStatements = template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement;
      expect(
        keyStatements.map((s: { Principal: unknown; Condition?: unknown }) => [s.Principal, s.Condition]),
      ).toEqual([
        [
          {
            AWS: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
              ],
            },
          },
          undefined,
        ],
        [{ Service: 'sms-voice.amazonaws.com' }, smsVoiceInThisAccount],
      ]);
    },
  );

  it('lets no resource policy allow anyone: each Allow names the account, or a service under a condition', () => {
    const policies = [
      ...Object.values(template.findResources('AWS::SNS::TopicPolicy')),
      ...Object.values(template.findResources('AWS::SQS::QueuePolicy')),
      ...Object.values(template.findResources('AWS::S3::BucketPolicy')),
    ].map((p) => p.Properties.PolicyDocument);
    const keyPolicies = Object.values(template.findResources('AWS::KMS::Key')).map(
      (k) => k.Properties.KeyPolicy,
    );
    const allows = [...policies, ...keyPolicies]
      .flatMap((doc) => doc.Statement as { Effect: string; Principal: unknown; Condition?: unknown }[])
      .filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect(JSON.stringify(statement.Principal), JSON.stringify(statement)).not.toMatch(/^"\*"$|"AWS":"\*"/);
      const accountRoot = JSON.stringify(statement.Principal).includes(':root');
      expect(accountRoot || statement.Condition !== undefined, JSON.stringify(statement)).toBe(true);
    }
  });
});

describe('least privilege', () => {
  // What grantReadData gives: reads, condition checks in transactions, the table's description and
  // its stream records; no write.
  const readActions = [
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:Query',
    'dynamodb:Scan',
  ];
  /** Every statement of every identity policy in the stack, whichever role it is attached to. */
  const allStatements = () =>
    [
      ...Object.values(template.findResources('AWS::IAM::Policy')),
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
    ].flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const streamActions = [
    'dynamodb:ListStreams',
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
  ];

  /** The declared table a DynamoDB resource ARN names, and whether it is the table's indexes. */
  function tableNamed(arn: unknown): { table: TableKey; indexes: boolean } {
    const byId = (id: string) => tableKeys.find((key) => idOf(stack.data.tables[key]) === id);
    const join = (arn as { 'Fn::Join'?: [string, [GetAtt, string]] })['Fn::Join'];
    const [getAtt, suffix] = join ? join[1] : [arn as GetAtt, undefined];
    const table = byId(targetOf(getAtt));
    if (!table || (suffix !== undefined && suffix !== '/index/*')) {
      throw new Error(`not a declared table or its indexes: ${JSON.stringify(arn)}`);
    }
    return { table, indexes: suffix !== undefined };
  }

  it('grants no wildcard action, and a wildcard resource only to X-Ray and ListStreams, which have no resource-level permissions', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/(^|:)\*$/);
      if (JSON.stringify(s.Resource).includes('"*"')) {
        expect([
          ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
          ['dynamodb:ListStreams'],
        ]).toContainEqual([s.Action].flat().sort());
      }
    }
  });

  it("lets only outbox-publisher read a stream: the Outbox table's", () => {
    const onStreams = (name: FunctionName) =>
      statementsOf(name).filter((s) => JSON.stringify(s.Resource).includes('StreamArn'));
    expect(functionNames.filter((name) => onStreams(name).length > 0)).toEqual(['outbox-publisher']);
    expect(onStreams('outbox-publisher').map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [idOf(stack.data.tables.outbox), 'StreamArn'] },
    ]);
  });

  it("attaches no managed policy to a function's role", () => {
    for (const name of functionNames) {
      const role = fnOf(name).role;
      if (!role) throw new Error(`${name} has no role`);
      expect(resource(role).Properties.ManagedPolicyArns, name).toBeUndefined();
    }
  });

  it.each(functionNames)(
    '%s has DynamoDB access on exactly its declared tables (and their indexes), read-only on its reads',
    (name) => {
      const def: FunctionDefinition = functions[name];
      const touched = new Set<TableKey>();
      for (const s of statementsOf(name)) {
        const actions = [s.Action].flat();
        if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
        // A stream's reading (outbox-publisher's trigger) is checked on its own, above.
        if (actions.every((a) => streamActions.includes(a))) continue;
        expect(actions.every((a) => a.startsWith('dynamodb:'))).toBe(true);
        for (const arn of [s.Resource].flat()) {
          const { table, indexes } = tableNamed(arn);
          touched.add(table);
          if (indexes) expect(tables[table], `${name}: ${table} has indexes`).toHaveProperty('indexes');
          if (!def.writes.includes(table)) {
            expect(
              actions.filter((a) => !readActions.includes(a)),
              `${name} reads ${table} only`,
            ).toEqual([]);
          }
        }
      }
      expect([...touched].sort()).toEqual([...def.reads, ...def.writes].sort());
      expect(def.reads.filter((table) => def.writes.includes(table))).toEqual([]);
    },
  );

  it.each(functionNames)('%s uses exactly the tables it declares: nothing granted is unused', (name) => {
    const folder = join(repoRoot, dirname(functions[name].entry));
    const sources = readdirSync(folder)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(join(folder, file), 'utf8'));
    // The function's stores are built in its own folder (handler.ts, or deps.ts beside it), read here.
    expect(sources.filter((source) => /export function depsFromEnv\(env: Env\)/.test(source))).toHaveLength(
      1,
    );
    const calls = sources.flatMap((source) => [...source.matchAll(/\benv\.table\(([^)]*)\)/g)]);
    // Each lookup names its table literally, or the set below could not be read from the code.
    for (const [call, argument] of calls) expect(argument, call).toMatch(/^'\w+'$/);
    const used = new Set(calls.map(([, argument]) => (argument as string).slice(1, -1)));
    expect([...used].sort()).toEqual([...functions[name].reads, ...functions[name].writes].sort());
  });
});

/** The key of phones' proofs as a function's environment gets it: resolved by CloudFormation from the secret. */
function phoneProofKeyReference() {
  const [secretId] = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
  return { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] };
}

describe("phones' proofs", () => {
  it('generates one secret key, kept when the stack is deleted, never in the template as a value', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const [secret] = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secret).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true } },
    });
  });

  it('gives the key only to the functions that make proofs: the merchant API (erasure, join gifts), send-sms (send caps, texts not sent), care-jobs (held texts expired), inbound-sms and referral-rewards (join gifts)', () => {
    const given = functionNames.filter(
      (name) =>
        settings.phoneProofKey in
        ((resource(fnOf(name)).Properties.Environment as { Variables?: object } | undefined)?.Variables ??
          {}),
    );
    expect(given.sort()).toEqual([
      'care-jobs',
      'inbound-sms',
      'merchant-api',
      'referral-rewards',
      'send-sms',
    ]);
  });
});

describe('secrets', () => {
  it('the template holds no API key, AWS access key or private key', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).toContain('AWS::Lambda::Function');
    expect(secretsIn(text)).toEqual([]);
  });

  it.each(functionNames)("%s's deployed code holds no API key, AWS access key or private key", (name) => {
    expect(secretsIn(deployedCode(name))).toEqual([]);
  });
});
