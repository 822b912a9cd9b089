import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/** The dashboard's figures as they stand, through the local runtime: counted by the API, not the browser. */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

describe('GET /v1/stats/now', () => {
  it('counts current members, tickets not yet closed and campaigns sending, and follows their changes', async () => {
    const { key, merchant } = await local.newShop();
    const now = async () => {
      const answer = await local.call('GET', '/v1/stats/now', key);
      expect(answer.status).toBe(200);
      return answer.body.stats;
    };
    expect(await now()).toEqual({ members: 0, openTickets: 0, runningCampaigns: 0 });

    const [first, second, third] = [newPhone(), newPhone(), newPhone()];
    for (const phone of [first, second]) {
      expect((await local.call('POST', '/v1/members', key, { phone })).status).toBe(201);
    }
    await local.sms(third, '反馈 拿铁太甜了', { to: merchant.senderNumber });
    await local.sms(third, '反馈 座位不够', { to: merchant.senderNumber });
    await local.replies(third, 2);
    expect(await now()).toEqual({ members: 2, openTickets: 2, runningCampaigns: 0 });

    expect((await local.call('DELETE', `/v1/members/${encodeURIComponent(first)}`, key)).status).toBe(200);
    expect((await local.call('POST', '/v1/tickets/1/close', key)).status).toBe(200);
    expect(await now()).toEqual({ members: 1, openTickets: 1, runningCampaigns: 0 });
  });
});
