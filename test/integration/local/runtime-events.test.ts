import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env } from '../../../shared/env';
import { tables } from '../../../shared/resources';
import { membersStore } from '../../../shared/store/members';
import { type Local, startLocal } from '../../e2e/support';
import { newPhone } from '../../support';

/**
 * The local runtime's bus wired to the functions as the rules are in AWS: a member's text reaches
 * member-activity through the bus, each event delivered twice here (as EventBridge may) and counted
 * once; what failed shows beside the events; the scoring job fires on request like the other schedules.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal({ deliverEventsTwice: true });
});
afterAll(() => local?.stop());

describe('events in the local runtime', () => {
  it("delivers a member's text to member-activity by its rule, and it counts once though delivered twice", async () => {
    const { merchant, key } = await local.newShop();
    const phone = newPhone();
    const joined = await local.call(
      'POST',
      '/v1/members',
      key,
      { phone, name: '小明' },
      {
        'idempotency-key': randomUUID(),
      },
    );
    expect(joined.status).toBe(201);

    await local.sms(phone, '积分', { to: merchant.senderNumber });
    await local.eventsSettled();

    const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint }).dynamo();
    const { member } = await membersStore(db, tables.members.name).contact(merchant.merchantId, phone);
    const inbound = Object.values(member?.activity?.days ?? {}).reduce(
      (sum, day) => sum + (day.inbound ?? 0),
      0,
    );
    expect(inbound).toBe(1);
    const { body } = await local.call('GET', '/local/events?detailType=sms.received');
    expect(
      body.events.filter((event: { detail: { phone: string } }) => event.detail.phone === phone),
    ).toHaveLength(1);
    expect(body.deadLetters).toEqual([]);
  });

  it('runs the retention scoring job on request, as its quarter-hour schedule does', async () => {
    const time = '2027-01-01T02:00:00+08:00';
    const ran = await local.call('POST', '/local/schedules/retention-jobs', undefined, { time });
    expect(ran).toEqual({ status: 200, body: { ran: 'retention-jobs', time: new Date(time).toISOString() } });
  });
});
