import { describe, expect, it } from 'vitest';
import { newPhone } from '../../support';
import { campaignText, complianceWorld, serviceText } from './support';

describe('marketing consent', () => {
  it('sends a member who never opted in service texts but no marketing', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    expect((await world.call('POST', '/v1/members', { phone, name: '张三' })).status).toBe(201);

    const delivered = await world.send(
      serviceText(world.merchant, phone),
      campaignText(world.merchant, phone, 'C-no-consent'),
    );
    expect(delivered.map((text) => text.category)).toEqual(['service']);
    expect((await world.call('GET', `/v1/members/${phone}/consent`)).body.consent).toMatchObject({
      status: 'none',
      records: [],
    });
  });

  it('exports each change with its source, oldest first: text, API and staff', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    await world.text(phone, '注册 张三');
    await world.text(phone, 'ＴＤ');
    const staff = await world.call('POST', `/v1/members/${phone}/consent`, {
      status: 'subscribed',
      source: 'signed paper form at the Xuhui store',
      channel: 'merchant-staff',
    });
    expect(staff.status).toBe(201);

    const exported = await world.call('GET', `/v1/members/${encodeURIComponent(phone)}/consent`);
    expect(exported.status).toBe(200);
    expect(exported.body.consent).toMatchObject({ phone, status: 'subscribed' });
    expect(exported.body.consent.records).toEqual([
      expect.objectContaining({
        status: 'subscribed',
        channel: 'sms-keyword',
        source: '注册 张三',
        keyword: 'join',
      }),
      expect.objectContaining({
        status: 'unsubscribed',
        channel: 'sms-keyword',
        source: 'ＴＤ',
        keyword: 'TD',
      }),
      expect.objectContaining({
        status: 'subscribed',
        channel: 'merchant-staff',
        source: 'signed paper form at the Xuhui store',
        ref: staff.body.consent.ref,
      }),
    ]);
    const times = exported.body.consent.records.map((record: { changedAt: string }) => record.changedAt);
    expect(times).toEqual([...times].sort());
  });

  it('opts a member in when the merchant adds them with consent, and records how', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    const created = await world.call('POST', '/v1/members', {
      phone,
      marketingConsent: { source: 'ticked the offers box on the membership form' },
    });
    expect(created.body.member.marketing).toMatchObject({ status: 'subscribed', channel: 'merchant-api' });
    expect((await world.call('GET', `/v1/members/${phone}/consent`)).body.consent.records).toEqual([
      expect.objectContaining({
        status: 'subscribed',
        channel: 'merchant-api',
        source: 'ticked the offers box on the membership form',
      }),
    ]);
    expect(await world.send(campaignText(world.merchant, phone, 'C-api-consent'))).toHaveLength(1);
  });

  it('keeps an opt-out texted before joining, whatever consent the merchant adds the member with', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    await world.text(phone, '退订');
    const created = await world.call('POST', '/v1/members', {
      phone,
      marketingConsent: { source: 'signed form' },
    });
    expect(created.body.member.marketing).toMatchObject({ status: 'unsubscribed', channel: 'sms-keyword' });
    expect(await world.send(campaignText(world.merchant, phone, 'C-earlier-opt-out'))).toEqual([]);
  });

  it('refuses a change without proof of how consent was given, and records nothing', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    const refused = await world.call('POST', `/v1/members/${phone}/consent`, {
      status: 'subscribed',
      source: 'yes',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([
      { path: 'source', message: expect.stringContaining('no proof') },
    ]);
    expect((await world.call('POST', '/v1/members', { phone, marketingConsent: {} })).status).toBe(400);
    expect((await world.call('GET', `/v1/members/${phone}/consent`)).body.consent).toMatchObject({
      status: 'none',
      records: [],
    });
  });

  it('records nothing when the status already is the one asked for', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    const body = { status: 'unsubscribed', source: 'asked at the counter' };
    expect((await world.call('POST', `/v1/members/${phone}/consent`, body)).status).toBe(201);
    const again = await world.call('POST', `/v1/members/${phone}/consent`, body);
    expect(again).toMatchObject({ status: 200, body: { changed: false } });
    expect((await world.call('GET', `/v1/members/${phone}/consent`)).body.consent.records).toHaveLength(1);
  });
});
