import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Audience } from '../../../shared/domain/audience';
import { audiencesStore } from '../../../shared/store/audiences';
import { newMerchant, testEnv } from '../../support';

const env = testEnv();
const audiences = audiencesStore(env.dynamo(), env.table('campaigns'));
let merchantId: string;
let otherMerchantId: string;

beforeEach(async () => {
  [merchantId, otherMerchantId] = await Promise.all([
    newMerchant(env).then(({ merchant }) => merchant.merchantId),
    newMerchant(env).then(({ merchant }) => merchant.merchantId),
  ]);
});

const lapsedVips: Audience = {
  and: [
    { field: 'tags', op: 'contains', value: 'vip' },
    {
      or: [
        { field: 'daysSinceLastPurchase', op: 'gt', value: 90 },
        { not: { field: 'attributes.optIn', op: 'eq', value: true } },
      ],
    },
  ],
};
const at = (second: number) => new Date(Date.UTC(2026, 5, 15, 4, 0, second));

describe('the saved audiences store', () => {
  it('keeps an audience as created, for its merchant only', async () => {
    const { audience: saved, created } = await audiences.create(
      merchantId,
      { name: '沉睡VIP', definition: lapsedVips },
      at(0),
    );
    expect(created).toBe(true);
    expect(saved).toEqual({
      audienceId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      name: '沉睡VIP',
      definition: lapsedVips,
      createdAt: at(0).toISOString(),
    });
    expect(await audiences.get(merchantId, saved.audienceId)).toEqual(saved);
    expect(await audiences.get(otherMerchantId, saved.audienceId)).toBeUndefined();
  });

  it('lists newest first, a page at a time, and nothing else kept beside them', async () => {
    const table = env.table('campaigns');
    // Campaigns and templates share the merchant's partition.
    for (const sk of [
      'CAMPAIGN#01J0000000000000000000000A',
      'TEMPLATE#01J0000000000000000000000A',
      'STATS#x#0',
    ]) {
      await env.dynamo().send(new PutCommand({ TableName: table, Item: { pk: merchantId, sk } }));
    }
    for (let i = 0; i < 3; i++) {
      await audiences.create(merchantId, { name: `a${i}`, definition: lapsedVips }, at(i));
    }
    await audiences.create(otherMerchantId, { name: 'other', definition: lapsedVips }, at(9));
    const first = await audiences.list(merchantId, { limit: 2 });
    expect(first.audiences.map((a) => a.name)).toEqual(['a2', 'a1']);
    const second = await audiences.list(merchantId, { limit: 2, cursor: first.cursor });
    expect(second.audiences.map((a) => a.name)).toEqual(['a0']);
    expect(second.cursor).toBeUndefined();
  });

  it("saves under the caller's id once: a repeat answers the audience kept, as it was", async () => {
    const audienceId = '01J0000000000000000000000B';
    const first = await audiences.create(
      merchantId,
      { audienceId, name: '首次', definition: lapsedVips },
      at(0),
    );
    const again = await audiences.create(
      merchantId,
      { audienceId, name: '重复', definition: { field: 'points', op: 'gt', value: 1 } },
      at(5),
    );
    expect(first.created).toBe(true);
    expect(again).toEqual({ audience: first.audience, created: false });
    expect((await audiences.list(merchantId, { limit: 10 })).audiences).toEqual([first.audience]);
  });

  it('deletes once: again, or from another merchant, finds nothing', async () => {
    const { audience: saved } = await audiences.create(
      merchantId,
      { name: 'x', definition: lapsedVips },
      at(0),
    );
    expect(await audiences.delete(otherMerchantId, saved.audienceId)).toBeUndefined();
    expect(await audiences.get(merchantId, saved.audienceId)).toEqual(saved);
    expect(await audiences.delete(merchantId, saved.audienceId)).toEqual(saved);
    expect(await audiences.get(merchantId, saved.audienceId)).toBeUndefined();
    expect(await audiences.delete(merchantId, saved.audienceId)).toBeUndefined();
  });

  it('refuses a definition the language does not allow, and saves nothing', async () => {
    const bad = { field: 'shoe', op: 'eq', value: 1 } as unknown as Audience;
    await expect(audiences.create(merchantId, { name: 'x', definition: bad }, at(0))).rejects.toThrow(
      /unknown field/,
    );
    expect((await audiences.list(merchantId, { limit: 10 })).audiences).toEqual([]);
  });
});
