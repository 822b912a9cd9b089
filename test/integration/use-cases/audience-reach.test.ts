import { beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../../../shared/schemas/merchant';
import { audienceReader } from '../../../shared/store/audience-members';
import { consentReader, membersStore } from '../../../shared/store/members';
import { audienceReach } from '../../../shared/use-cases/audience-reach';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const db = env.dynamo();
const table = env.table('members');
const members = membersStore(db, table);
const deps = { audienceReader: audienceReader(db, table), consents: consentReader(db, table) };
const vip = { field: 'tags', op: 'contains', value: 'vip' } as const;
const now = new Date('2026-06-15T04:00:00Z');
let merchant: Merchant;

/** A member tagged vip (or not), with the phone's marketing standing as given. */
async function member(
  i: number,
  standing: 'subscribed' | 'unsubscribed' | 'none' | 'complained',
  tags = ['vip'],
) {
  const phone = newPhone();
  await members.register({
    merchantId: merchant.merchantId,
    memberId: `reach-${merchant.merchantId}-${i}`,
    phone,
    tags,
    joinedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    joinChannel: 'import',
    joinRef: 'test',
    points: 0,
  });
  const at = now.toISOString();
  if (standing !== 'none') {
    const status = standing === 'unsubscribed' ? 'unsubscribed' : 'subscribed';
    await members.recordMarketingConsent(merchant.merchantId, phone, {
      status,
      changedAt: at,
      channel: 'merchant-api',
      source: 'signed form',
      ref: `consent-${phone}`,
    });
  }
  if (standing === 'complained') {
    await members.recordComplaint(merchant.merchantId, phone, {
      reason: 'complaint',
      at,
      channel: 'sms-keyword',
      source: '投诉',
      ref: `complaint-${phone}`,
    });
  }
}

beforeAll(async () => {
  merchant = (await newMerchant(env)).merchant;
  const standings = ['subscribed', 'subscribed', 'complained', 'unsubscribed', 'none', 'none'] as const;
  for (const [i, standing] of standings.entries()) await member(i, standing);
  await member(9, 'subscribed', []);
});

describe('audienceReach', () => {
  it('counts the audience and, beside it, the members a marketing text reaches, with why the others are not', async () => {
    const reach = await audienceReach(merchant, vip, { category: 'marketing', now, sampleSize: 3 }, deps);
    expect(reach).toMatchObject({
      count: 6,
      reachable: 2,
      serviceNotices: 0,
      unreachable: { complaint: 1, 'opted-out': 1, 'no-consent': 2 },
    });
    expect(reach.sample).toHaveLength(3);
    expect(reach.sample.every((m) => m.tags.includes('vip'))).toBe(true);
  });

  it('reaches every valid number with a service text, counting those without marketing consent', async () => {
    const reach = await audienceReach(merchant, vip, { category: 'service', now, sampleSize: 0 }, deps);
    expect(reach).toEqual({ count: 6, reachable: 6, serviceNotices: 4, unreachable: {}, sample: [] });
  });
});
