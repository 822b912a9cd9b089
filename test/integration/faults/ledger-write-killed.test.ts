import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from '../../../functions/merchant-api/http';
import { earn, type LedgerRoutesDeps } from '../../../functions/merchant-api/ledger';
import type { Env } from '../../../shared/env';
import type { Merchant } from '../../../shared/schemas/merchant';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { apiKeyCaller, newMerchant, newPhone, outboxEvent } from '../../support';
import { outboxHarness } from './outbox-harness';

/**
 * An earn killed as Lambda can kill it: once its ledger transaction has committed, before the answer
 * reaches the till. The till sends the earn again with the same key: the same entry answers, the
 * balance moves once, and the one event committed with the entry (in the outbox) stays the only one.
 */
let harness: Awaited<ReturnType<typeof outboxHarness>>;
let env: Env;
beforeAll(async () => {
  harness = await outboxHarness();
  env = harness.env;
});
afterAll(() => harness?.stop());
const members = () => membersStore(env.dynamo(), env.table('members'));

function setup(merchant: Merchant) {
  const killing = harness.killable('merchant-api');
  const deps: LedgerRoutesDeps = {
    members: members(),
    ledger: ledgerStore(killing.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox')),
    clock: () => new Date(),
  };
  const earnFor = (phone: string, key: string, body: object) =>
    earn(
      {
        pathParameters: { phone },
        headers: { 'idempotency-key': key },
        body: JSON.stringify(body),
        isBase64Encoded: false,
      } as unknown as Request,
      merchant,
      deps,
      apiKeyCaller(merchant),
    ).then((response) => ({ status: response.statusCode, body: JSON.parse(response.body ?? '{}') }));
  return { earnFor };
}

async function member(merchant: Merchant): Promise<string> {
  const phone = newPhone();
  await members().create({
    merchantId: merchant.merchantId,
    memberId: `mem-${randomUUID()}`,
    phone,
    joinedAt: new Date().toISOString(),
    joinChannel: 'merchant-api',
    joinRef: randomUUID(),
    points: 0,
  });
  return phone;
}

async function pointsOf(merchant: Merchant, phone: string) {
  const { member: found } = await members().contact(merchant.merchantId, phone);
  const history = await ledgerStore(env.dynamo(), env.table('ledger'), env.table('members')).history(
    merchant.merchantId,
    found?.memberId ?? '',
    { limit: 10 },
  );
  return { points: found?.points, entries: history.entries.map((entry) => entry.entryId) };
}

describe('an earn killed between its ledger transaction and its answer', () => {
  it('killed right after the commit: the retry answers with the same entry, and the balance moved once', async () => {
    const { merchant } = await newMerchant(env);
    const { earnFor } = setup(merchant);
    const phone = await member(merchant);

    harness.killAfterNextCommit();
    await expect(earnFor(phone, 'order-1', { purchaseCents: 12_000 })).rejects.toThrow('Lambda killed');
    const committed = await pointsOf(merchant, phone);
    expect(committed).toEqual({ points: 120, entries: [expect.any(String)] });

    const retried = await earnFor(phone, 'order-1', { purchaseCents: 12_000 });
    expect(retried).toMatchObject({
      status: 200,
      body: {
        replayed: true,
        entry: { entryId: committed.entries[0], delta: 120 },
        balances: { points: 120 },
      },
    });
    expect(await pointsOf(merchant, phone)).toEqual(committed);
    // The event was committed with the entry, in the outbox: outbox-publisher puts it on the bus
    // (event-outbox.test.ts); the route itself publishes nothing.
    expect(await outboxEvent(env, merchant.merchantId, 'ledger:order-1')).toMatchObject({
      detailType: 'points.earned',
      detail: { entryId: committed.entries[0], delta: 120 },
    });
  });

  it('killed before the answer: the retries, even two at once, change nothing more', async () => {
    const { merchant } = await newMerchant(env);
    const { earnFor } = setup(merchant);
    const phone = await member(merchant);
    await earnFor(phone, 'order-0', { points: 5 });

    harness.killAfterNextCommit();
    await expect(earnFor(phone, 'order-2', { purchaseCents: 3_000 })).rejects.toThrow('Lambda killed');
    const retries = await Promise.all([
      earnFor(phone, 'order-2', { purchaseCents: 3_000 }),
      earnFor(phone, 'order-2', { purchaseCents: 3_000 }),
    ]);
    expect(retries.map((reply) => [reply.status, reply.body.replayed, reply.body.balances.points])).toEqual([
      [200, true, 35],
      [200, true, 35],
    ]);
    const { points, entries } = await pointsOf(merchant, phone);
    expect({ points, entries: entries.length }).toEqual({ points: 35, entries: 2 });
    // One event, committed with the one entry, whatever the retries.
    expect(await outboxEvent(env, merchant.merchantId, 'ledger:order-2')).toMatchObject({
      detail: { entryId: retries[0]?.body.entry.entryId },
    });
  });
});
