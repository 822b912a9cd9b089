import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as campaignFanout from '../functions/campaign-fanout/handler';
import * as careJobs from '../functions/care-jobs/handler';
import * as dailyStats from '../functions/daily-stats/handler';
import * as deliveryReceipts from '../functions/delivery-receipts/handler';
import * as inboundSms from '../functions/inbound-sms/handler';
import * as loyaltyJobs from '../functions/loyalty-jobs/handler';
import * as memberActivity from '../functions/member-activity/handler';
import * as memberImport from '../functions/member-import/handler';
import * as merchantApi from '../functions/merchant-api/handler';
import * as outboxPublisher from '../functions/outbox-publisher/handler';
import * as referralRewards from '../functions/referral-rewards/handler';
import * as retentionRules from '../functions/retention-actions/handler';
import * as retentionJobs from '../functions/retention-jobs/handler';
import * as scheduledReminders from '../functions/scheduled-reminders/handler';
import * as sendSms from '../functions/send-sms/handler';
import { Env, s3Client, schedulerClient, sqsClient } from '../shared/env';
import {
  buckets,
  eventBus,
  type FunctionName,
  functionEnvironment,
  functions,
  queues,
  type ScheduleGroupKey,
  scheduleGroups,
  settings,
  smsProviders,
  type Trigger,
  tables,
} from '../shared/resources';
import { eventBridgeCampaignScheduler } from '../shared/scheduler/event-bridge-campaign-scheduler';
import { eventBridgeReminderScheduler } from '../shared/scheduler/event-bridge-reminder-scheduler';
import { campaignsStore } from '../shared/store/campaigns';
import { directoryStore } from '../shared/store/directory';
import { jobsStore } from '../shared/store/jobs';
import { remindersStore } from '../shared/store/reminders';
import { staffStore } from '../shared/store/staff';
import { consoleFiles } from './console-files';
import { type DemoMerchant, defaultDemo, ensureDemoMerchant } from './demo-merchant';
import { startDynamoDBLocal } from './dynamodb-local';
import {
  duplicateSends,
  type Faults,
  faultDraws,
  faultyProvider,
  type InjectedFaults,
  throttleDynamo,
} from './faults';
import { createBuckets, type ObjectWrite, uploadNotifier } from './fauxqs-object-store';
import { createQueues, pollQueue, startSqsServer } from './fauxqs-queues';
import { closeServer, errorBody, maxRequestBytes, readBody, send } from './http';
import { type EventSubscriber, localEventBus } from './local-event-bus';
import { apiGatewayEvent } from './local-http-api';
import { lambdaContext, localFunctionArn } from './local-lambda';
import { tapMetrics } from './local-metrics';
import { localScheduler, rearmCampaigns, rearmReminders, schedulerApiPath } from './local-scheduler';
import {
  type CarrierFate,
  type DeliveredText,
  outbox,
  receiptPublisher,
  simulatedCarrier,
} from './local-sms-gateway';
import { localTableStream } from './local-table-stream';
import { localRoutes } from './routes';
import { announceRuntime } from './runtime-file';
import { createTables, runtimeTables } from './tables';

export interface RuntimeOptions {
  /** HTTP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Where DynamoDB Local keeps its data and the demo key is kept; in memory when absent. */
  dataDir?: string;
  /** Use a DynamoDB Local that is already running (the tests share one) instead of starting one. */
  dynamoEndpoint?: string;
  /** The DynamoDB Local it starts compiles with the JVM's quick tier only: for runs of seconds (see local/dynamodb-local.ts). */
  quickJit?: boolean;
  /** The demo merchant to create or reuse. */
  demo?: { merchantId: string; senderNumber: string };
  /**
   * Shorter than the declared timeout makes local retries quick; the semantics stay the same: send-sms
   * backs off by the same multiples of it (2, 4, 8, 16 s for 2 s, as 60, 120, 240, 480 s for 60 s).
   */
  visibilityTimeoutSeconds?: number;
  /**
   * send-sms's backoff times this, instead of the visibility timeout's own scale: 1/60 backs off 1, 2,
   * 4, 8 s. For a test whose visibility timeout stays longer than any send takes, as it is in AWS.
   */
  backoffScale?: number;
  /**
   * Wraps what the campaign fan-out works with, as the scheduler invokes it: how a test brings in a
   * fault, say the invocation killed half-way, to show members still get one text each.
   */
  campaignFanoutDeps?: (deps: campaignFanout.CampaignFanoutDeps) => campaignFanout.CampaignFanoutDeps;
  /** Delivers every event to its subscribers twice, as EventBridge may: a test's proof of idempotency. */
  deliverEventsTwice?: boolean;
  /** Faults brought into the functions, drawn from a seeded random: see local/faults.ts. */
  faults?: Faults;
  /** The built console (console/dist) to serve at `/`, beside the API; none when absent. */
  consoleDir?: string;
  /** Told of every text the simulated carrier delivers (npm start prints sign-in codes). */
  onText?: (text: DeliveredText) => void;
}

export interface Runtime {
  url: string;
  dynamoEndpoint: string;
  demo: DemoMerchant;
  outbox: ReturnType<typeof outbox>;
  /** The simulated carrier: how it treats texts to a phone, and a wait for its delivery receipts. */
  carrier: { setFate(fate: CarrierFate): void; receiptsSettled(): Promise<void> };
  events: ReturnType<typeof localEventBus>['events'];
  /** Events a subscribed function still failed on after its retries, with the error. */
  deadLetters: ReturnType<typeof localEventBus>['deadLetters'];
  /** Resolves once every event published so far, and each event its handlers published, is handled. */
  eventsSettled(): Promise<void>;
  /** Texts waiting in the outbound dead-letter queue. */
  dlqUrl: string;
  /** How many of each fault of `RuntimeOptions.faults` were brought in so far. */
  injectedFaults: InjectedFaults;
  stop(): Promise<void>;
}

const smsEventsTopicArn = 'arn:aws:sns:local:000000000000:sms-events';
const localSchedulerRoleArn = (group: ScheduleGroupKey) =>
  `arn:aws:iam::000000000000:role/local-${group}-scheduler`;
const localTargetArn = (group: ScheduleGroupKey) => localFunctionArn(scheduleGroups[group].target);

/** The functions a rule on the bus invokes: each must be wired below, or the runtime does not compile. */
type EventsFunctionName = {
  [Name in FunctionName]: (typeof functions)[Name]['trigger'] extends { detailTypes: object } ? Name : never;
}[FunctionName];

/**
 * The whole backend on 127.0.0.1: DynamoDB Local, an SQS server with the declared queues, the
 * event bus, every function wired exactly as in AWS (same handlers, same environment
 * variables), and one HTTP server for the merchant API and the SMS simulator.
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    return { ...(await start(options, stops)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function start(
  options: RuntimeOptions,
  stops: (() => Promise<void>)[],
): Promise<Omit<Runtime, 'stop'>> {
  let dynamoEndpoint = options.dynamoEndpoint;
  if (!dynamoEndpoint) {
    const dbDir = options.dataDir && join(options.dataDir, 'dynamodb');
    if (dbDir) mkdirSync(dbDir, { recursive: true });
    const dynamo = await startDynamoDBLocal({ dataDir: dbDir, quickJit: options.quickJit });
    stops.push(dynamo.stop);
    dynamoEndpoint = dynamo.endpoint;
  }
  // Uploads are announced once their queues exist; fauxqs takes the hook before it listens.
  let announceUpload: ((write: ObjectWrite) => Promise<void>) | undefined;
  const sqsServer = await startSqsServer((write) => {
    announceUpload?.(write).catch((error) => console.error('upload notification failed', error));
  });
  stops.push(sqsServer.stop);

  // The port opens long before the handlers are ready: until then a request is told to come back.
  let serveReady: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = createServer((request, response) => {
    if (serveReady) return serveReady(request, response);
    request.resume();
    send(response, 503, errorBody('the server is starting; try again in a moment', 'starting'), {
      'retry-after': '1',
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, '127.0.0.1', resolve));
  stops.push(() => closeServer(server));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The standard AWS SDK variables point every client at the local servers.
  const endpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
    AWS_ENDPOINT_URL_S3: sqsServer.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: `${baseUrl}/local/eventbridge`,
    AWS_ENDPOINT_URL_SCHEDULER: `${baseUrl}${schedulerApiPath}`,
  };
  const base = new Env(endpoints);
  await createTables(base.dynamoClient());
  const { tableName, drop } = await runtimeTables(base.dynamoClient(), options.dynamoEndpoint !== undefined);
  stops.push(drop);
  const queueUrls = await createQueues(sqsClient(base), options.visibilityTimeoutSeconds);
  await createBuckets(s3Client(base));
  announceUpload = uploadNotifier(sqsClient(base), (key) => queueUrls[key].url);

  const metricTap = tapMetrics();
  stops.push(async () => metricTap.stop());
  const faults = options.faults ?? {};
  const draws = faultDraws(faults.seed);
  const soundEnvOf = (name: FunctionName) =>
    new Env({
      ...endpoints,
      [settings.smsProvider]: smsProviders.simulator,
      [settings.smsSimulatorUrl]: `${baseUrl}/local/sms/gateway`,
      ...functionEnvironment(name, {
        tableName,
        queueUrl: (key) => queueUrls[key].url,
        bucketName: (key) => buckets[key].name,
        busName: eventBus.name,
        schedulerRoleArn: localSchedulerRoleArn,
        scheduleTargetArn: localTargetArn,
      }),
    });
  const envOf = (name: FunctionName) => withFaults(soundEnvOf(name));
  /** Each function's clients with the faults in them; the runtime's own clients stay sound. */
  function withFaults(env: Env): Env {
    if (faults.dynamoThrottleRate) throttleDynamo(env.dynamoClient(), faults.dynamoThrottleRate, draws);
    if (faults.sqsDuplicateRate)
      duplicateSends(sqsClient(env), queueUrls.outbound.url, faults.sqsDuplicateRate, draws);
    return env;
  }
  const inbound = inboundSms.createHandler(inboundSms.depsFromEnv(envOf('inbound-sms')));
  const api = merchantApi.createHandler(merchantApi.depsFromEnv(envOf('merchant-api')));
  const sendDeps = sendSms.depsFromEnv(envOf('send-sms'));
  const backoffScale =
    options.backoffScale ??
    (options.visibilityTimeoutSeconds ?? queues.outbound.visibilityTimeoutSeconds) /
      queues.outbound.visibilityTimeoutSeconds;
  const senderDeps: typeof sendDeps = {
    ...sendDeps,
    provider: faults.provider ? faultyProvider(sendDeps.provider, faults.provider, draws) : sendDeps.provider,
    queue: {
      ...sendDeps.queue,
      redeliverLater: (receiptHandle, seconds) =>
        sendDeps.queue.redeliverLater(
          receiptHandle,
          seconds === 0 ? 0 : Math.max(1, Math.round(seconds * backoffScale)),
        ),
    },
  };
  const jobs = loyaltyJobs.createHandler(loyaltyJobs.depsFromEnv(envOf('loyalty-jobs')));
  const care = careJobs.createHandler(careJobs.depsFromEnv(envOf('care-jobs')));
  const scoring = retentionJobs.createHandler(retentionJobs.depsFromEnv(envOf('retention-jobs')));
  const scheduled: Partial<Record<FunctionName, (time: Date) => Promise<void>>> = {
    'care-jobs': (time) => care({ time: time.toISOString() }, context('care-jobs')),
    'loyalty-jobs': (time) => jobs({ time: time.toISOString() }, context('loyalty-jobs')),
    'retention-jobs': (time) => scoring({ time: time.toISOString() }, context('retention-jobs')),
  };
  // Every scheduled function fires on its declared rate, as its EventBridge schedule does in AWS.
  for (const [name, run] of Object.entries(scheduled) as [FunctionName, (time: Date) => Promise<void>][]) {
    const trigger = functions[name].trigger;
    if (trigger.kind !== 'schedule') continue;
    const timer = setInterval(() => {
      run(new Date()).catch((error) => console.error(`${name} failed`, error));
    }, trigger.everyMinutes * 60_000);
    timer.unref();
    stops.push(async () => clearInterval(timer));
  }
  const context = (name: FunctionName) => lambdaContext(name, functions[name].timeoutSeconds);

  // Lambda runs up to the trigger's maxConcurrency invocations of send-sms at once; so many pollers
  // here, at most four, which is what a laptop's DynamoDB Local keeps up with.
  const sendTrigger = functions['send-sms'].trigger;
  const pollers: { stop(): Promise<void> }[] = [];
  for (let i = 0; i < Math.min(4, sendTrigger.maxConcurrency ?? 1); i++) {
    // A handler per poller, as each Lambda execution environment has its own: its batch processor
    // keeps one invocation's records, so two invocations at once must not share it.
    const sender = sendSms.createHandler(senderDeps);
    pollers.push(
      pollQueue(sqsClient(base), queueUrls.outbound.url, queues.outbound.batchSize, (event) =>
        sender(event, context('send-sms')),
      ),
    );
  }
  const importer = memberImport.createHandler(memberImport.depsFromEnv(envOf('member-import')));
  pollers.push(
    pollQueue(sqsClient(base), queueUrls.imports.url, queues.imports.batchSize, (event) =>
      importer(event, context('member-import')),
    ),
  );
  // Each poller ends with its long poll (a second): all at once, not one after another.
  stops.push(async () => {
    await Promise.all(pollers.map((poller) => poller.stop()));
  });
  // Functions EventBridge Scheduler invokes, by ARN, with the schedule's input.
  const scheduleTargets: Record<ScheduleGroupKey, (event: unknown, context: Context) => Promise<unknown>> = {
    reminders: scheduledReminders.createHandler(scheduledReminders.depsFromEnv(envOf('scheduled-reminders'))),
    campaigns: campaignFanout.createHandler(
      (options.campaignFanoutDeps ?? ((deps) => deps))(campaignFanout.depsFromEnv(envOf('campaign-fanout'))),
    ),
  };
  const scheduler = localScheduler(async (targetArn, input) => {
    const group = (Object.keys(scheduleGroups) as ScheduleGroupKey[]).find(
      (key) => localTargetArn(key) === targetArn,
    );
    if (!group) throw new Error(`no function ${targetArn}`);
    await scheduleTargets[group](JSON.parse(input), context(scheduleGroups[group].target as FunctionName));
  });
  scheduler.start();
  stops.push(scheduler.stop);

  const directory = directoryStore(base.dynamo(), tables.directory.name);
  if (options.dataDir) stops.push(announceRuntime(options.dataDir, { url: baseUrl, dynamoEndpoint }));
  const demo = await ensureDemoMerchant(directory, staffStore(base.dynamo(), tables.directory.name), {
    dataDir: options.dataDir,
    ...(options.demo ?? defaultDemo),
  });
  const phones = outbox(500, options.onText);
  // The carrier reports each text's outcome on the sms-events topic, as the configuration set does.
  const receipts = deliveryReceipts.createHandler(deliveryReceipts.depsFromEnv(envOf('delivery-receipts')));
  const smsEvents = receiptPublisher(
    (event) => receipts(event, context('delivery-receipts')),
    smsEventsTopicArn,
  );
  stops.push(smsEvents.settled);
  const carrier = simulatedCarrier(phones, smsEvents.report);
  // Functions a rule on the bus invokes, with each event of the detail-types they declare.
  const eventTargets: Record<EventsFunctionName, (event: unknown, context: Context) => Promise<unknown>> = {
    'member-activity': memberActivity.createHandler(memberActivity.depsFromEnv(envOf('member-activity'))),
    'daily-stats': dailyStats.createHandler(dailyStats.depsFromEnv(envOf('daily-stats'))),
    'referral-rewards': referralRewards.createHandler(referralRewards.depsFromEnv(envOf('referral-rewards'))),
    'retention-actions': retentionRules.createHandler(retentionRules.depsFromEnv(envOf('retention-actions'))),
    'campaign-fanout': scheduleTargets.campaigns,
  };
  const subscribers = (Object.keys(eventTargets) as EventsFunctionName[]).map((name): EventSubscriber => {
    const trigger: Trigger = functions[name].trigger;
    return {
      name,
      detailTypes: 'detailTypes' in trigger ? (trigger.detailTypes ?? []) : [],
      invoke: (event) => eventTargets[name](event, context(name)),
    };
  });
  const bus = localEventBus({ subscribers, deliverTwice: options.deliverEventsTwice });
  stops.push(bus.settled);
  // The outbox's stream, read as Lambda's event source mapping reads it, into outbox-publisher.
  const publisher = outboxPublisher.createHandler(outboxPublisher.depsFromEnv(envOf('outbox-publisher')));
  const outboxStream = await localTableStream(
    base.dynamoClient(),
    new DynamoDBStreamsClient(base.clientConfig('DYNAMODB')),
    tableName('outbox'),
    (event) => publisher(event, context('outbox-publisher')),
  );
  stops.push(outboxStream.stop);
  /**
   * Every event written so far is published and handled, and so are the events those handlers wrote
   * in turn (a retention grant's points): the outbox drained, the bus settled, until neither moves.
   */
  async function eventsSettled(): Promise<void> {
    for (;;) {
      const published = await outboxStream.drain();
      await bus.settled();
      if (published === 0) return;
    }
  }

  const routes = localRoutes({
    inbound: (event) => inbound(event, context('inbound-sms')),
    directory,
    phones,
    carrier,
    bus,
    scheduled,
    metrics: metricTap.totals,
  });

  const serveConsole = options.consoleDir
    ? consoleFiles(options.consoleDir, [new URL(sqsServer.endpoint).origin])
    : undefined;
  const serveWhenReady = (request: IncomingMessage, response: ServerResponse) => {
    serve(request, response).catch((error: Error) => {
      console.error(error);
      if (!response.headersSent) send(response, 500, { error: { code: 'internal', message: error.message } });
    });
  };

  async function serve(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', baseUrl);
    const body = await readBody(request);
    if (body === undefined)
      return send(
        response,
        413,
        errorBody(`the body is larger than ${maxRequestBytes} bytes`, 'body_too_large'),
      );
    if (url.pathname.startsWith('/v1/')) {
      const event = apiGatewayEvent(request, url, body);
      const result = (await api(event, context('merchant-api'))) as APIGatewayProxyStructuredResultV2;
      // API Gateway turns the answer's `cookies` into Set-Cookie headers.
      response.writeHead(result.statusCode ?? 200, {
        ...(result.headers as Record<string, string>),
        ...(result.cookies ? { 'set-cookie': result.cookies } : {}),
      });
      return response.end(result.body);
    }
    const scheduled = await scheduler.serve(request.method ?? 'GET', url, body);
    if (scheduled) {
      response.writeHead(scheduled.status, { 'content-type': 'application/json', ...scheduled.headers });
      return response.end(JSON.stringify(scheduled.body));
    }
    // The AWS SDK appends a slash to an endpoint's path.
    const route = routes[`${request.method} ${url.pathname.replace(/(.)\/$/, '$1')}`];
    if (!route && !url.pathname.startsWith('/local/') && (await serveConsole?.(request, response, url)))
      return;
    if (!route) return send(response, 404, errorBody(`no route ${request.method} ${url.pathname}`));
    const reply = await route(url, body);
    send(response, reply.status, reply.body);
  }
  // Ready: the rearming below goes through this server too (the Scheduler API's stand-in).
  serveReady = serveWhenReady;
  // Schedules live in the local scheduler's memory: reminders and campaigns still to fire are scheduled again.
  const targetOf = (group: ScheduleGroupKey) => ({
    group: scheduleGroups[group].group,
    roleArn: localSchedulerRoleArn(group),
    targetArn: localTargetArn(group),
  });
  const merchants = () => jobsStore(base.dynamo(), tables.directory.name).merchants();
  await rearmReminders(
    merchants(),
    remindersStore(base.dynamo(), tables.care.name),
    eventBridgeReminderScheduler(schedulerClient(base), targetOf('reminders')),
  );
  await rearmCampaigns(
    merchants(),
    campaignsStore(base.dynamo(), tables.campaigns.name),
    eventBridgeCampaignScheduler(schedulerClient(base), targetOf('campaigns')),
    new Date(),
  );
  return {
    url: baseUrl,
    dynamoEndpoint,
    demo,
    outbox: phones,
    carrier: { setFate: carrier.setFate, receiptsSettled: smsEvents.settled },
    events: bus.events,
    deadLetters: bus.deadLetters,
    eventsSettled,
    dlqUrl: queueUrls.outbound.dlqUrl,
    injectedFaults: draws.injected,
  };
}
