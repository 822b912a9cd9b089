import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { type EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, StartingPosition, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  DynamoEventSource,
  SnsEventSource,
  SqsDlq,
  SqsEventSource,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type BucketKey,
  buckets,
  eventBus,
  type FunctionDefinition,
  type FunctionName,
  functionEnvironment,
  functions,
  type QueueKey,
  queues,
  type ResourceLocator,
  type ScheduleAction,
  type ScheduleGroupKey,
  scheduleGroups,
  settings,
  smsProviders,
  type TableDefinition,
  type TableKey,
  type TopicKey,
  type Trigger,
  tables,
} from '../../shared/resources';
import { bundleCompanions, bundleOptions } from '../bundling';
import { pascalCase } from '../naming';
import { deadLetterQueue } from './dead-letters';
import type { Schedules } from './schedules';

export interface FunctionsProps {
  tables: Record<TableKey, Table>;
  queues: Record<QueueKey, Queue>;
  buckets: Record<BucketKey, Bucket>;
  bus: EventBus;
  topics: Record<TopicKey, Topic>;
  /** End User Messaging SMS configuration set the SMS senders send through, if any. */
  smsConfigurationSet?: string;
  schedules: Record<ScheduleGroupKey, Schedules>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * infra/bundling.ts as NodejsFunction props (it always bundles, for the node platform). The enum
 * lookups stop compiling if bundling.ts picks a value not mapped here.
 */
const bundling: BundlingOptions = {
  forceDockerBundling: false,
  format: { esm: OutputFormat.ESM }[bundleOptions.format],
  target: bundleOptions.target,
  minify: bundleOptions.minify,
  mainFields: [...bundleOptions.mainFields],
  banner: bundleOptions.banner.js,
  sourceMap: true,
  sourceMapMode: { external: SourceMapMode.EXTERNAL }[bundleOptions.sourcemap],
  sourcesContent: bundleOptions.sourcesContent,
  inject: [...bundleOptions.inject],
  // None, @aws-sdk included; an explicit list overrides NodejsFunction's default (and bundleAwsSDK).
  externalModules: [...bundleOptions.external],
  logLevel: { warning: LogLevel.WARNING }[bundleOptions.logLevel],
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) =>
      bundleCompanions.map((file) => `cp "${repoRoot}${file}" "${join(outputDir, basename(file))}"`),
  },
};

/** One Lambda per declared function, with exactly the access its declaration lists. */
export class Functions extends Construct {
  readonly byName: Record<FunctionName, NodejsFunction>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const locate: ResourceLocator = {
      tableName: (key) => props.tables[key].tableName,
      queueUrl: (key) => props.queues[key].queueUrl,
      bucketName: (key) => props.buckets[key].bucketName,
      busName: props.bus.eventBusName,
      schedulerRoleArn: (group) => props.schedules[group].role.roleArn,
      // The target is one of the functions made below; its ARN is read once it exists.
      scheduleTargetArn: (group) =>
        Lazy.string({ produce: () => this.byName[scheduleGroups[group].target as FunctionName].functionArn }),
    };
    // The key of phones' proofs (shared/domain/phone-proof.ts): generated once, kept when the stack goes.
    const phoneProofKey = new Secret(this, 'PhoneProofKey', {
      description: "mcrm: HMAC key of phones' proofs (erased members' books and consent, send caps)",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(phoneProofKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Not rotated on purpose: erased members' books and consent records are kept under proofs made " +
        'with this key; a new key would orphan every one of them.',
    });
    const entries = (Object.keys(functions) as FunctionName[]).map(
      (name) =>
        [
          name,
          new ServiceFunction(this, pascalCase(name), name, locate, { ...props, phoneProofKey }).handler,
        ] as const,
    );
    this.byName = Object.fromEntries(entries) as Record<FunctionName, NodejsFunction>;
  }

  /** The single function behind the HTTP API; the route table does not say which, so there must be one. */
  get httpHandler(): NodejsFunction {
    const names = (Object.keys(functions) as FunctionName[]).filter(
      (n) => functions[n].trigger.kind === 'http',
    );
    const [name] = names;
    if (names.length !== 1 || name === undefined) {
      throw new Error(`Expected exactly one function with an http trigger, found ${names.length}`);
    }
    return this.byName[name];
  }
}

class ServiceFunction extends Construct {
  readonly handler: NodejsFunction;

  constructor(
    scope: Construct,
    id: string,
    name: FunctionName,
    locate: ResourceLocator,
    props: FunctionsProps & { phoneProofKey: Secret },
  ) {
    super(scope, id);
    const def: FunctionDefinition = functions[name];
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    // Our own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    const fn = new NodejsFunction(this, 'Handler', {
      entry: `${repoRoot}${def.entry}`,
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: def.memoryMb,
      timeout: Duration.seconds(def.timeoutSeconds),
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      // The same tables, queues and bus variables the local runtime sets, plus AWS-only settings.
      environment: {
        ...functionEnvironment(name, locate),
        [settings.logLevel]: 'INFO',
      },
      bundling,
    });
    this.handler = fn;

    for (const key of def.reads) props.tables[key].grantReadData(fn);
    for (const key of def.writes) props.tables[key].grantReadWriteData(fn);
    for (const key of def.sendsTo) props.queues[key].grantSendMessages(fn);
    for (const key of def.readsBuckets ?? []) {
      this.allowUploads(role, props.buckets[key], key, 's3:GetObject');
    }
    for (const key of def.presignsUploadsTo ?? []) {
      this.allowUploads(role, props.buckets[key], key, 's3:PutObject');
    }
    for (const key of [...def.reads, ...def.writes]) {
      const declared: TableDefinition = tables[key];
      if (!declared.indexes?.length) continue;
      const table = props.tables[key];
      const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnTable);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason: `Queries use the ${declared.name} table's own indexes, declared in shared/resources/tables.ts; the grant covers no other table.`,
      });
    }
    if (def.publishesEvents) props.bus.grantPutEventsTo(fn);
    // Resolved by CloudFormation at deploy time: no Secrets Manager call at cold start.
    if (def.makesPhoneProofs)
      fn.addEnvironment(settings.phoneProofKey, props.phoneProofKey.secretValue.unsafeUnwrap());
    if (def.sendsSms) this.allowSendingSms(fn, role, props.smsConfigurationSet);
    for (const [group, actions] of Object.entries(def.schedules ?? {}) as [
      ScheduleGroupKey,
      ScheduleAction[],
    ][]) {
      if (actions.length > 0) props.schedules[group].allowScheduling(role, actions);
    }
    this.connectTrigger(fn, def.trigger, props);

    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x on purpose: the local runtime and tests run Node 20, so bundles target node20 and ' +
        'Lambda runs the nearest supported major; move to nodejs24.x with the local toolchain.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /** One action on the objects under the bucket's upload prefix, and on nothing else in it. */
  private allowUploads(
    role: Role,
    bucket: Bucket,
    key: BucketKey,
    action: 's3:GetObject' | 's3:PutObject',
  ): void {
    const { name, uploadPrefix } = buckets[key];
    role.addToPolicy(
      new PolicyStatement({ actions: [action], resources: [bucket.arnForObjects(`${uploadPrefix}*`)] }),
    );
    const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${uploadPrefix}*]`,
      reason:
        `Each import file gets its own key when the import starts; this grants ${action} only under ` +
        `${uploadPrefix} in the ${name} bucket.`,
    });
  }

  private allowSendingSms(fn: NodejsFunction, role: Role, configurationSet: string | undefined): void {
    fn.addEnvironment(settings.smsProvider, smsProviders.aws);
    if (configurationSet) fn.addEnvironment(settings.smsConfigurationSet, configurationSet);
    const anyInAccount = Stack.of(this).formatArn({ service: 'sms-voice', resource: '*' });
    role.addToPolicy(
      new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [anyInAccount] }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
      reason:
        'Phone numbers, pools and sender ids are provisioned outside this stack and chosen per merchant at ' +
        'send time, so SendTextMessage is scoped to this account and region, not to named identities.',
    });
  }

  private connectTrigger(fn: NodejsFunction, trigger: Trigger, props: FunctionsProps): void {
    switch (trigger.kind) {
      case 'sns':
        this.subscribeWithoutLoss(fn, props.topics[trigger.topic]);
        return;
      case 'sqs':
        fn.addEventSource(
          new SqsEventSource(props.queues[trigger.queue], {
            batchSize: queues[trigger.queue].batchSize,
            reportBatchItemFailures: true,
            maxConcurrency: trigger.maxConcurrency,
          }),
        );
        return;
      case 'http':
        return; // routed by the HTTP API construct
      case 'schedule':
        new Rule(this, 'Schedule', {
          schedule: Schedule.rate(Duration.minutes(trigger.everyMinutes)),
          targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
        });
        return;
      case 'scheduler':
        props.schedules[trigger.group].allowInvoking(fn);
        if (trigger.detailTypes) this.subscribeToEvents(fn, props.bus, trigger.detailTypes);
        this.keepFailedInvocations(fn);
        return;
      case 'events':
        this.subscribeToEvents(fn, props.bus, trigger.detailTypes);
        this.keepFailedInvocations(fn);
        return;
      case 'stream':
        this.readStream(fn, props.tables[trigger.table]);
        return;
    }
  }

  /**
   * A rule on the domain bus for the detail-types the function declares. EventBridge retries an
   * invocation Lambda does not accept (throttled, the function or its permission gone) for up to a
   * day; what it still cannot hand over lands in a dead-letter queue with the reason in its message
   * attributes, keeping the original event for replay. Lambda invokes asynchronously: what the
   * function itself fails on is kept by `keepFailedInvocations`.
   */
  private subscribeToEvents(fn: NodejsFunction, bus: EventBus, detailTypes: readonly string[]): void {
    const undelivered = deadLetterQueue(this, 'UndeliveredDlq');
    new Rule(this, 'Events', {
      eventBus: bus,
      eventPattern: { source: [eventBus.source], detailType: [...detailTypes] },
      targets: [
        new LambdaFunction(fn, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: undelivered,
        }),
      ],
    });
    this.acknowledgeDeadLetterTarget(undelivered);
  }

  /**
   * The table's stream, in order, from the oldest record still there. A batch the function reports
   * failed from one record on is retried from that record; a record that keeps failing is split out
   * of its batch (bisect) and, after 10 attempts or a day, its place in the stream is kept in a
   * dead-letter queue (the shard and sequence numbers, to read it again while the stream keeps it).
   */
  private readStream(fn: NodejsFunction, table: Table): void {
    const failed = deadLetterQueue(this, 'FailedDlq');
    fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(failed),
      }),
    );
    this.acknowledgeDeadLetterTarget(failed);
  }

  /**
   * SNS invokes the function asynchronously, and an inbound text is a member's message that must
   * never be lost. What SNS cannot hand to Lambda (the function or its permission gone, Lambda
   * unavailable through all of SNS's retries) lands in one dead-letter queue; what the function
   * still fails on after Lambda's two retries, or what expires waiting for them, lands in another
   * with the error. Both keep the original SNS message for replay.
   */
  private subscribeWithoutLoss(fn: NodejsFunction, topic: Topic): void {
    const undelivered = deadLetterQueue(this, 'UndeliveredDlq');
    fn.addEventSource(new SnsEventSource(topic, { deadLetterQueue: undelivered }));
    this.acknowledgeDeadLetterTarget(undelivered);
    this.keepFailedInvocations(fn);
  }

  /**
   * An asynchronous invocation (SNS, an event rule, EventBridge Scheduler) the function still fails after Lambda's
   * two retries, or that expires waiting for them, lands in a dead-letter queue with the error and
   * the original event, for replay.
   */
  private keepFailedInvocations(fn: NodejsFunction): void {
    const failed = deadLetterQueue(this, 'FailedDlq');
    fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failed) });
    this.acknowledgeDeadLetterTarget(failed);
  }

  private acknowledgeDeadLetterTarget(queue: Queue): void {
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is a dead-letter target itself (of the SNS subscription, the event rule target or ' +
        'the async invocation), which cdk-nag recognises only for SQS redrive policies.',
    });
  }
}
