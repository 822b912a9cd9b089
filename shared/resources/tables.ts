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
  /**
   * A DynamoDB stream of the items written, as new images: read by the function whose trigger names
   * the table (Lambda's event source mapping in AWS, DynamoDB Local's streams locally).
   */
  stream?: 'NEW_IMAGE';
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
   * Global routing: SMS number → merchant, API key id → merchant, staff phone → staff member,
   * merchant profile, and each merchant's staff. The only
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
      /** A merchant's staff: only staff items carry a `staffId`, so the index holds nothing else. */
      { name: 'staffByMerchant', partitionKey: 'merchantId', sortKey: 'staffId' },
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
      /**
       * A tier's or a tag's current members in join order (`<merchant>#tier#<code>` on the member item,
       * `<merchant>#tag#<tag>` on one index item per member and tag), so a filtered list reads only
       * them. One index for both: CloudFormation adds one index to a table per update.
       */
      { name: 'byTierOrTag', partitionKey: 'filterPk', sortKey: 'listSk' },
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
      /** A merchant's texts held over a carrier cap (`heldPk` the merchant id) by the day held: released or expired the next days. */
      { name: 'byHeld', partitionKey: 'heldPk', sortKey: 'heldOn' },
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
  /**
   * Staff sign-in: the code texted to a phone (`CODE#<phone>`), how many codes a phone got in an
   * hour (`CODES#<phone>#<epoch hour>`) and open sessions (`SESSION#<sha-256 of the token>`), each
   * expiring when it can no longer be used (key design in shared/store/sign-in.ts).
   */
  sessions: {
    envVar: 'TABLE_SESSIONS',
    name: 'Sessions',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Every change made through the merchant API, by whom: `pk` merchant id, `sk` time and request id,
   * so one merchant's entries read by time without a scan (key design in shared/store/audit.ts).
   */
  audit: {
    envVar: 'TABLE_AUDIT',
    name: 'Audit',
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
    indexes: [
      /** One staff member's (or API key's) entries by time: `actorPk` is `<merchant>#<actor id>`. */
      { name: 'byActor', partitionKey: 'actorPk', sortKey: 'sk' },
    ],
  },
  /**
   * The dashboard's figures, one item per merchant and day of its calendar (`pk` merchant id, `sk`
   * `YYYY-MM-DD`): counters moved once per event or sent text (shared/store/daily-stats.ts).
   */
  dailyStats: { envVar: 'TABLE_DAILY_STATS', name: 'DailyStats', partitionKey: 'pk', sortKey: 'sk' },
  /**
   * Domain events, each written in the same transaction as the write it tells of (`pk`
   * `<merchant>#<event id>`), and published to the bus from the table's stream by `outbox-publisher`:
   * a function that dies after its write loses no event. Kept a day (shared/store/outbox.ts).
   */
  outbox: {
    envVar: 'TABLE_OUTBOX',
    name: 'Outbox',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAt',
    stream: 'NEW_IMAGE',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof tables;
