import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CampaignRun } from '../schemas/campaign';
import { statsIncrement } from './campaign-stats';

/**
 * The Campaigns table's keys, and the writes a fan-out run makes: starting (or continuing) a run, and
 * moving its checkpoint past one page with the page's counts, each one transaction.
 */

export const campaignKey = (merchantId: string, campaignId: string) => ({
  pk: merchantId,
  sk: `CAMPAIGN#${campaignId}`,
});
export const runKey = (merchantId: string, campaignId: string, runId: string) => ({
  pk: merchantId,
  sk: `RUN#${campaignId}#${runId}`,
});

/** What one page of the audience added to a run; `cursor` is where the next page starts, absent after the last. */
export interface PageProgress {
  cursor?: string;
  targeted: number;
  heldOut: number;
  /** Texts of a service campaign to members without marketing consent: counted in the stats only. */
  serviceNotices?: number;
}

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** The campaign marked as running run `runId`, and the run's checkpoint created or found. */
export function runStartWrites(
  table: string,
  merchantId: string,
  campaignId: string,
  runId: string,
  at: Date,
): TransactItems {
  return [
    {
      Update: {
        TableName: table,
        Key: campaignKey(merchantId, campaignId),
        UpdateExpression: 'SET #status = :running, currentRun = :runId, updatedAt = :at REMOVE waiting',
        // runRefusal's rule, as a condition.
        ConditionExpression:
          '(#status = :scheduled AND attribute_not_exists(currentRun)) OR ' +
          '(#status = :running AND currentRun = :runId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':running': 'running',
          ':scheduled': 'scheduled',
          ':runId': runId,
          ':at': at.toISOString(),
        },
      },
    },
    {
      Update: {
        TableName: table,
        Key: runKey(merchantId, campaignId, runId),
        UpdateExpression:
          'SET runId = :runId, #status = if_not_exists(#status, :running), ' +
          'startedAt = if_not_exists(startedAt, :at), pages = if_not_exists(pages, :zero), ' +
          'targeted = if_not_exists(targeted, :zero), heldOut = if_not_exists(heldOut, :zero), ' +
          'updatedAt = :at',
        ConditionExpression: 'attribute_not_exists(#status) OR #status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':runId': runId,
          ':running': 'running',
          ':zero': 0,
          ':at': at.toISOString(),
        },
      },
    },
  ];
}

/**
 * The checkpoint moved past one page, on condition that it is still at the cursor the page started
 * from, with the page's counts added to the run and to the campaign's stats.
 */
export function pageWrites(
  table: string,
  merchantId: string,
  campaignId: string,
  from: CampaignRun,
  page: PageProgress,
  at: Date,
): TransactItems {
  const last = page.cursor === undefined;
  const values: Record<string, unknown> = {
    ':running': 'running',
    ':one': 1,
    ':targeted': page.targeted,
    ':heldOut': page.heldOut,
    ':at': at.toISOString(),
    ...(from.cursor !== undefined ? { ':from': from.cursor } : {}),
    ...(last ? { ':completed': 'completed' } : { ':next': page.cursor }),
  };
  const counts = 'pages = pages + :one, targeted = targeted + :targeted, heldOut = heldOut + :heldOut';
  const stats = statsIncrement(table, merchantId, campaignId, `${from.runId}#${from.pages}`, {
    targeted: page.targeted,
    heldOut: page.heldOut,
    serviceNotices: page.serviceNotices,
  });
  return [
    {
      Update: {
        TableName: table,
        Key: runKey(merchantId, campaignId, from.runId),
        UpdateExpression: last
          ? `SET ${counts}, updatedAt = :at, #status = :completed, completedAt = :at REMOVE #cursor`
          : `SET ${counts}, updatedAt = :at, #cursor = :next`,
        ConditionExpression: `#status = :running AND ${from.cursor !== undefined ? '#cursor = :from' : 'attribute_not_exists(#cursor)'}`,
        ExpressionAttributeNames: { '#status': 'status', '#cursor': 'cursor' },
        ExpressionAttributeValues: values,
      },
    },
    ...(stats ? [stats] : []),
  ];
}

/** The run as pageWrites leaves it. */
export function runAfterPage(from: CampaignRun, page: PageProgress, at: Date): CampaignRun {
  const { cursor: _from, ...rest } = from;
  return {
    ...rest,
    ...(page.cursor === undefined
      ? { status: 'completed', completedAt: at.toISOString() }
      : { cursor: page.cursor }),
    pages: from.pages + 1,
    targeted: from.targeted + page.targeted,
    heldOut: from.heldOut + page.heldOut,
    updatedAt: at.toISOString(),
  };
}
