/**
 * The one declaration of every table, queue, bus and function. The CDK app (infra/) turns it into
 * CloudFormation; the local runtime (local/) turns it into DynamoDB Local tables, local queues and
 * the same environment variables, so what runs locally is what deploys.
 */

export interface TableDefinition {
  /** Environment variable that carries the deployed table name to a function. */
  envVar: string;
  /** Logical name; the local runtime uses it as the table name. */
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** Attribute holding an epoch-seconds expiry, if items expire. */
  timeToLiveAttribute?: string;
  /** Global secondary indexes (string keys, all attributes projected); sparse where items lack the keys. */
  indexes?: readonly IndexDefinition[];
}

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** The sort key's type: a string unless a range of numbers is queried. */
  sortKeyType?: 'S' | 'N';
}

export const tables = {
  /**
   * Global routing: SMS number → merchant, API key id → merchant, merchant profile. The only
   * table whose keys do not begin with a merchant id, because the tenant is not yet known
   * when a text arrives or an API call is authenticated.
   */
  directory: {
    envVar: 'TABLE_DIRECTORY',
    name: 'Directory',
    partitionKey: 'pk',
    indexes: [
      /** A merchant's API keys: only key items carry a `keyId`, so the index holds nothing else. */
      { name: 'keysByMerchant', partitionKey: 'merchantId', sortKey: 'keyId' },
    ],
  },
  /** Members and their consent state, keyed by merchant + phone. */
  members: {
    envVar: 'TABLE_MEMBERS',
    name: 'Members',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      /** A merchant's current members in join order (soft-deleted members drop out). */
      { name: 'byMerchant', partitionKey: 'listPk', sortKey: 'listSk' },
      /** Members by birthday (`<merchant>#<MM-DD>`), for the birthday greeting. */
      { name: 'byBirthday', partitionKey: 'birthdayPk', sortKey: 'memberId' },
      /** Members by the month-day they joined, for membership anniversaries. */
      { name: 'byJoinDay', partitionKey: 'joinDayPk', sortKey: 'memberId' },
      /** Members who ever held stored value, by balance (a number), for low-balance reminders. */
      { name: 'byStoredValue', partitionKey: 'storedValuePk', sortKey: 'storedValue', sortKeyType: 'N' },
      /** Members holding a package, by the time it ends, so the tier falls back on time. */
      { name: 'byPackageEnd', partitionKey: 'packagePk', sortKey: 'packageSk' },
      /** Member id → member, for ledger and claim records that carry only the id. */
      { name: 'byMemberId', partitionKey: 'idPk' },
    ],
  },
  /** Immutable ledger entries (points and stored value) and the idempotency keys of the writes that made them. */
  ledger: {
    envVar: 'TABLE_LEDGER',
    name: 'Ledger',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      /** Points lots by the date they expire, for the expiry job. */
      { name: 'byExpiry', partitionKey: 'expiryPk', sortKey: 'expirySk' },
    ],
  },
  /** Care automation settings per merchant (occasions, templates, send window). */
  care: { envVar: 'TABLE_CARE', name: 'Care', partitionKey: 'pk', sortKey: 'sk' },
  /** Benefit catalog, stock, and members' claims. */
  benefits: { envVar: 'TABLE_BENEFITS', name: 'Benefits', partitionKey: 'pk', sortKey: 'sk' },
  /** Outbound message records: one per message id, the send-once guard and its status. */
  messages: {
    envVar: 'TABLE_MESSAGES',
    name: 'Messages',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAt',
    indexes: [
      /** A phone's texts from one merchant (`<merchant>#<phone>`) by send time: opt-outs and complaints find the campaign that caused them. */
      { name: 'byRecipient', partitionKey: 'recipientPk', sortKey: 'sentAt' },
    ],
  },
  /**
   * Campaigns, saved audiences and message templates (`pk` merchant id, `sk` `CAMPAIGN#…`,
   * `AUDIENCE#…`, `TEMPLATE#…`), with each campaign's fan-out checkpoint and outcome counters.
   */
  campaigns: { envVar: 'TABLE_CAMPAIGNS', name: 'Campaigns', partitionKey: 'pk', sortKey: 'sk' },
  /**
   * Send-time limits shared by every send-sms instance: the token bucket of each sender identity,
   * per-member frequency counters and per-number carrier caps; and the merchant API's request
   * counter of each API key per second. Counters expire after their period.
   */
  sendLimits: {
    envVar: 'TABLE_SEND_LIMITS',
    name: 'SendLimits',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAt',
  },
  /** Powertools idempotency records for handlers that must act once per delivery. */
  idempotency: {
    envVar: 'TABLE_IDEMPOTENCY',
    name: 'Idempotency',
    partitionKey: 'id',
    timeToLiveAttribute: 'expiration',
  },
  /** Member imports (`pk` merchant id, `sk` import id, a ULID: newest last): status, counts, row errors. */
  imports: { envVar: 'TABLE_IMPORTS', name: 'Imports', partitionKey: 'pk', sortKey: 'sk' },
  /**
   * Retention: each merchant's retention rules, scoring runs (checkpoints) and the daily zone
   * snapshots the report reads (`pk` merchant id; key design in shared/store/retention.ts).
   */
  retention: { envVar: 'TABLE_RETENTION', name: 'Retention', partitionKey: 'pk', sortKey: 'sk' },
  /**
   * Conversations with members beyond keywords: surveys and their answers, feedback tickets and
   * merchant keyword apps (key design in shared/store/surveys.ts, tickets.ts, keyword-apps.ts).
   */
  engagement: { envVar: 'TABLE_ENGAGEMENT', name: 'Engagement', partitionKey: 'pk', sortKey: 'sk' },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof tables;

export interface QueueDefinition {
  envVar: string;
  name: string;
  /** How long a received message stays invisible; longer than the consumer's timeout. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Records per Lambda invocation. */
  batchSize: number;
}

export const queues = {
  /** Every text the system sends goes through here to the send-sms function. */
  outbound: {
    envVar: 'OUTBOUND_QUEUE_URL',
    name: 'outbound-sms',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    batchSize: 10,
  },
  /**
   * S3 announces each uploaded import file here. One file per invocation; a message comes back only
   * after the 900 s run that received it has ended, and a file that fails 3 times is kept in the DLQ.
   */
  imports: {
    envVar: 'IMPORTS_QUEUE_URL',
    name: 'member-imports',
    visibilityTimeoutSeconds: 960,
    maxReceiveCount: 3,
    batchSize: 1,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof queues;

export interface BucketDefinition {
  /** Environment variable that carries the bucket name to a function. */
  envVar: string;
  /** Logical name; the local runtime uses it as the bucket name (CloudFormation names the deployed one). */
  name: string;
  /** Where clients upload; every object created under it is announced on `notifies`. */
  uploadPrefix: string;
  notifies: QueueKey;
  /** Objects are deleted this many days after they were written. */
  expireAfterDays: number;
}

export const buckets = {
  /**
   * Member import files, uploaded by the merchant with a presigned URL to
   * `uploads/<merchantId>/<importId>.<csv|jsonl>` and read once by `member-import`. They hold
   * members' personal data and nothing reads them after the import, so they are kept a week only.
   */
  imports: {
    envVar: 'IMPORTS_BUCKET',
    name: 'mcrm-imports',
    uploadPrefix: 'uploads/',
    notifies: 'imports',
    expireAfterDays: 7,
  },
} as const satisfies Record<string, BucketDefinition>;

export type BucketKey = keyof typeof buckets;

export const eventBus = { envVar: 'EVENT_BUS_NAME', name: 'mcrm', source: 'mcrm' } as const;

export interface TopicDefinition {
  /** Logical name; the construct id in CDK and the topic's name locally. */
  name: string;
}

export const topics = {
  /** The SMS provider's two-way channel publishes every text a member sends here. */
  'inbound-sms': { name: 'inbound-sms' },
  /** The SMS configuration set's event destination: every final delivery outcome of a sent text. */
  'sms-events': { name: 'sms-events' },
} as const satisfies Record<string, TopicDefinition>;

export type TopicKey = keyof typeof topics;

/** Values of SMS_PROVIDER: AWS End User Messaging SMS when deployed, the local gateway simulator. */
export const smsProviders = { aws: 'end-user-messaging', simulator: 'simulator' } as const;

/** Environment variables that are not resources: the SMS provider and its settings. */
export const settings = {
  smsProvider: 'SMS_PROVIDER',
  smsSimulatorUrl: 'SMS_SIMULATOR_URL',
  smsConfigurationSet: 'SMS_CONFIGURATION_SET',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

export type Trigger =
  | { kind: 'sns'; topic: TopicKey }
  /** `maxConcurrency`: at most so many invocations at once (Lambda's SQS event source allows 2–1000). */
  | { kind: 'sqs'; queue: QueueKey; maxConcurrency?: number }
  | { kind: 'http' }
  /** An EventBridge schedule every N minutes; the local runtime fires the same one. */
  | { kind: 'schedule'; everyMinutes: number }
  /** EventBridge Scheduler schedules of a group (see `scheduleGroups`) created at run time; locally, its emulation. */
  | { kind: 'scheduler'; group: ScheduleGroupKey }
  /**
   * A rule on the event bus matching these detail-types (of events/): each matching event invokes the
   * function once or more (EventBridge delivers at least once), the event itself as the payload.
   */
  | { kind: 'events'; detailTypes: readonly string[] };

/**
 * A group of EventBridge Scheduler schedules created at run time, each invoking the group's `target`
 * through a role only Scheduler may assume, for this group only. Functions that create or delete them
 * declare it in `schedules` and get the group, the role and the target in these variables.
 */
export interface ScheduleGroupDefinition {
  group: string;
  /** The function every schedule of the group invokes; its trigger is `{ kind: 'scheduler', group }`. */
  target: string;
  groupEnvVar: string;
  roleEnvVar: string;
  targetEnvVar: string;
}

/** Merchant reminders: one schedule per reminder, and one per send held back to the send window. */
export const reminderSchedules = {
  group: 'mcrm-reminders',
  target: 'scheduled-reminders',
  groupEnvVar: 'REMINDER_SCHEDULE_GROUP',
  roleEnvVar: 'REMINDER_SCHEDULER_ROLE_ARN',
  targetEnvVar: 'REMINDER_TARGET_ARN',
} as const satisfies ScheduleGroupDefinition;

/**
 * Campaigns: one schedule per scheduled campaign (one-off or recurring), and one-offs continuing a
 * fan-out run later (out of Lambda time, outside quiet hours, resumed after a pause).
 */
export const campaignSchedules = {
  group: 'mcrm-campaigns',
  target: 'campaign-fanout',
  groupEnvVar: 'CAMPAIGN_SCHEDULE_GROUP',
  roleEnvVar: 'CAMPAIGN_SCHEDULER_ROLE_ARN',
  targetEnvVar: 'CAMPAIGN_TARGET_ARN',
} as const satisfies ScheduleGroupDefinition;

export const scheduleGroups = { reminders: reminderSchedules, campaigns: campaignSchedules } as const;

export type ScheduleGroupKey = keyof typeof scheduleGroups;

/** What a function may do with a group's schedules: Scheduler's CreateSchedule and DeleteSchedule. */
export type ScheduleAction = 'create' | 'delete';

export interface FunctionDefinition {
  /** Entry file, relative to the repository root. */
  entry: string;
  trigger: Trigger;
  /** Tables the function reads only, and tables it reads and writes. */
  reads: readonly TableKey[];
  writes: readonly TableKey[];
  /** Queues it sends to. */
  sendsTo: readonly QueueKey[];
  /** Buckets whose uploads it reads (GetObject under the upload prefix). */
  readsBuckets?: readonly BucketKey[];
  /** Buckets it signs upload URLs for (PutObject under the upload prefix, on the caller's behalf). */
  presignsUploadsTo?: readonly BucketKey[];
  publishesEvents: boolean;
  sendsSms: boolean;
  /** Creates (and deletes) schedules in these groups of `scheduleGroups`. */
  schedules?: { readonly [Group in ScheduleGroupKey]?: readonly ScheduleAction[] };
  timeoutSeconds: number;
  memoryMb: number;
}

export const functions = {
  'inbound-sms': {
    entry: 'functions/inbound-sms/index.ts',
    trigger: { kind: 'sns', topic: 'inbound-sms' },
    // Messages: the campaign an opt-out or complaint answers; Campaigns: counted in its stats.
    reads: ['directory', 'ledger', 'messages'],
    // Engagement: surveys answered, tickets opened and keyword apps used by text.
    writes: ['members', 'benefits', 'idempotency', 'campaigns', 'engagement'],
    sendsTo: ['outbound'],
    publishesEvents: true,
    sendsSms: false,
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  /**
   * Settles each sent text from the provider's delivery events: its final outcome on the message
   * record and in its campaign's stats; a carrier's spam verdict records the member's complaint.
   */
  'delivery-receipts': {
    entry: 'functions/delivery-receipts/index.ts',
    trigger: { kind: 'sns', topic: 'sms-events' },
    reads: [],
    writes: ['messages', 'campaigns', 'members'],
    sendsTo: [],
    // member.complained, for a carrier's spam verdict.
    publishesEvents: true,
    sendsSms: false,
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  /**
   * Applies the send-time rules to each queued text and sends it. Campaigns: templates (read) and
   * stats (written); SendLimits: the senders' rate schedules and the per-member and per-number caps.
   * Deferred texts go back on the outbound queue.
   */
  'send-sms': {
    entry: 'functions/send-sms/index.ts',
    // Sending is paced by each sender's shared schedule, not by concurrency: more invocations than
    // the schedules can use would only wait for their slots or put texts back on the queue. Ten
    // invocations of ten texts keep a 20-MPS sender's schedule about 5 s ahead (within the 10 s a
    // text may wait for its slot), and leave the account's concurrency to the other functions.
    trigger: { kind: 'sqs', queue: 'outbound', maxConcurrency: 10 },
    reads: ['directory', 'members'],
    writes: ['messages', 'campaigns', 'sendLimits'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: true,
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  'merchant-api': {
    entry: 'functions/merchant-api/index.ts',
    trigger: { kind: 'http' },
    reads: [],
    // SendLimits: each API key's requests per second (shared/store/api-throttle.ts).
    writes: [
      'directory',
      'members',
      'ledger',
      'benefits',
      'imports',
      'care',
      'campaigns',
      'retention',
      'engagement',
      'sendLimits',
    ],
    sendsTo: ['outbound'],
    presignsUploadsTo: ['imports'],
    publishesEvents: true,
    sendsSms: false,
    schedules: { reminders: ['create', 'delete'], campaigns: ['create', 'delete'] },
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  'loyalty-jobs': {
    entry: 'functions/loyalty-jobs/index.ts',
    // Each merchant's day starts at its own midnight, so the jobs look every quarter hour.
    trigger: { kind: 'schedule', everyMinutes: 15 },
    reads: [],
    writes: ['directory', 'members', 'ledger'],
    sendsTo: ['outbound'],
    publishesEvents: true,
    sendsSms: false,
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  /** Reads an uploaded import file as it streams from S3 and upserts its members by phone. */
  'member-import': {
    entry: 'functions/member-import/index.ts',
    trigger: { kind: 'sqs', queue: 'imports' },
    reads: ['directory'],
    writes: ['members', 'imports'],
    sendsTo: [],
    readsBuckets: ['imports'],
    publishesEvents: false,
    sendsSms: false,
    // Lambda's longest: about 1.6 million new members at the rate bench/ measures on DynamoDB Local.
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  'care-jobs': {
    entry: 'functions/care-jobs/index.ts',
    // Each merchant's send window opens at its own local time; the job looks every quarter hour.
    trigger: { kind: 'schedule', everyMinutes: 15 },
    reads: ['care', 'members', 'ledger', 'benefits'],
    writes: ['directory'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  /** Sends a merchant's reminder when its schedule fires; defers a member's to the send window. */
  'scheduled-reminders': {
    entry: 'functions/scheduled-reminders/index.ts',
    trigger: { kind: 'scheduler', group: 'reminders' },
    reads: ['directory', 'members'],
    writes: ['care'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    // A deferred send is one more one-off schedule; the function is its own target.
    schedules: { reminders: ['create'] },
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  /**
   * A campaign's run when its schedule fires: pages through the audience, queues one text per member
   * (ten to a request) and checkpoints each page with its counts, so a run cut short resumes where it
   * stopped. Reads the campaign's template and audience from the Campaigns table.
   */
  'campaign-fanout': {
    entry: 'functions/campaign-fanout/index.ts',
    trigger: { kind: 'scheduler', group: 'campaigns' },
    reads: ['directory', 'members'],
    // Engagement: a survey campaign reads its survey and opens it for each member it texts.
    writes: ['campaigns', 'engagement'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    // A run continued later (out of time, outside quiet hours) is one more one-off schedule to itself.
    schedules: { campaigns: ['create'] },
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  /**
   * Keeps each member's activity facts (purchases and spend by day, redemptions, claims, texts,
   * complaints, opt-out attempts) from the events that report them; each event counts once.
   * Idempotency: the marker of each event id, written with the member's facts.
   */
  'member-activity': {
    entry: 'functions/member-activity/index.ts',
    trigger: {
      kind: 'events',
      detailTypes: [
        'points.earned',
        'points.redeemed',
        'stored-value.spent',
        'benefit.claimed',
        'sms.received',
        'member.complained',
      ],
    },
    reads: ['directory'],
    writes: ['members', 'idempotency'],
    sendsTo: [],
    publishesEvents: false,
    sendsSms: false,
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  /**
   * Nightly (and on request) scores every member of each merchant: RFM quintiles and the churn zone,
   * page by page with a checkpoint, never all members in memory; publishes churn.zone-changed and
   * writes the day's zone snapshot for the report.
   */
  'retention-jobs': {
    entry: 'functions/retention-jobs/index.ts',
    // Each merchant's night falls at its own time; the job looks every quarter hour.
    trigger: { kind: 'schedule', everyMinutes: 15 },
    reads: [],
    writes: ['directory', 'members', 'retention'],
    sendsTo: [],
    publishesEvents: true,
    sendsSms: false,
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  /**
   * Runs the merchant's retention rules when a member's churn zone changes: holdout, cool-down, the
   * retention text and the grant (bonus points or a benefit), each once per cool-down.
   */
  'retention-actions': {
    entry: 'functions/retention-actions/index.ts',
    trigger: { kind: 'events', detailTypes: ['churn.zone-changed'] },
    reads: ['directory', 'retention', 'campaigns'],
    writes: ['members', 'ledger', 'benefits'],
    sendsTo: ['outbound'],
    publishesEvents: true,
    sendsSms: false,
    timeoutSeconds: 30,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;

/** HTTP API routes, served by API Gateway in AWS and by the local server. */
export const httpRoutes = [
  { method: 'GET', path: '/v1/members/{phone}' },
  { method: 'GET', path: '/v1/members' },
  { method: 'POST', path: '/v1/members' },
  { method: 'PATCH', path: '/v1/members/{phone}' },
  { method: 'DELETE', path: '/v1/members/{phone}' },
  { method: 'POST', path: '/v1/members/{phone}/points' },
  { method: 'POST', path: '/v1/members/{phone}/points/redeem' },
  { method: 'POST', path: '/v1/members/{phone}/points/adjust' },
  { method: 'POST', path: '/v1/members/{phone}/stored-value/top-up' },
  { method: 'POST', path: '/v1/members/{phone}/stored-value/spend' },
  { method: 'GET', path: '/v1/members/{phone}/ledger' },
  { method: 'POST', path: '/v1/members/{phone}/package' },
  { method: 'POST', path: '/v1/members/{phone}/claims' },
  { method: 'GET', path: '/v1/members/{phone}/claims' },
  { method: 'GET', path: '/v1/settings/loyalty' },
  { method: 'PUT', path: '/v1/settings/loyalty' },
  { method: 'GET', path: '/v1/settings/sending' },
  { method: 'PUT', path: '/v1/settings/sending' },
  { method: 'GET', path: '/v1/care/settings' },
  { method: 'PUT', path: '/v1/care/settings' },
  { method: 'GET', path: '/v1/care/preview' },
  { method: 'POST', path: '/v1/benefits' },
  { method: 'GET', path: '/v1/benefits' },
  { method: 'DELETE', path: '/v1/benefits/{code}' },
  { method: 'POST', path: '/v1/imports' },
  { method: 'GET', path: '/v1/imports' },
  { method: 'GET', path: '/v1/imports/{importId}' },
  { method: 'POST', path: '/v1/reminders' },
  { method: 'GET', path: '/v1/reminders' },
  { method: 'GET', path: '/v1/reminders/{reminderId}' },
  { method: 'DELETE', path: '/v1/reminders/{reminderId}' },
  { method: 'GET', path: '/v1/members/{phone}/consent' },
  { method: 'POST', path: '/v1/members/{phone}/consent' },
  { method: 'DELETE', path: '/v1/members/{phone}/suppression' },
  { method: 'POST', path: '/v1/templates' },
  { method: 'GET', path: '/v1/templates' },
  { method: 'POST', path: '/v1/templates/preview' },
  { method: 'GET', path: '/v1/templates/{templateId}' },
  { method: 'DELETE', path: '/v1/templates/{templateId}' },
  { method: 'PUT', path: '/v1/templates/{templateId}/registration' },
  { method: 'POST', path: '/v1/audiences' },
  { method: 'GET', path: '/v1/audiences' },
  { method: 'POST', path: '/v1/audiences/preview' },
  { method: 'GET', path: '/v1/audiences/{audienceId}' },
  { method: 'DELETE', path: '/v1/audiences/{audienceId}' },
  { method: 'POST', path: '/v1/campaigns' },
  { method: 'GET', path: '/v1/campaigns' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/schedule' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/pause' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/resume' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/cancel' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/test' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/stats' },
  { method: 'GET', path: '/v1/retention/settings' },
  { method: 'PUT', path: '/v1/retention/settings' },
  { method: 'POST', path: '/v1/retention/rules' },
  { method: 'GET', path: '/v1/retention/rules' },
  { method: 'GET', path: '/v1/retention/rules/{ruleId}' },
  { method: 'DELETE', path: '/v1/retention/rules/{ruleId}' },
  { method: 'POST', path: '/v1/retention/runs' },
  { method: 'GET', path: '/v1/retention/runs' },
  { method: 'GET', path: '/v1/retention/report' },
  { method: 'POST', path: '/v1/surveys' },
  { method: 'GET', path: '/v1/surveys' },
  { method: 'GET', path: '/v1/surveys/{surveyId}' },
  { method: 'POST', path: '/v1/surveys/{surveyId}/close' },
  { method: 'GET', path: '/v1/surveys/{surveyId}/results' },
  { method: 'GET', path: '/v1/tickets' },
  { method: 'GET', path: '/v1/tickets/{ticketId}' },
  { method: 'POST', path: '/v1/tickets/{ticketId}/answer' },
  { method: 'POST', path: '/v1/tickets/{ticketId}/close' },
  { method: 'POST', path: '/v1/keyword-apps' },
  { method: 'GET', path: '/v1/keyword-apps' },
  { method: 'GET', path: '/v1/keyword-apps/{appId}' },
  { method: 'PATCH', path: '/v1/keyword-apps/{appId}' },
  { method: 'DELETE', path: '/v1/keyword-apps/{appId}' },
  { method: 'GET', path: '/v1/api-keys' },
  { method: 'POST', path: '/v1/api-keys' },
  { method: 'DELETE', path: '/v1/api-keys/{keyId}' },
  { method: 'GET', path: '/v1/openapi.json' },
] as const;

/** Where a function's resources are: deployed names in CDK, local names and URLs locally. */
export interface ResourceLocator {
  tableName(key: TableKey): string;
  queueUrl(key: QueueKey): string;
  bucketName(key: BucketKey): string;
  busName: string;
  /** The role EventBridge Scheduler assumes to invoke a group's schedules' target, and the target's ARN. */
  schedulerRoleArn(group: ScheduleGroupKey): string;
  scheduleTargetArn(group: ScheduleGroupKey): string;
}

/**
 * The environment a function runs with, the same in CDK and locally: its tables, queues and
 * bus, and the POWERTOOLS_SERVICE_NAME its logs carry. SMS provider settings are added by the
 * caller (a provider in AWS, the simulator locally).
 */
export function functionEnvironment(name: FunctionName, locate: ResourceLocator): Record<string, string> {
  const fn: FunctionDefinition = functions[name];
  const env: Record<string, string> = { [settings.serviceName]: `mcrm-${name}` };
  for (const key of [...fn.reads, ...fn.writes]) env[tables[key].envVar] = locate.tableName(key);
  for (const key of fn.sendsTo) env[queues[key].envVar] = locate.queueUrl(key);
  for (const key of [...(fn.readsBuckets ?? []), ...(fn.presignsUploadsTo ?? [])]) {
    env[buckets[key].envVar] = locate.bucketName(key);
  }
  if (fn.publishesEvents) env[eventBus.envVar] = locate.busName;
  for (const [key, actions] of Object.entries(fn.schedules ?? {}) as [ScheduleGroupKey, ScheduleAction[]][]) {
    if (actions.length === 0) continue;
    const group: ScheduleGroupDefinition = scheduleGroups[key];
    env[group.groupEnvVar] = group.group;
    env[group.roleEnvVar] = locate.schedulerRoleArn(key);
    // The target schedules its own later invocations to the ARN it was invoked by: its own ARN in its
    // own environment would be a circular reference in CloudFormation.
    if (name !== group.target) env[group.targetEnvVar] = locate.scheduleTargetArn(key);
  }
  return env;
}
