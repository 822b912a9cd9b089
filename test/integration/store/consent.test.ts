import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MarketingConsent, MemberInput, Suppression } from '../../../shared/schemas/member';
import { readCampaignStats, statsIncrement } from '../../../shared/store/campaign-stats';
import { membersStore } from '../../../shared/store/members';
import { newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
const campaignsTable = env.table('campaigns');
const shop = () => `shop-${randomUUID().slice(0, 8)}`;

const member = (merchantId: string, phone: string): MemberInput => ({
  merchantId,
  memberId: `mem-${randomUUID()}`,
  phone,
  joinedAt: '2026-11-23T01:00:00.000Z',
  joinChannel: 'merchant-api',
  joinRef: 'req-1',
  points: 0,
});

const change = (
  status: MarketingConsent['status'],
  ref: string,
  changedAt: string,
  extra: Partial<MarketingConsent> = {},
): MarketingConsent => ({
  status,
  changedAt,
  channel: 'sms-keyword',
  source: status === 'unsubscribed' ? 'TD' : '订阅',
  ref,
  ...extra,
});

const complaint = (ref: string, at: string, campaignId?: string): Suppression => ({
  reason: 'complaint',
  at,
  channel: 'sms-keyword',
  source: '投诉 天天发广告',
  ref,
  ...(campaignId ? { campaignId } : {}),
});

describe('consent ledger', () => {
  it('keeps every change as an immutable record, oldest first, with how it was made and why', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const joined = change('subscribed', 'in-1', '2026-11-01T08:00:00.000Z', {
      source: '注册 张三',
      keyword: 'join',
    });
    const optOut = change('unsubscribed', 'in-2', '2026-11-02T08:00:00.000Z', {
      keyword: 'TD',
      campaignId: 'C-1',
    });
    const staff = change('subscribed', 'req-3', '2026-11-03T08:00:00.000Z', {
      channel: 'merchant-staff',
      source: 'signed form, Xuhui store',
    });
    for (const consent of [joined, optOut, staff]) {
      expect(await members.recordMarketingConsent(merchantId, phone, consent)).toBe('recorded');
    }
    expect(await members.consentExport(merchantId, phone)).toEqual({
      marketing: staff,
      consent: [joined, optOut, staff],
      suppressionHistory: [],
    });
  });

  it('writes nothing new for a retry with the same ref, even made later, and counts its campaign once', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const campaignId = `C-${randomUUID()}`;
    const count = statsIncrement(campaignsTable, merchantId, campaignId, 'in-1', { optOuts: 1 });
    const first = change('unsubscribed', 'in-1', '2026-11-02T08:00:00.000Z', { campaignId });
    const retry = { ...first, changedAt: '2026-11-02T08:05:00.000Z' };
    expect(await members.recordMarketingConsent(merchantId, phone, first, { count })).toBe('recorded');
    expect(await members.recordMarketingConsent(merchantId, phone, retry, { count })).toBe('replayed');
    expect((await members.consentExport(merchantId, phone)).consent).toEqual([first]);
    expect(await readCampaignStats(env.dynamo(), campaignsTable, merchantId, campaignId)).toEqual({
      optOuts: 1,
    });
  });

  it('records nothing, and counts nothing, when the status already was that', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const campaignId = `C-${randomUUID()}`;
    await members.recordMarketingConsent(
      merchantId,
      phone,
      change('unsubscribed', 'in-1', '2026-11-02T08:00:00.000Z'),
    );
    const count = statsIncrement(campaignsTable, merchantId, campaignId, 'in-2', { optOuts: 1 });
    expect(
      await members.recordMarketingConsent(
        merchantId,
        phone,
        change('unsubscribed', 'in-2', '2026-11-02T09:00:00.000Z'),
        { count },
      ),
    ).toBe('unchanged');
    expect((await members.consentExport(merchantId, phone)).consent).toHaveLength(1);
    expect(await readCampaignStats(env.dynamo(), campaignsTable, merchantId, campaignId)).toEqual({});
  });

  it('opts a new member in with the member, unless the phone already chose', async () => {
    const merchantId = shop();
    const fresh = newPhone();
    const optIn = change('subscribed', 'req-1', '2026-11-23T01:00:00.000Z', {
      channel: 'merchant-api',
      source: 'paper form',
    });
    expect(await members.create(member(merchantId, fresh), optIn)).toEqual({
      status: 'created',
      consent: 'recorded',
    });
    expect((await members.contact(merchantId, fresh)).marketing).toEqual(optIn);

    const optedOut = newPhone();
    const optOut = change('unsubscribed', 'in-9', '2026-11-20T01:00:00.000Z');
    await members.recordMarketingConsent(merchantId, optedOut, optOut);
    expect(await members.create(member(merchantId, optedOut), optIn)).toEqual({
      status: 'created',
      consent: 'unchanged',
    });
    const contact = await members.contact(merchantId, optedOut);
    expect(contact.member?.phone).toBe(optedOut);
    expect(contact.marketing).toEqual(optOut);
    expect(await members.create(member(merchantId, optedOut), optIn)).toEqual({ status: 'exists' });
  });

  it('keeps the records of a member who was deleted', async () => {
    const merchantId = shop();
    const phone = newPhone();
    await members.create(member(merchantId, phone));
    const optOut = change('unsubscribed', 'in-1', '2026-11-02T08:00:00.000Z');
    await members.recordMarketingConsent(merchantId, phone, optOut);
    await members.softDelete(merchantId, phone, new Date('2026-11-05T00:00:00.000Z'));
    expect((await members.consentExport(merchantId, phone)).consent).toEqual([optOut]);
  });
});

describe('complaint suppression', () => {
  it('holds marketing back from a complaint until a person clears it, keeping who and why', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const first = complaint('in-1', '2026-11-02T08:00:00.000Z');
    expect(await members.recordComplaint(merchantId, phone, first)).toBe('recorded');
    expect((await members.contact(merchantId, phone)).suppression).toEqual(first);

    const outcome = await members.clearSuppression(merchantId, phone, {
      at: new Date('2026-11-03T08:00:00.000Z'),
      clearedBy: '王店长',
      note: 'called the customer; they want offers again',
      ref: 'req-7',
    });
    expect(outcome).toEqual({ status: 'cleared', suppression: first });
    expect((await members.contact(merchantId, phone)).suppression).toBeUndefined();
    expect((await members.consentExport(merchantId, phone)).suppressionHistory).toEqual([
      { event: 'complaint', ...first },
      {
        event: 'cleared',
        at: '2026-11-03T08:00:00.000Z',
        clearedBy: '王店长',
        note: 'called the customer; they want offers again',
        ref: 'req-7',
        complaintRef: 'in-1',
      },
    ]);
    expect(
      await members.clearSuppression(merchantId, phone, {
        at: new Date(),
        clearedBy: '王店长',
        note: 'again',
        ref: 'req-8',
      }),
    ).toEqual({ status: 'not-suppressed' });
  });

  it('records and counts a complaint once however often it is retried', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const campaignId = `C-${randomUUID()}`;
    const count = statsIncrement(campaignsTable, merchantId, campaignId, 'in-1', { complaints: 1 });
    const first = complaint('in-1', '2026-11-02T08:00:00.000Z', campaignId);
    expect(await members.recordComplaint(merchantId, phone, first, { count })).toBe('recorded');
    expect(
      await members.recordComplaint(
        merchantId,
        phone,
        { ...first, at: '2026-11-02T08:09:00.000Z' },
        { count },
      ),
    ).toBe('replayed');
    expect((await members.consentExport(merchantId, phone)).suppressionHistory).toHaveLength(1);
    expect(await readCampaignStats(env.dynamo(), campaignsTable, merchantId, campaignId)).toEqual({
      complaints: 1,
    });
  });

  it('shows the latest of several complaints, and keeps each one when a person clears them', async () => {
    const merchantId = shop();
    const phone = newPhone();
    await members.recordComplaint(merchantId, phone, complaint('in-1', '2026-11-02T08:00:00.000Z'));
    const later = complaint('in-2', '2026-11-02T09:00:00.000Z');
    await members.recordComplaint(merchantId, phone, later);
    expect((await members.contact(merchantId, phone)).suppression).toEqual(later);
    const outcome = await members.clearSuppression(merchantId, phone, {
      at: new Date('2026-11-03T08:00:00.000Z'),
      clearedBy: 'staff',
      note: 'both handled',
      ref: 'req-1',
    });
    expect(outcome).toEqual({ status: 'cleared', suppression: later });
    const history = (await members.consentExport(merchantId, phone)).suppressionHistory;
    expect(history.map((event) => [event.event, event.ref])).toEqual([
      ['complaint', 'in-1'],
      ['complaint', 'in-2'],
      ['cleared', 'req-1'],
    ]);
  });
});
