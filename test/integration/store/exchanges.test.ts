import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Benefit } from '../../../shared/schemas/benefit';
import type { MemberInput } from '../../../shared/schemas/member';
import { benefitsStore } from '../../../shared/store/benefits';
import { type ExchangeOutcome, exchangeLedgerKey } from '../../../shared/store/exchanges';
import { ledgerStore, type MemberRef } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { newMerchant, newPhone, testEnv, testExchanges } from '../../support';

/**
 * Exchanges (积分兑换) against DynamoDB Local: the points, the stock and the claim in one transaction.
 * The property mixes exchanges with earns, expiries and redeems on a few members, repeats idempotency
 * keys and races exchanges of a small stock, and checks the books and the catalog after each step.
 */
const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'));
const ledger = ledgerStore(db, env.table('ledger'), env.table('members'));
const benefits = benefitsStore(db, env.table('benefits'));
const exchanges = testExchanges(env);
let merchantId: string;

beforeAll(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

async function newMember(): Promise<MemberRef> {
  const member: MemberInput = {
    merchantId,
    memberId: `mem-${randomUUID()}`,
    phone: newPhone(),
    joinedAt: new Date().toISOString(),
    joinChannel: 'merchant-api',
    joinRef: 'test',
    points: 0,
  };
  expect(await members.register(member)).toBe(true);
  return { memberId: member.memberId, phone: member.phone };
}

const at = new Date('2026-11-23T02:00:00Z');
let codes = 0;
const newGift = (fields: Partial<Benefit> & { pricePoints: number }) =>
  benefits.put(merchantId, {
    code: `X${++codes}${randomUUID().slice(0, 6).toUpperCase().replace(/-/g, '')}`,
    name: '雨伞',
    tiers: [],
    limit: 'monthly',
    ...fields,
  });

const exchange = (benefit: Benefit, member: MemberRef, key: string, period = '2026-11') =>
  exchanges.exchange({
    merchantId,
    memberId: member.memberId,
    phone: member.phone,
    benefit,
    pricePoints: benefit.pricePoints as number,
    period,
    claimedAt: at.toISOString(),
    idempotencyKey: key,
    at,
    year: '2026',
  });
const earn = (member: MemberRef, points: number, key: string, expiresOn = '2027-12-31') =>
  ledger.post({
    merchantId,
    member,
    posting: { book: 'points', type: 'earn', delta: points, expiresOn },
    idempotencyKey: key,
    at,
    year: '2026',
  });

async function entries(member: MemberRef) {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: env.table('ledger'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': `${merchantId}#${member.memberId}`, ':entry': 'ENTRY#' },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/** Everything an exchange could touch for the member and the benefit, to prove a refusal changed nothing. */
async function state(member: MemberRef, benefit: Benefit) {
  const [found, rows, claims, current] = await Promise.all([
    members.contact(merchantId, member.phone),
    entries(member),
    benefits.claims(merchantId, member.memberId),
    benefits.get(merchantId, benefit.code),
  ]);
  return {
    points: found.member?.points,
    consumed: found.member?.pointsConsumed,
    entries: rows.length,
    claims: claims.length,
    stock: current?.stock,
    claimed: current?.claimed,
  };
}

describe('exchanges store', () => {
  it('takes the points, the stock and the claim together, and answers a retry as the first time', async () => {
    const gift = await newGift({ pricePoints: 300, stock: 2 });
    const member = await newMember();
    await earn(member, 100, `e-${randomUUID()}`, '2026-12-31');
    await earn(member, 400, `e-${randomUUID()}`, '2027-12-31');
    const key = randomUUID();
    const first = await exchange(gift, member, key);
    expect(first).toMatchObject({
      status: 'granted',
      claim: { code: gift.code, pricePoints: 300 },
      entry: { type: 'redeem', delta: -300, benefitCode: gift.code, idempotencyKey: exchangeLedgerKey(key) },
      balances: { points: 200 },
    });
    // The soonest-expiring points went first: the 100 expiring in 2026 are used up.
    const lots = await ledger.lots(merchantId, member.memberId);
    const { member: after } = await members.contact(merchantId, member.phone);
    expect(lots).toHaveLength(2);
    expect(after?.pointsConsumed).toBe(300);
    const again = await exchange(gift, member, key);
    expect(again).toEqual({ ...first, status: 'replayed' });
    expect(await state(member, gift)).toMatchObject({
      points: 200,
      entries: 3,
      claims: 1,
      stock: 1,
      claimed: 1,
    });
  });

  it('refuses too few points, a second claim in the period, no stock and another operation’s key, changing nothing', async () => {
    const gift = await newGift({ pricePoints: 300, stock: 1 });
    const member = await newMember();
    await earn(member, 299, `e-${randomUUID()}`);
    const before = await state(member, gift);
    expect(await exchange(gift, member, randomUUID())).toEqual({ status: 'insufficient', balance: 299 });
    expect(await state(member, gift)).toEqual(before);
    await earn(member, 701, `e-${randomUUID()}`);
    const key = randomUUID();
    expect((await exchange(gift, member, key)).status).toBe('granted');
    const granted = await state(member, gift);
    expect((await exchange(gift, member, randomUUID())).status).toBe('already-claimed');
    expect((await exchange(gift, member, randomUUID(), '2026-12')).status).toBe('out-of-stock');
    const other = await newGift({ pricePoints: 10 });
    expect(await exchange(other, member, key)).toEqual({ status: 'conflict' });
    expect(await state(member, gift)).toEqual(granted);
    expect(await exchange(gift, { memberId: 'ghost', phone: newPhone() }, randomUUID())).toEqual({
      status: 'no-member',
    });
  });

  it('charges the price the catalog asks: a price changed since it was read is caught', async () => {
    const gift = await newGift({ pricePoints: 100 });
    const member = await newMember();
    await earn(member, 500, `e-${randomUUID()}`);
    const { code, name, tiers, limit } = gift;
    const current = await benefits.put(merchantId, { code, name, tiers, limit, pricePoints: 200 });
    expect(await exchange(gift, member, randomUUID())).toEqual({ status: 'price-changed', benefit: current });
    expect((await members.contact(merchantId, member.phone)).member?.points).toBe(500);
    // A free claim of a priced benefit is refused the same way: it never grants without the points.
    const free = await benefits.claim({
      merchantId,
      memberId: member.memberId,
      phone: member.phone,
      benefit: current,
      period: '2026-11',
      claimedAt: at.toISOString(),
      idempotencyKey: randomUUID(),
    });
    expect(free.status).toBe('price-changed');
  });
});

describe('exchanges store: properties', () => {
  const step = fc.oneof(
    fc.record({
      kind: fc.constant('earn' as const),
      who: fc.nat(2),
      amount: fc.integer({ min: 1, max: 400 }),
      soon: fc.boolean(),
      key: fc.nat(9),
    }),
    fc.record({
      kind: fc.constant('redeem' as const),
      who: fc.nat(2),
      amount: fc.integer({ min: 1, max: 300 }),
      key: fc.nat(9),
    }),
    fc.record({ kind: fc.constant('expire' as const), who: fc.nat(2), key: fc.nat(9) }),
    fc.record({
      kind: fc.constant('exchange' as const),
      who: fc.nat(2),
      gift: fc.nat(1),
      month: fc.constantFrom('2026-11', '2026-12'),
      key: fc.nat(9),
    }),
    /** Every member at once after the small stock, each in a month of their own. */
    fc.record({ kind: fc.constant('rush' as const), key: fc.nat(9) }),
    /** One member spending the same points three times at once, on three months' gifts. */
    fc.record({ kind: fc.constant('splurge' as const), who: fc.nat(2), key: fc.nat(9) }),
  );

  /** What each member starts with: often enough for a gift or two, sometimes nothing. */
  const opening = fc.array(fc.constantFrom(0, 100, 130, 300, 600), { minLength: 3, maxLength: 3 });

  it('keeps the books equal to their entries, never negative, the stock never oversold, each key applied once', async () => {
    await fc.assert(
      fc.asyncProperty(opening, fc.array(step, { minLength: 4, maxLength: 14 }), async (balances, steps) => {
        const stock = 2;
        const gifts = [await newGift({ pricePoints: 120, stock }), await newGift({ pricePoints: 250 })];
        const people = [await newMember(), await newMember(), await newMember()];
        const run = randomUUID().slice(0, 8);
        for (const [i, points] of balances.entries())
          if (points > 0) await earn(people[i] as MemberRef, points, `${run}-opening-${i}`);
        const granted = new Map<string, string>();
        const noteOutcome = (key: string, outcome: ExchangeOutcome) => {
          if (outcome.status === 'granted') {
            expect(granted.has(key)).toBe(false);
            granted.set(key, outcome.claim.claimId);
          }
          if (outcome.status === 'replayed') expect(outcome.claim.claimId).toBe(granted.get(key));
        };
        for (const s of steps) {
          const key = `${run}-${s.kind === 'rush' ? 'exchange' : s.kind}-${s.key}`;
          if (s.kind === 'rush') {
            const outcomes = await Promise.all(
              people.map((member, i) =>
                exchange(gifts[0] as Benefit, member, `${key}-${i}`, `2027-0${i + 1}`),
              ),
            );
            for (const [i, outcome] of outcomes.entries()) noteOutcome(`${key}-${i}`, outcome);
            continue;
          }
          if (s.kind === 'splurge') {
            const member = people[s.who] as MemberRef;
            const outcomes = await Promise.all(
              ['2028-01', '2028-02', '2028-03'].map((month, i) =>
                exchange(gifts[1] as Benefit, member, `${key}-${s.who}-${i}`, month),
              ),
            );
            for (const [i, outcome] of outcomes.entries()) noteOutcome(`${key}-${s.who}-${i}`, outcome);
            continue;
          }
          const member = people[s.who] as MemberRef;
          if (s.kind === 'earn') await earn(member, s.amount, key, s.soon ? '2026-11-30' : '2027-12-31');
          if (s.kind === 'redeem')
            await ledger.post({
              merchantId,
              member,
              posting: { book: 'points', type: 'redeem', delta: -s.amount },
              idempotencyKey: key,
              at,
              year: '2026',
            });
          if (s.kind === 'expire')
            await ledger.expire({
              merchantId,
              member,
              through: '2026-11-30',
              idempotencyKey: key,
              at,
              year: '2026',
            });
          if (s.kind === 'exchange') {
            const gift = gifts[s.gift] as Benefit;
            const before = await state(member, gift);
            const outcome = await exchange(gift, member, key, s.month);
            noteOutcome(key, outcome);
            if (outcome.status !== 'granted' && outcome.status !== 'replayed')
              expect(await state(member, gift), outcome.status).toEqual(before);
          }
        }
        for (const member of people) {
          const rows = await entries(member);
          const { member: now } = await members.contact(merchantId, member.phone);
          expect(now?.points).toBeGreaterThanOrEqual(0);
          expect(now?.points).toBe(rows.reduce((sum, row) => sum + row.delta, 0));
          const keys = rows.map((row) => row.idempotencyKey);
          expect(new Set(keys).size).toBe(keys.length);
          // Each exchange's entry has its claim, and the other way round.
          const paid = rows.filter((row) => row.benefitCode !== undefined);
          const claims = (await benefits.claims(merchantId, member.memberId)).filter((c) => c.pricePoints);
          expect(paid.map((row) => row.benefitCode).sort()).toEqual(claims.map((c) => c.code).sort());
        }
        const limited = await benefits.get(merchantId, (gifts[0] as Benefit).code);
        expect(limited?.stock).toBeGreaterThanOrEqual(0);
        expect((limited?.stock ?? 0) + (limited?.claimed ?? 0)).toBe(stock);
        expect(granted.size).toBe(
          (limited?.claimed ?? 0) +
            ((await benefits.get(merchantId, (gifts[1] as Benefit).code))?.claimed ?? 0),
        );
      }),
      { numRuns: 8 },
    );
  });
});
