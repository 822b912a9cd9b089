import type { BucketKey } from './buckets';
import type { QueueKey, TopicKey } from './messaging';
import type { ScheduleAction, ScheduleGroupKey } from './schedules';
import type { TableKey } from './tables';

export type Trigger =
  | { kind: 'sns'; topic: TopicKey }
  /** `maxConcurrency`: at most so many invocations at once (Lambda's SQS event source allows 2–1000). */
  | { kind: 'sqs'; queue: QueueKey; maxConcurrency?: number }
  | { kind: 'http' }
  /** An EventBridge schedule every N minutes; the local runtime fires the same one. */
  | { kind: 'schedule'; everyMinutes: number }
  /**
   * EventBridge Scheduler schedules of a group (see `scheduleGroups`) created at run time; locally, its
   * emulation. With `detailTypes`, a rule on the event bus invokes it too, for what cannot wait for
   * Scheduler's next minute.
   */
  | { kind: 'scheduler'; group: ScheduleGroupKey; detailTypes?: readonly string[] }
  /**
   * A rule on the event bus matching these detail-types (of events/): each matching event invokes the
   * function once or more (EventBridge delivers at least once), the event itself as the payload.
   */
  | { kind: 'events'; detailTypes: readonly string[] }
  /** The stream of a table declared with `stream`: batches of its new items, in order, retried until done. */
  | { kind: 'stream'; table: TableKey };

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
  /** Makes phones' proofs (shared/domain/phone-proof.ts), so gets the deployment's key. */
  makesPhoneProofs?: boolean;
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
    // Directory: merchants by number, and staff by phone; DailyStats: the staff's day summary.
    reads: ['directory', 'messages', 'dailyStats'],
    // Engagement: surveys answered, tickets opened and keyword apps used by text. Ledger: staff
    // commands' earns and top-ups; Audit: every staff command; SendLimits: failed redemptions by text.
    writes: [
      'members',
      'ledger',
      'benefits',
      'idempotency',
      'campaigns',
      'engagement',
      'audit',
      'sendLimits',
      // Outbox: every event it tells of (joins, consent, complaints, claims, ledger postings, texts
      // received), committed with its write.
      'outbox',
    ],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    // A join gift is given once per phone ever: its mark is kept under the phone's proof.
    makesPhoneProofs: true,
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
    // Outbox: member.complained, for a carrier's spam verdict, committed with the complaint.
    writes: ['messages', 'campaigns', 'members', 'outbox'],
    sendsTo: [],
    publishesEvents: false,
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
    // DailyStats: each text sent, its parts and cost, on the merchant's day.
    writes: ['messages', 'campaigns', 'sendLimits', 'dailyStats'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: true,
    // The send caps count a phone by its proof.
    makesPhoneProofs: true,
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  'merchant-api': {
    entry: 'functions/merchant-api/index.ts',
    trigger: { kind: 'http' },
    // SendLimits: each API key's requests per second (shared/store/api-throttle.ts). Sessions: staff
    // sign-in codes and sessions; Audit: every change made; DailyStats: read by the dashboard only.
    reads: ['dailyStats'],
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
      'sessions',
      'audit',
      // A member's texts: exported, and their words erased, on the member's request (PIPL).
      'messages',
      // Outbox: every event it tells of, committed with its write.
      'outbox',
    ],
    sendsTo: ['outbound'],
    presignsUploadsTo: ['imports'],
    publishesEvents: false,
    sendsSms: false,
    // A member's erasure keeps their books and consent under their phone's proof.
    makesPhoneProofs: true,
    schedules: { reminders: ['create', 'delete'], campaigns: ['create', 'delete'] },
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  'loyalty-jobs': {
    entry: 'functions/loyalty-jobs/index.ts',
    // Each merchant's day starts at its own midnight, so the jobs look every quarter hour.
    trigger: { kind: 'schedule', everyMinutes: 15 },
    reads: [],
    // Outbox: the events of points expiries and tier changes, committed with them.
    writes: ['directory', 'members', 'ledger', 'outbox'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  /** Reads an uploaded import file as it streams from S3 and upserts its members by phone. */
  'member-import': {
    entry: 'functions/member-import/index.ts',
    trigger: { kind: 'sqs', queue: 'imports' },
    reads: ['directory'],
    // Ledger, Benefits, Outbox: referral rewards given at join, for the referrals the rows name.
    writes: ['members', 'imports', 'ledger', 'benefits', 'outbox'],
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
    // Messages and Campaigns: texts held over a carrier cap, released or expired, and their campaigns' counts.
    writes: ['directory', 'messages', 'campaigns'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    // A held text that expires keeps its phone's proof, not the phone.
    makesPhoneProofs: true,
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
    // A run due now (scheduled "now", resumed) also starts on the merchant API's event, within seconds.
    trigger: { kind: 'scheduler', group: 'campaigns', detailTypes: ['campaign.run-requested'] },
    reads: ['directory', 'members'],
    // Engagement: a survey campaign reads its survey and opens it for each member it texts.
    writes: ['campaigns', 'engagement'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    // A run continued later (out of time, outside marketing hours) is one more one-off schedule to itself;
    // a one-off campaign's own schedule is deleted once its run has started.
    schedules: { campaigns: ['create', 'delete'] },
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
   * Settles referrals (推荐有礼) at the new member's first purchase: the rewards to the referrer (within
   * the monthly cap) and to the new member, each under a named idempotency key, so redeliveries and
   * later purchases grant nothing twice. And gives the join gift (开卡礼) at each `member.registered`,
   * under the same key and mark as the join itself: a join whose request stopped before its gift still
   * gets it, and one that got it gets nothing more.
   */
  'referral-rewards': {
    entry: 'functions/referral-rewards/index.ts',
    trigger: { kind: 'events', detailTypes: ['member.registered', 'points.earned'] },
    reads: ['directory'],
    // Members: the referral, the cap counter and the join gift's mark; Ledger, Benefits, Outbox: the
    // rewards and their events.
    writes: ['members', 'ledger', 'benefits', 'outbox'],
    sendsTo: [],
    publishesEvents: false,
    sendsSms: false,
    makesPhoneProofs: true,
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
    writes: ['members', 'ledger', 'benefits', 'outbox'],
    sendsTo: ['outbound'],
    publishesEvents: false,
    sendsSms: false,
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  /**
   * Counts the dashboard's daily figures from the events that report them: joins, opt-outs, points
   * earned and redeemed, coupons redeemed, on the merchant's calendar day; and each store's (门店) from
   * what was recorded at it, stored value too, on the store's calendar day. Each event counts once: its marker is written
   * to the Idempotency table with the counters.
   */
  'daily-stats': {
    entry: 'functions/daily-stats/index.ts',
    trigger: {
      kind: 'events',
      detailTypes: [
        'member.registered',
        'member.consent-changed',
        'points.earned',
        'points.redeemed',
        'coupon.redeemed',
        'stored-value.topped-up',
        'stored-value.spent',
        'count-card.used',
      ],
    },
    reads: ['directory'],
    writes: ['dailyStats', 'idempotency'],
    sendsTo: [],
    publishesEvents: false,
    sendsSms: false,
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  'outbox-publisher': {
    entry: 'functions/outbox-publisher/index.ts',
    // Events written with the writes they tell of (shared/store/outbox.ts), put on the bus in order.
    trigger: { kind: 'stream', table: 'outbox' },
    // Members: a ledger event's balance, read when it is published.
    reads: ['members'],
    writes: [],
    sendsTo: [],
    publishesEvents: true,
    sendsSms: false,
    timeoutSeconds: 30,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;
