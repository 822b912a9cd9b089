import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../../shared/schemas/merchant';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/**
 * A campaign created under the client's own id, as the console's composer creates it, through the
 * local runtime: once however often the request comes, then sent and counted per minute.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

async function shop() {
  const { key } = await local.newShop({
    name: '花店',
    signature: '【花店】',
    // Open all day, so the campaign sends whatever the hour the test runs.
    sending: { marketingHours: { start: '00:00', end: '24:00' } } as Merchant['sending'],
  });
  const call = (method: string, path: string, body?: unknown) =>
    local.call(method, path, key, body, { 'idempotency-key': randomUUID() });
  return { call };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("a campaign under the client's id", () => {
  it('is created once: a repeat answers it as it is now, another campaign under the id is refused; its stats count its texts per minute', async () => {
    const { call } = await shop();
    const tag = `c${randomUUID().slice(0, 6)}`;
    const phones = [newPhone(), newPhone(), newPhone()];
    for (const phone of phones) {
      const added = await call('POST', '/v1/members', {
        phone,
        name: '小明',
        tags: [tag],
        marketingConsent: { source: '门店登记表' },
      });
      expect(added.status).toBe(201);
    }
    const template = await call('POST', '/v1/templates', {
      name: '新品',
      body: '{{name}}，新品到店',
      category: 'marketing',
    });
    const campaignId = '01KC0000000000000000000000';
    const body = {
      campaignId,
      name: '新品',
      templateId: template.body.template.templateId,
      audience: { definition: { field: 'tags', op: 'contains', value: tag } },
      schedule: { kind: 'now' },
      testPhones: ['13800000001'],
    };
    const first = await call('POST', '/v1/campaigns', body);
    expect(first.status).toBe(201);
    expect(first.body.campaign).toMatchObject({
      campaignId,
      status: 'draft',
      testPhones: ['+8613800000001'],
    });
    expect(await call('POST', '/v1/campaigns', body)).toEqual({ status: 200, body: first.body });
    const other = await call('POST', '/v1/campaigns', { ...body, holdoutPercent: 10 });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'campaign_exists' } } });
    expect((await call('GET', '/v1/campaigns')).body.campaigns).toHaveLength(1);

    expect((await call('POST', `/v1/campaigns/${campaignId}/schedule`)).status).toBe(200);
    const stats = await until(
      'the sends counted',
      async () => (await call('GET', `/v1/campaigns/${campaignId}/stats`)).body.stats,
      (counted) => counted.sent === 3,
    );
    // Scheduled and sent, a repeat still answers the campaign, as it is now.
    const repeat = await call('POST', '/v1/campaigns', body);
    expect(repeat.status).toBe(200);
    expect(repeat.body.campaign.status).not.toBe('draft');
    const minutes: { minute: string; sent: number }[] = stats.sentPerMinute;
    expect(minutes.reduce((sum, m) => sum + m.sent, 0)).toBe(3);
    expect(minutes.every((m) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/.test(m.minute))).toBe(true);
    expect(Date.now() - Date.parse(minutes[0]?.minute ?? '')).toBeLessThan(5 * 60_000);
  });
});
