import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCampaignStats } from '../../../shared/store/campaign-stats';
import { recordComplaint } from '../../../shared/use-cases/record-complaint';
import { newPhone, outboxEvents } from '../../support';
import { campaignText, complianceWorld, env, serviceText } from './support';

describe('complaints', () => {
  it('suppresses marketing to a member who complains until a person clears it, and counts it for the campaign', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    const campaignId = `C-${randomUUID()}`;
    await world.text(phone, '注册 王五');
    expect(await world.send(campaignText(world.merchant, phone, campaignId))).toHaveLength(1);

    await world.text(phone, '投诉 你们天天发广告');
    expect(world.queued.at(-1)).toMatchObject({
      category: 'service',
      body: expect.stringContaining('投诉已收到'),
    });
    const held = await world.send(
      campaignText(world.merchant, phone, `C-${randomUUID()}`),
      serviceText(world.merchant, phone),
    );
    expect(held.map((text) => text.category)).toEqual(['service']);
    const stats = await readCampaignStats(
      env.dynamo(),
      env.table('campaigns'),
      world.merchant.merchantId,
      campaignId,
    );
    expect(stats.complaints).toBe(1);

    const cleared = await world.call('DELETE', `/v1/members/${phone}/suppression`, {
      clearedBy: '王店长',
      note: 'called the customer and apologised; they still want offers',
    });
    expect(cleared).toMatchObject({
      status: 200,
      body: { suppression: { reason: 'complaint', campaignId } },
    });
    expect(await world.send(campaignText(world.merchant, phone, `C-${randomUUID()}`))).toHaveLength(1);

    const exported = await world.call('GET', `/v1/members/${phone}/consent`);
    expect(exported.body.consent.suppression).toBeUndefined();
    expect(exported.body.consent.suppressionHistory).toEqual([
      expect.objectContaining({ event: 'complaint', source: '投诉 你们天天发广告', channel: 'sms-keyword' }),
      expect.objectContaining({ event: 'cleared', clearedBy: '王店长' }),
    ]);
  });

  it("suppresses marketing on the provider's spam feedback, once however often it is reported", async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    await world.text(phone, '注册');
    const deps = {
      members: world.stores.members,
      messages: world.stores.messages,
      campaignsTable: env.table('campaigns'),
    };
    const feedback = {
      merchantId: world.merchant.merchantId,
      phone,
      at: world.clock(),
      channel: 'provider' as const,
      source: 'TEXT_SPAM',
      ref: `feedback-${randomUUID()}`,
    };
    expect(await recordComplaint(deps, feedback)).toEqual({ status: 'recorded' });
    expect(await recordComplaint(deps, feedback)).toEqual({ status: 'replayed' });
    // Committed once, with the complaint: the churn facts count it once.
    const complained = await outboxEvents(env, world.merchant.merchantId, [phone]);
    expect(complained.filter((event) => event.detailType === 'member.complained')).toEqual([
      {
        detailType: 'member.complained',
        detail: expect.objectContaining({ eventId: `complaint:${feedback.ref}` }),
      },
    ]);
    expect(await world.send(campaignText(world.merchant, phone, `C-${randomUUID()}`))).toEqual([]);
    expect(
      (await world.call('GET', `/v1/members/${phone}/consent`)).body.consent.suppressionHistory,
    ).toHaveLength(1);
  });

  it('refuses to clear without who and why, and answers 404 when nothing is suppressed', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    await world.text(phone, '举报');
    const refused = await world.call('DELETE', `/v1/members/${phone}/suppression`, { clearedBy: '王店长' });
    expect(refused.status).toBe(400);
    expect((await world.stores.members.contact(world.merchant.merchantId, phone)).suppression).toBeDefined();

    const other = newPhone();
    const none = await world.call('DELETE', `/v1/members/${other}/suppression`, {
      clearedBy: 'a',
      note: 'b',
    });
    expect(none).toMatchObject({ status: 404, body: { error: { code: 'not_suppressed' } } });
  });
});
