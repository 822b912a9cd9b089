import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/** Top-up bonuses (充值赠送), spends of paid and bonus stored value, and refunds, through the local runtime. */
let local: Local;
let key: string;
let number: string;
const owner = newPhone();

beforeAll(async () => {
  local = await startLocal();
  const shop = await local.newShop({ name: '洗车行', signature: '【洗车行】' });
  key = shop.key;
  number = shop.merchant.senderNumber;
  const settings = await local.call('PATCH', '/v1/settings/loyalty', key, {
    topUpBonuses: [
      { name: '充200送20', minCents: 20_000, bonusCents: 2_000 },
      { name: '充500送60', minCents: 50_000, bonusCents: 6_000, bonusPoints: 100 },
    ],
  });
  expect(settings.status).toBe(200);
  expect(
    (await local.call('POST', '/v1/staff', key, { phone: owner, name: '老板', role: 'owner' })).status,
  ).toBe(201);
});
afterAll(() => local?.stop());

const path = (phone: string, rest = '') => `/v1/members/${encodeURIComponent(phone)}${rest}`;
const post = (route: string, body: unknown, idempotencyKey: string = randomUUID()) =>
  local.call('POST', route, key, body, { 'idempotency-key': idempotencyKey });

async function newMember() {
  const phone = newPhone();
  expect((await local.call('POST', '/v1/members', key, { phone, name: '李四' })).status).toBe(201);
  return phone;
}

describe('top-up bonuses through the API', () => {
  it('gives the highest rule once, keeps the bonus apart, spends and refunds only what was paid', async () => {
    const phone = await newMember();
    const topUpKey = `tu-${randomUUID()}`;
    const topped = await post(path(phone, '/stored-value/top-up'), { cents: 60_000 }, topUpKey);
    expect(topped).toMatchObject({
      status: 201,
      body: {
        entry: { type: 'top-up', delta: 66_000, bonusDelta: 6_000, bonusRule: '充500送60', bonusPoints: 100 },
        balances: { storedValue: 66_000, storedValueBonus: 6_000, points: 100 },
      },
    });
    // The rules change; a retry of the top-up answers the first one, bonus and all.
    await local.call('PATCH', '/v1/settings/loyalty', key, {
      topUpBonuses: [{ name: '充200送20', minCents: 20_000, bonusCents: 2_000 }],
      bonusSpendOrder: 'first',
    });
    const again = await post(path(phone, '/stored-value/top-up'), { cents: 60_000 }, topUpKey);
    expect(again).toMatchObject({ status: 200, body: { replayed: true, entry: { bonusDelta: 6_000 } } });

    // Bonus first now: 100 yuan takes the 60 of bonus and 40 paid.
    const spent = await post(path(phone, '/stored-value/spend'), { cents: 10_000 });
    expect(spent.body).toMatchObject({
      entry: { type: 'spend', delta: -10_000, bonusDelta: -6_000 },
      balances: { storedValue: 56_000, storedValueBonus: 0 },
    });
    const member = (await local.call('GET', path(phone), key)).body.member;
    expect(member).toMatchObject({ storedValue: 56_000, storedValueBonus: 0, points: 100 });

    // The refund takes the 560 paid left and the points; it hands back 500 (the 60 bonus spent is kept).
    const refundKey = `rf-${randomUUID()}`;
    const refunded = await post(path(phone, '/stored-value/refund'), { topUpKey, reason: '搬家' }, refundKey);
    expect(refunded).toMatchObject({
      status: 201,
      body: {
        entry: { type: 'refund', delta: -56_000, refundCents: 50_000, refundOf: topUpKey, bonusPoints: 100 },
        balances: { storedValue: 0, storedValueBonus: 0, points: 0 },
      },
    });
    expect(
      (await post(path(phone, '/stored-value/refund'), { topUpKey, reason: '搬家' }, refundKey)).status,
    ).toBe(200);
    const twice = await post(path(phone, '/stored-value/refund'), { topUpKey });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'already_refunded' } } });
    const unknown = await post(path(phone, '/stored-value/refund'), { topUpKey: 'no-such-top-up' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'top_up_not_found' } } });

    const ledger = (await local.call('GET', path(phone, '/ledger'), key)).body.entries as Body[];
    expect(ledger.map((entry) => `${entry.book} ${entry.type} ${entry.delta}`).sort()).toEqual([
      'points adjust -100',
      'points earn 100',
      'storedValue refund -56000',
      'storedValue spend -10000',
      'storedValue top-up 66000',
    ]);
    await local.eventsSettled();
    const events = (await local.call('GET', '/local/events?detailType=stored-value.topped-up')).body
      .events as Body[];
    expect(events.filter((event) => event.detail.idempotencyKey === topUpKey)).toMatchObject([
      { detail: { delta: 66_000, bonusDelta: 6_000, bonusRule: '充500送60', bonusPoints: 100 } },
    ]);
    const refunds = (await local.call('GET', '/local/events?detailType=stored-value.refunded')).body
      .events as Body[];
    expect(refunds.filter((event) => event.detail.refundOf === topUpKey)).toHaveLength(1);
  });

  it('refuses a rule that gives nothing at its field', async () => {
    const refused = await local.call('PATCH', '/v1/settings/loyalty', key, {
      topUpBonuses: [{ name: '空', minCents: 100 }],
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('topUpBonuses.0.bonusCents');
  });
});

describe('top-up bonuses by the CZ staff command', () => {
  it('tops up with the bonus and names it in the reply, once per text', async () => {
    await local.call('PATCH', '/v1/settings/loyalty', key, {
      topUpBonuses: [{ name: '充200送20', minCents: 20_000, bonusCents: 2_000 }],
    });
    const phone = await newMember();
    const messageId = `cz-${randomUUID()}`;
    await local.sms(owner, `CZ ${phone.replace('+86', '')} 200`, { to: number, messageId });
    await local.sms(owner, `CZ ${phone.replace('+86', '')} 200`, { to: number, messageId });
    const replies = await local.replies(owner, 1);
    expect(replies.at(-1)).toContain('充值200元，赠送20元（充200送20），储值余额220元');
    const member = (await local.call('GET', path(phone), key)).body.member;
    expect(member).toMatchObject({ storedValue: 22_000, storedValueBonus: 2_000 });
  });
});
