import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  type CampaignAction,
  type CampaignStatus,
  campaignTransition,
  editRefusal,
  runRefusal,
  statusAfterRun,
} from '../domain/campaign';
import {
  type Campaign,
  type CampaignRun,
  campaignIdSchema,
  campaignRunSchema,
  campaignSchema,
} from '../schemas/campaign';
import {
  campaignKey,
  type PageProgress,
  pageWrites,
  runAfterPage,
  runKey,
  runStartWrites,
} from './campaign-runs';

export type { PageProgress } from './campaign-runs';

import { type CampaignStats, readCampaignStats, readSentPerMinute, type SentMinute } from './campaign-stats';
import { queryAll } from './paging';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/**
 * Campaigns live in the Campaigns table under the merchant's partition: `CAMPAIGN#<campaignId>` (a ULID,
 * so the newest sorts last) and `RUN#<campaignId>#<runId>`, one run's fan-out checkpoint: the audience
 * cursor it reached and what it queued. The outcome counters are campaign-stats.ts's `STATS#…` items.
 */

export interface CampaignsPage {
  campaigns: Campaign[];
  /** Present while there may be more. */
  cursor?: string;
}

export type TransitionOutcome =
  | { ok: true; campaign: Campaign; from: CampaignStatus }
  | { ok: false; reason: string; campaign: Campaign };

/** What a merchant may change on a campaign that has not started sending. */
export type CampaignEdit = Partial<
  Pick<Campaign, 'name' | 'templateId' | 'audience' | 'schedule' | 'holdoutPercent' | 'testPhones'>
>;

export type EditOutcome =
  | { ok: true; campaign: Campaign; before: Campaign }
  | { ok: false; reason: string; campaign: Campaign };

export type RunStart =
  | { started: true; run: CampaignRun }
  /** `finished`: the run already reached its end (a late duplicate invocation); the campaign may still need closing. */
  | { started: false; reason: string; finished: boolean };

/** A status write kept losing to other writes of the same campaign; nothing was changed. */
export class CampaignBusyError extends Error {
  constructor(campaignId: string) {
    super(`campaign ${campaignId} kept changing while being updated; try again`);
    this.name = 'CampaignBusyError';
  }
}

export interface CampaignsStore {
  /**
   * Saves a new campaign; the idempotency key is its id (the client's, or one made by the route): an id
   * already saved is not written again, and the campaign it holds is answered with `created: false`.
   */
  create(campaign: Campaign): Promise<{ campaign: Campaign; created: boolean }>;
  get(merchantId: string, campaignId: string): Promise<Campaign | undefined>;
  /** A page of the merchant's campaigns, newest first; `cursor` is a campaign id of the previous page. */
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<CampaignsPage>;
  /** Campaigns a scheduler must hold schedules for: scheduled, or running a run. */
  active(merchantId: string): Promise<Campaign[]>;
  /** The campaign's latest runs, newest first. */
  runs(merchantId: string, campaignId: string, limit: number): Promise<CampaignRun[]>;
  /**
   * A merchant's action (schedule, pause, resume, cancel): the status is written only if the campaign
   * is still as it was read, so two actions at once cannot both pass the lifecycle's rules.
   */
  transition(
    merchantId: string,
    campaignId: string,
    action: CampaignAction,
    at: Date,
  ): Promise<TransitionOutcome | undefined>;
  /**
   * Changes a draft, or a scheduled campaign none of whose runs has started: written only if it is
   * still so as read, so a run starting at the same moment either sees the change or refuses it.
   */
  edit(
    merchantId: string,
    campaignId: string,
    change: CampaignEdit,
    at: Date,
  ): Promise<EditOutcome | undefined>;
  /**
   * Marks run `runId` as the campaign's current run and creates its checkpoint (or finds it, for a
   * continuation), in one transaction; refused unless the lifecycle allows the run now.
   */
  startRun(merchantId: string, campaignId: string, runId: string, at: Date): Promise<RunStart | undefined>;
  /**
   * Moves the checkpoint past one page, adding its counts to the run and to the campaign's stats in ONE
   * transaction, on condition that the checkpoint is still at the cursor the page started from. The
   * idempotency key is that cursor: a replayed page (a crash before this write, a duplicate invocation)
   * finds the checkpoint moved on and counts nothing. Undefined when it had moved on.
   */
  advance(
    merchantId: string,
    campaignId: string,
    from: CampaignRun,
    page: PageProgress,
    at: Date,
  ): Promise<CampaignRun | undefined>;
  /** Says why run `runId` stopped and when it goes on, while it is the campaign's running run. */
  wait(
    merchantId: string,
    campaignId: string,
    runId: string,
    waiting: { reason: string; until: Date },
  ): Promise<void>;
  /** Ends a run that cannot reach its audience, with the reason; a run already completed is left as it is. */
  abandonRun(merchantId: string, campaignId: string, runId: string, problem: string, at: Date): Promise<void>;
  /**
   * Closes a completed run on the campaign: no current run, and its next status (completed, or waiting
   * for its next firing). Closing it again, or a run that is not current, changes nothing.
   */
  closeRun(merchantId: string, campaignId: string, runId: string, at: Date): Promise<Campaign | undefined>;
  stats(merchantId: string, campaignId: string): Promise<CampaignStats>;
  /** Texts sent in the campaign's latest `minutes` minutes that sent any, oldest first. */
  sentPerMinute(merchantId: string, campaignId: string, minutes: number): Promise<SentMinute[]>;
}

const attempts = 3;

/** The condition that the campaign's status and current run are still as read. */
function unchangedSince(campaign: Campaign) {
  return {
    condition: `#status = :seen AND ${campaign.currentRun ? 'currentRun = :seenRun' : 'attribute_not_exists(currentRun)'}`,
    values: { ':seen': campaign.status, ...(campaign.currentRun ? { ':seenRun': campaign.currentRun } : {}) },
  };
}

/** When each action happened, on the campaign. */
const stampOf: Record<CampaignAction, string> = {
  schedule: 'scheduledAt',
  pause: 'pausedAt',
  resume: 'resumedAt',
  cancel: 'cancelledAt',
};

export function campaignsStore(db: DynamoDBDocumentClient, campaignsTable: string): CampaignsStore {
  const parse = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => campaignSchema.parse(item);
  const parseRun = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => campaignRunSchema.parse(item);

  const get = async (merchantId: string, campaignId: string) => {
    const { Item } = await db.send(
      new GetCommand({
        TableName: campaignsTable,
        Key: campaignKey(merchantId, campaignId),
        ConsistentRead: true,
      }),
    );
    return Item ? parse(Item) : undefined;
  };
  const getRun = async (merchantId: string, campaignId: string, runId: string) => {
    const { Item } = await db.send(
      new GetCommand({
        TableName: campaignsTable,
        Key: runKey(merchantId, campaignId, runId),
        ConsistentRead: true,
      }),
    );
    return Item ? parseRun(Item) : undefined;
  };

  /** An update made only while its condition holds; when it no longer does, there is nothing to do. */
  async function updateIfStill(update: UpdateCommandInput): Promise<void> {
    try {
      await db.send(new UpdateCommand(update));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Writes `update` on the campaign as read; re-reads and recomputes while other writes get there first. */
  async function whileUnchanged<T>(
    merchantId: string,
    campaignId: string,
    write: (campaign: Campaign) => Promise<T> | T,
  ): Promise<T | undefined> {
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const campaign = await get(merchantId, campaignId);
      if (!campaign) return undefined;
      try {
        return await write(campaign);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new CampaignBusyError(campaignId);
  }

  return {
    async create(campaign) {
      try {
        await db.send(
          new PutCommand({
            TableName: campaignsTable,
            Item: {
              ...campaignKey(campaign.merchantId, campaign.campaignId),
              ...campaignSchema.parse(campaign),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { campaign, created: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const saved = await get(campaign.merchantId, campaign.campaignId);
      if (!saved) throw new Error(`campaign ${campaign.campaignId} was there, then was not`);
      return { campaign: saved, created: false };
    },

    get,

    async list(merchantId, { limit, cursor }) {
      const start = cursor === undefined ? undefined : campaignIdSchema.parse(cursor);
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: campaignsTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :campaign)',
          ExpressionAttributeValues: { ':pk': merchantId, ':campaign': 'CAMPAIGN#' },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: campaignKey(merchantId, start) } : {}),
        }),
      );
      return {
        campaigns: Items.map(parse),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk).slice('CAMPAIGN#'.length) } : {}),
      };
    },

    async active(merchantId) {
      const found: Campaign[] = [];
      for await (const item of queryAll(db, {
        TableName: campaignsTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :campaign)',
        FilterExpression: '#status IN (:scheduled, :running)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': merchantId,
          ':campaign': 'CAMPAIGN#',
          ':scheduled': 'scheduled',
          ':running': 'running',
        },
      })) {
        found.push(parse(item));
      }
      return found;
    },

    async runs(merchantId, campaignId, limit) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: campaignsTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :runs)',
          ExpressionAttributeValues: { ':pk': merchantId, ':runs': `RUN#${campaignId}#` },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map(parseRun);
    },

    transition(merchantId, campaignId, action, at) {
      return whileUnchanged(merchantId, campaignId, async (campaign): Promise<TransitionOutcome> => {
        const next = campaignTransition(campaign, action);
        if (!next.ok) return { ok: false, reason: next.reason, campaign };
        const unchanged = unchangedSince(campaign);
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: campaignsTable,
            Key: campaignKey(merchantId, campaignId),
            UpdateExpression: `SET #status = :to, updatedAt = :at, ${stampOf[action]} = :at REMOVE waiting`,
            ConditionExpression: unchanged.condition,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':to': next.to, ':at': at.toISOString(), ...unchanged.values },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { ok: true, campaign: parse(Attributes ?? {}), from: campaign.status };
      });
    },

    edit(merchantId, campaignId, change, at) {
      return whileUnchanged(merchantId, campaignId, async (campaign): Promise<EditOutcome> => {
        const reason = editRefusal(campaign);
        if (reason) return { ok: false, reason, campaign };
        const fields = Object.entries({ ...change, updatedAt: at.toISOString() }).filter(
          ([, value]) => value !== undefined,
        );
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: campaignsTable,
            Key: campaignKey(merchantId, campaignId),
            UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
            ConditionExpression:
              '#status = :seen AND attribute_not_exists(currentRun) AND attribute_not_exists(lastRun)',
            ExpressionAttributeNames: {
              '#status': 'status',
              ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
            },
            ExpressionAttributeValues: {
              ':seen': campaign.status,
              ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { ok: true, campaign: parse(Attributes ?? {}), before: campaign };
      });
    },

    async startRun(merchantId, campaignId, runId, at) {
      const start = () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: runStartWrites(campaignsTable, merchantId, campaignId, runId, at),
          }),
        );
      try {
        await retryConflicts(start);
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        if (codes[1] === 'ConditionalCheckFailed') {
          return { started: false, reason: `run ${runId} already completed`, finished: true };
        }
        const campaign = await get(merchantId, campaignId);
        if (!campaign) return undefined;
        const reason = runRefusal(campaign, runId) ?? 'the campaign changed meanwhile';
        return { started: false, reason, finished: false };
      }
      const run = await getRun(merchantId, campaignId, runId);
      if (!run) throw new Error(`run ${runId} of campaign ${campaignId} vanished after it was started`);
      return { started: true, run };
    },

    async advance(merchantId, campaignId, from, page, at) {
      try {
        await retryConflicts(() =>
          db.send(
            new TransactWriteCommand({
              TransactItems: pageWrites(campaignsTable, merchantId, campaignId, from, page, at),
            }),
          ),
        );
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return undefined;
        throw error;
      }
      return runAfterPage(from, page, at);
    },

    // Paused, cancelled or finished meanwhile: nothing waits.
    wait: (merchantId, campaignId, runId, { reason, until }) =>
      updateIfStill({
        TableName: campaignsTable,
        Key: campaignKey(merchantId, campaignId),
        UpdateExpression: 'SET waiting = :waiting',
        ConditionExpression: '#status = :running AND currentRun = :runId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':waiting': { reason, until: until.toISOString() },
          ':running': 'running',
          ':runId': runId,
        },
      }),

    abandonRun: (merchantId, campaignId, runId, problem, at) =>
      updateIfStill({
        TableName: campaignsTable,
        Key: runKey(merchantId, campaignId, runId),
        UpdateExpression:
          'SET #status = :completed, completedAt = :at, updatedAt = :at, problem = :problem REMOVE #cursor',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status', '#cursor': 'cursor' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':running': 'running',
          ':at': at.toISOString(),
          ':problem': problem,
        },
      }),

    closeRun(merchantId, campaignId, runId, at) {
      return whileUnchanged(merchantId, campaignId, async (campaign) => {
        if (campaign.currentRun !== runId) return campaign;
        const next = statusAfterRun(campaign);
        const unchanged = unchangedSince(campaign);
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: campaignsTable,
            Key: campaignKey(merchantId, campaignId),
            UpdateExpression: `SET #status = :next, lastRun = :runId, updatedAt = :at${next === 'completed' ? ', completedAt = :at' : ''} REMOVE currentRun, waiting`,
            ConditionExpression: unchanged.condition,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':next': next,
              ':runId': runId,
              ':at': at.toISOString(),
              ...unchanged.values,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return parse(Attributes ?? {});
      });
    },

    stats: (merchantId, campaignId) => readCampaignStats(db, campaignsTable, merchantId, campaignId),
    sentPerMinute: (merchantId, campaignId, minutes) =>
      readSentPerMinute(db, campaignsTable, merchantId, campaignId, minutes),
  };
}
