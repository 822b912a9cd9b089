import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  readCampaignStats,
  readSentPerMinute,
  sentMinuteIncrement,
} from '../../../shared/store/campaign-stats';
import { campaignsStore } from '../../../shared/store/campaigns';
import { newMerchant, testEnv } from '../../support';

const env = testEnv();
const table = env.table('campaigns');
const campaignId = '01KC2222222222222222222222';
const start = Date.parse('2027-01-04T02:00:00.000Z');
const minute = (n: number, second = 0) => new Date(start + n * 60_000 + second * 1000);

let merchantId: string;
beforeEach(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

/** Texts sent at these instants, each counted in its minute as send-sms counts it. */
async function sends(at: Date[]): Promise<void> {
  for (const [i, when] of at.entries()) {
    const add = sentMinuteIncrement(table, merchantId, campaignId, `msg-${when.getTime()}-${i}`, when);
    await env.dynamo().send(new TransactWriteCommand({ TransactItems: [add] }));
  }
}

describe("a campaign's texts per minute", () => {
  it('counts each text in its minute, oldest first, minutes that sent none absent', async () => {
    await sends([minute(0, 5), minute(0, 59), minute(0, 30), minute(2, 1)]);
    expect(await campaignsStore(env.dynamo(), table).sentPerMinute(merchantId, campaignId, 60)).toEqual([
      { minute: '2027-01-04T02:00:00.000Z', sent: 3 },
      { minute: '2027-01-04T02:02:00.000Z', sent: 1 },
    ]);
    // The campaign's counters are read apart: the minutes add nothing to them.
    expect(await readCampaignStats(env.dynamo(), table, merchantId, campaignId)).toEqual({});
  });

  it('reads the latest minutes only, however long the campaign sent', async () => {
    // Twelve minutes, each with texts on several shards.
    await sends(Array.from({ length: 12 * 6 }, (_, i) => minute(Math.floor(i / 6), i % 6)));
    const latest = await readSentPerMinute(env.dynamo(), table, merchantId, campaignId, 5);
    // A minute read in part (its other shards beyond the page) is left out, not shown short.
    expect(latest.length).toBeGreaterThanOrEqual(4);
    expect(latest.length).toBeLessThanOrEqual(5);
    expect(latest.at(-1)).toEqual({ minute: minute(11).toISOString(), sent: 6 });
    expect(latest.every((m) => m.sent === 6)).toBe(true);
    expect(latest.map((m) => m.minute)).toEqual([...latest.map((m) => m.minute)].sort());
  });
});
