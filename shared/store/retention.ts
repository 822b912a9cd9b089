import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { memberSchema } from '../schemas/member';
import {
  type RetentionRule,
  retentionRuleSchema,
  type ScoringRun,
  scoringRunSchema,
  type ZoneSnapshot,
  zoneSnapshotSchema,
} from '../schemas/retention';
import { memberKey } from './members';
import { queryAll } from './paging';
import { cancellationCodes, isConditionFailure } from './transactions';

/**
 * The Retention table (`pk` merchant id): retention rules (`RULE#<ruleId>`), scoring runs
 * (`RUN#<runId>`) and the zone snapshot each finished run leaves (`SNAPSHOT#<date>#<runId>`).
 */
export interface RetentionStore {
  /** A new rule; `false` if one with its id exists. */
  createRule(rule: RetentionRule): Promise<boolean>;
  rule(merchantId: string, ruleId: string): Promise<RetentionRule | undefined>;
  /** Every rule of the merchant, newest first (a merchant has few). */
  rules(merchantId: string): Promise<RetentionRule[]>;
  /** The active rules that act when a member enters `zone`. */
  activeRulesFor(merchantId: string, zone: RetentionRule['zone']): Promise<RetentionRule[]>;
  /** Stops a rule (kept for the report); `false` if there is none. Stopping twice is harmless. */
  stopRule(merchantId: string, ruleId: string, at: Date): Promise<boolean>;

  /** A run, as last checkpointed. */
  run(merchantId: string, runId: string): Promise<ScoringRun | undefined>;
  /** Records a requested run; `false` if a run with its id exists (asked for twice). */
  requestRun(run: ScoringRun): Promise<boolean>;
  /** Runs that are requested or under way (not done), oldest first. */
  pendingRuns(merchantId: string): Promise<ScoringRun[]>;
  /** The latest runs, newest first. */
  recentRuns(merchantId: string, limit: number): Promise<ScoringRun[]>;
  /**
   * Saves a run's checkpoint, on condition that it is still where `previous` left it (its `updatedAt`
   * and `cursor`): two invocations working on one run cannot both move it. `false` if another did.
   */
  saveRun(run: ScoringRun, previous: Pick<ScoringRun, 'updatedAt' | 'cursor' | 'status'>): Promise<boolean>;

  /** Writes a finished run's snapshot (written again by the same run, it replaces itself). */
  putSnapshot(snapshot: ZoneSnapshot): Promise<void>;
  /** Snapshots from `from` to `to` (dates, inclusive), oldest first (runs of one day as they scored). */
  snapshots(merchantId: string, from: string, to: string): Promise<ZoneSnapshot[]>;
}

const ruleKey = (merchantId: string, ruleId: string) => ({ pk: merchantId, sk: `RULE#${ruleId}` });
const runKey = (merchantId: string, runId: string) => ({ pk: merchantId, sk: `RUN#${runId}` });
/**
 * `SNAPSHOT#<date>#<runId>`: one per run, so a manual run and the night's run on one day both keep
 * their zone changes (the report adds them up) and a run written again replaces only itself.
 */
const snapshotKey = (merchantId: string, date: string, runId: string) => ({
  pk: merchantId,
  sk: `SNAPSHOT#${date}#${runId}`,
});
/**
 * `PENDING#<requestedAt>#<runId>`: a run not yet done, written with its request and deleted with its
 * last checkpoint. The job looks for work every quarter hour: it reads these few small items rather
 * than every run the merchant ever had.
 */
const pendingKey = (run: Pick<ScoringRun, 'merchantId' | 'requestedAt' | 'runId'>) => ({
  pk: run.merchantId,
  sk: `PENDING#${run.requestedAt}#${run.runId}`,
});
/** Nightly run ids are dates and manual ones `manual-<ulid>`: each kind sorts by time within its own range. */
const runRanges = [
  { from: 'RUN#0', to: 'RUN#9~' },
  { from: 'RUN#manual-', to: 'RUN#manual-~' },
];

const withoutKeys = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => item;
const parseRule = (item: Record<string, unknown>) => retentionRuleSchema.parse(withoutKeys(item));
const parseRun = (item: Record<string, unknown>) => scoringRunSchema.parse(withoutKeys(item));
const newestFirst = (a: { at: string; id: string }, b: { at: string; id: string }) =>
  b.at.localeCompare(a.at) || b.id.localeCompare(a.id);

export function retentionStore(db: DynamoDBDocumentClient, tableName: string): RetentionStore {
  const putNew = async (Item: Record<string, unknown>) => {
    try {
      await db.send(
        new PutCommand({ TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  const get = async (Key: Record<string, string>) =>
    (await db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;
  const rulesOf = async (merchantId: string) => {
    const rules: RetentionRule[] = [];
    for await (const item of queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rule)',
      ExpressionAttributeValues: { ':pk': merchantId, ':rule': 'RULE#' },
      ConsistentRead: true,
    })) {
      rules.push(parseRule(item));
    }
    return rules.sort((a, b) =>
      newestFirst({ at: a.createdAt, id: a.ruleId }, { at: b.createdAt, id: b.ruleId }),
    );
  };
  const run = async (merchantId: string, runId: string) => {
    const item = await get(runKey(merchantId, runId));
    return item ? parseRun(item) : undefined;
  };

  return {
    async createRule(rule) {
      const parsed = retentionRuleSchema.parse(rule);
      return putNew({ ...ruleKey(parsed.merchantId, parsed.ruleId), ...parsed });
    },

    async rule(merchantId, ruleId) {
      const item = await get(ruleKey(merchantId, ruleId));
      return item ? parseRule(item) : undefined;
    },

    rules: rulesOf,

    async activeRulesFor(merchantId, zone) {
      return (await rulesOf(merchantId)).filter((rule) => rule.status === 'active' && rule.zone === zone);
    },

    async stopRule(merchantId, ruleId, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: ruleKey(merchantId, ruleId),
            // The first stop is the one the report shows.
            UpdateExpression: 'SET #status = :stopped, stoppedAt = if_not_exists(stoppedAt, :at)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':stopped': 'stopped', ':at': at.toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    run,

    async requestRun(requested) {
      const parsed = scoringRunSchema.parse(requested);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...runKey(parsed.merchantId, parsed.runId), ...parsed },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: tableName, Item: { ...pendingKey(parsed), runId: parsed.runId } } },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },

    async pendingRuns(merchantId) {
      const runs: ScoringRun[] = [];
      for await (const item of queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pending)',
        ExpressionAttributeValues: { ':pk': merchantId, ':pending': 'PENDING#' },
        ConsistentRead: true,
      })) {
        const pending = await run(merchantId, String(item.runId));
        if (pending && pending.status !== 'done') runs.push(pending);
      }
      return runs;
    },

    async recentRuns(merchantId, limit) {
      const latest = await Promise.all(
        runRanges.map(async ({ from, to }) => {
          const { Items = [] } = await db.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: { ':pk': merchantId, ':from': from, ':to': to },
              ScanIndexForward: false,
              Limit: limit,
            }),
          );
          return Items.map(parseRun);
        }),
      );
      return latest
        .flat()
        .sort((a, b) => newestFirst({ at: a.requestedAt, id: a.runId }, { at: b.requestedAt, id: b.runId }))
        .slice(0, limit);
    },

    async saveRun(next, previous) {
      const parsed = scoringRunSchema.parse(next);
      const put = {
        TableName: tableName,
        Item: { ...runKey(parsed.merchantId, parsed.runId), ...parsed },
        ConditionExpression: `#updatedAt = :updatedAt AND #status = :status AND ${
          previous.cursor === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :cursor'
        }`,
        ExpressionAttributeNames: { '#updatedAt': 'updatedAt', '#status': 'status', '#cursor': 'cursor' },
        ExpressionAttributeValues: {
          ':updatedAt': previous.updatedAt,
          ':status': previous.status,
          ...(previous.cursor === undefined ? {} : { ':cursor': previous.cursor }),
        },
      };
      try {
        if (parsed.status !== 'done') {
          await db.send(new PutCommand(put));
        } else {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [{ Put: put }, { Delete: { TableName: tableName, Key: pendingKey(parsed) } }],
            }),
          );
        }
        return true;
      } catch (error) {
        if (isConditionFailure(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')
          return false;
        throw error;
      }
    },

    async putSnapshot(snapshot) {
      const parsed = zoneSnapshotSchema.parse(snapshot);
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...snapshotKey(parsed.merchantId, parsed.date, parsed.runId), ...parsed },
        }),
      );
    },

    async snapshots(merchantId, from, to) {
      const snapshots: ZoneSnapshot[] = [];
      for await (const item of queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': merchantId,
          ':from': `SNAPSHOT#${from}#`,
          ':to': `SNAPSHOT#${to}#\uffff`,
        },
      })) {
        snapshots.push(zoneSnapshotSchema.parse(withoutKeys(item)));
      }
      // Runs of one day in the order they scored: the last is the latest state.
      return snapshots.sort((a, b) => a.date.localeCompare(b.date) || a.scoredAt.localeCompare(b.scoredAt));
    },
  };
}

/** What scoring reads of a member: what the facts are computed from, and the scores last written. */
export const scoringMemberSchema = lazySchema(() =>
  memberSchema.pick({
    merchantId: true,
    memberId: true,
    phone: true,
    joinedAt: true,
    lastPurchaseAt: true,
    points: true,
    activity: true,
    rfm: true,
    churnZone: true,
    churn: true,
    deletedAt: true,
  }),
);
export type ScoringMember = z.infer<typeof scoringMemberSchema>;

/** What a scoring run writes on a member, and nothing else: balances and profile belong to others. */
export const memberScoresSchema = lazySchema(() =>
  memberSchema.pick({ rfm: true, churnZone: true, churn: true }).required(),
);
export type MemberScores = z.infer<typeof memberScoresSchema>;

export interface ScoringMembersPage {
  members: ScoringMember[];
  /** Present while there may be more. */
  cursor?: string;
}

/**
 * The Members table as the scoring runs see it: a merchant's current members through `byMerchant`, in
 * join order (members who join during a run come last, so the run still reaches them), in pages
 * larger than the API's; and the scores written back.
 */
export interface ScoringMembersStore {
  /** Up to `limit` members, fewer when DynamoDB's 1 MB answer ends first. */
  page(merchantId: string, options: { limit: number; cursor?: string }): Promise<ScoringMembersPage>;
  /** Writes the member's scores; `false` if the member is gone or was deleted meanwhile. */
  saveScores(merchantId: string, phone: string, scores: MemberScores): Promise<boolean>;
}

export const maxScoringPageSize = 1000;

/** A page cursor that was not issued for this merchant's members. */
export class InvalidScoringCursorError extends Error {
  constructor() {
    super('the scoring cursor does not belong to this merchant; the run must start again');
    this.name = 'InvalidScoringCursorError';
  }
}

const scoringCursorSchema = lazySchema(() =>
  z.strictObject({
    pk: z.string(),
    sk: z.literal('MEMBER'),
    listPk: z.string(),
    listSk: z.string(),
  }),
);

/** Only the attributes scoring needs: a member's profile and ledger fields stay in DynamoDB. */
const scoringProjection = () => Object.keys(scoringMemberSchema.shape);

export function scoringMembersStore(db: DynamoDBDocumentClient, membersTable: string): ScoringMembersStore {
  const decode = (merchantId: string, cursor: string) => {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidScoringCursorError();
    }
    const key = scoringCursorSchema.safeParse(decoded);
    if (!key.success || key.data.listPk !== merchantId || !key.data.pk.startsWith(`${merchantId}#`)) {
      throw new InvalidScoringCursorError();
    }
    return key.data;
  };
  return {
    async page(merchantId, { limit, cursor }) {
      if (!Number.isInteger(limit) || limit < 1 || limit > maxScoringPageSize) {
        throw new RangeError(`limit must be a whole number from 1 to ${maxScoringPageSize}`);
      }
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: membersTable,
          IndexName: 'byMerchant',
          KeyConditionExpression: 'listPk = :merchantId',
          ExpressionAttributeValues: { ':merchantId': merchantId },
          ProjectionExpression: scoringProjection()
            .map((_, i) => `#a${i}`)
            .join(', '),
          ExpressionAttributeNames: Object.fromEntries(
            scoringProjection().map((name, i) => [`#a${i}`, name]),
          ),
          ExclusiveStartKey: cursor === undefined ? undefined : decode(merchantId, cursor),
          Limit: limit,
        }),
      );
      return {
        members: Items.map((item) => scoringMemberSchema.parse(item)),
        ...(LastEvaluatedKey
          ? { cursor: Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') }
          : {}),
      };
    },

    async saveScores(merchantId, phone, scores) {
      const { rfm, churnZone, churn } = memberScoresSchema.parse(scores);
      try {
        await db.send(
          new UpdateCommand({
            TableName: membersTable,
            Key: memberKey(merchantId, phone),
            UpdateExpression: 'SET rfm = :rfm, churnZone = :churnZone, churn = :churn',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
            ExpressionAttributeValues: { ':rfm': rfm, ':churnZone': churnZone, ':churn': churn },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
