import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimPeriod } from '../../../shared/domain/benefits';
import type { Benefit, BenefitInput } from '../../../shared/schemas/benefit';
import { benefitsStore } from '../../../shared/store/benefits';
import { newMerchant, testEnv } from '../../support';

const env = testEnv();
const benefits = benefitsStore(env.dynamo(), env.table('benefits'));
let merchantId: string;

beforeAll(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

let codes = 0;
const newBenefit = (fields: Partial<BenefitInput> = {}) =>
  benefits.put(merchantId, {
    code: `B${++codes}${randomUUID().slice(0, 6).toUpperCase().replace(/-/g, '')}`,
    name: 'Roaming pack',
    tiers: ['gold'],
    limit: 'once',
    ...fields,
  });

const newMemberId = () => `mem-${randomUUID()}`;
const phone = '+8613800000000';

const claim = (
  benefit: Benefit,
  memberId: string,
  localDate: string,
  idempotencyKey: string = randomUUID(),
) => {
  const claimedAt = `${localDate}T04:00:00.000Z`;
  return benefits.claim({
    merchantId,
    memberId,
    phone,
    benefit,
    period: claimPeriod(benefit.limit, localDate),
    claimedAt,
    idempotencyKey,
  });
};

describe('benefits store: catalog', () => {
  it('puts, gets and lists a merchant’s benefits', async () => {
    const roaming = await newBenefit({ valueByTier: { gold: '10GB' }, validDays: 90, stock: 5 });
    expect(roaming).toMatchObject({ active: true, stock: 5, claimed: 0, validDays: 90 });
    expect(await benefits.get(merchantId, roaming.code)).toEqual(roaming);
    expect(await benefits.get(merchantId, 'NOSUCH')).toBeUndefined();
    expect((await benefits.list(merchantId)).map((b) => b.code)).toContain(roaming.code);
  });

  it('keeps another merchant’s catalog apart', async () => {
    const other = (await newMerchant(env)).merchant.merchantId;
    expect(await benefits.list(other)).toEqual([]);
  });

  it('replaces the fields but keeps the stock claims have used, unless a stock is given', async () => {
    const benefit = await newBenefit({ stock: 5, description: 'old', validDays: 30 });
    await claim(benefit, newMemberId(), '2026-05-17');
    const replaced = await benefits.put(merchantId, {
      code: benefit.code,
      name: 'Renamed',
      tiers: ['gold'],
      limit: 'once',
    });
    expect(replaced).toMatchObject({ name: 'Renamed', stock: 4, claimed: 1 });
    expect(replaced.description).toBeUndefined();
    expect(replaced.validDays).toBeUndefined();
    const restocked = {
      code: benefit.code,
      name: 'Renamed',
      tiers: ['gold'],
      limit: 'once' as const,
      stock: 20,
    };
    expect((await benefits.put(merchantId, restocked)).stock).toBe(20);
    expect((await benefits.put(merchantId, { ...restocked, stock: null })).stock).toBeUndefined();
  });

  it('deactivates a benefit, and says when there is none', async () => {
    const benefit = await newBenefit();
    expect(await benefits.deactivate(merchantId, benefit.code)).toMatchObject({
      code: benefit.code,
      active: false,
    });
    expect((await benefits.get(merchantId, benefit.code))?.active).toBe(false);
    expect(await benefits.deactivate(merchantId, 'NOSUCH')).toBeUndefined();
    expect(await benefits.get(merchantId, 'NOSUCH')).toBeUndefined();
  });
});

describe('benefits store: claim', () => {
  it('grants a once-only benefit once ever', async () => {
    const benefit = await newBenefit({ validDays: 90 });
    const member = newMemberId();
    const first = await benefits.claim({
      merchantId,
      memberId: member,
      phone,
      benefit,
      period: 'ever',
      claimedAt: '2026-05-17T04:00:00.000Z',
      validUntil: '2026-08-15T04:00:00.000Z',
      value: '10GB',
      idempotencyKey: 'sms-1',
    });
    expect(first).toEqual({
      status: 'granted',
      claim: expect.objectContaining({
        merchantId,
        memberId: member,
        code: benefit.code,
        period: 'ever',
        validFrom: '2026-05-17T04:00:00.000Z',
        validUntil: '2026-08-15T04:00:00.000Z',
        value: '10GB',
        idempotencyKey: 'sms-1',
      }),
    });
    const again = await claim(benefit, member, '2027-01-02');
    expect(again).toEqual({
      status: 'already-claimed',
      claim: first.status === 'granted' ? first.claim : undefined,
    });
  });

  it('grants a monthly benefit once per calendar month', async () => {
    const benefit = await newBenefit({ limit: 'monthly' });
    const member = newMemberId();
    expect((await claim(benefit, member, '2026-05-01')).status).toBe('granted');
    expect((await claim(benefit, member, '2026-05-31')).status).toBe('already-claimed');
    expect((await claim(benefit, member, '2026-06-01')).status).toBe('granted');
    expect((await claim(benefit, newMemberId(), '2026-05-31')).status).toBe('granted');
  });

  it('grants a yearly benefit once per calendar year', async () => {
    const benefit = await newBenefit({ limit: 'yearly' });
    const member = newMemberId();
    expect((await claim(benefit, member, '2026-01-01')).status).toBe('granted');
    expect((await claim(benefit, member, '2026-12-31')).status).toBe('already-claimed');
    expect((await claim(benefit, member, '2027-01-01')).status).toBe('granted');
  });

  it('answers a retried request with its original claim, without using stock again', async () => {
    const benefit = await newBenefit({ stock: 3 });
    const member = newMemberId();
    const first = await claim(benefit, member, '2026-05-17', 'sms-42');
    const retry = await claim(benefit, member, '2026-05-17', 'sms-42');
    expect(first.status).toBe('granted');
    expect(retry).toEqual({
      status: 'replayed',
      claim: first.status === 'granted' ? first.claim : undefined,
    });
    expect(await benefits.get(merchantId, benefit.code)).toMatchObject({ stock: 2, claimed: 1 });
  });

  it('replays a granted request even after the stock ran out', async () => {
    const benefit = await newBenefit({ stock: 1 });
    const member = newMemberId();
    expect((await claim(benefit, member, '2026-05-17', 'sms-7')).status).toBe('granted');
    expect((await claim(benefit, member, '2026-05-17', 'sms-7')).status).toBe('replayed');
    expect((await claim(benefit, newMemberId(), '2026-05-17')).status).toBe('out-of-stock');
  });

  it('grants an unlimited benefit without a stock, counting the claims', async () => {
    const benefit = await newBenefit();
    for (let i = 0; i < 3; i++)
      expect((await claim(benefit, newMemberId(), '2026-05-17')).status).toBe('granted');
    const stored = await benefits.get(merchantId, benefit.code);
    expect(stored?.stock).toBeUndefined();
    expect(stored?.claimed).toBe(3);
  });

  it('refuses a deactivated benefit and writes no claim', async () => {
    const benefit = await newBenefit({ stock: 5 });
    await benefits.deactivate(merchantId, benefit.code);
    const member = newMemberId();
    expect(await claim(benefit, member, '2026-05-17')).toEqual({ status: 'inactive' });
    expect(await benefits.claims(merchantId, member)).toEqual([]);
    expect((await benefits.get(merchantId, benefit.code))?.stock).toBe(5);
  });

  it('refuses a benefit that is not in the catalog', async () => {
    const benefit = await newBenefit();
    expect(await claim({ ...benefit, code: 'NOSUCH' }, newMemberId(), '2026-05-17')).toEqual({
      status: 'unknown-benefit',
    });
  });

  it('follows the catalog, not the caller’s copy, when the merchant changed the stock limit', async () => {
    const limitedLater = await newBenefit();
    await benefits.put(merchantId, {
      code: limitedLater.code,
      name: 'x',
      tiers: ['gold'],
      limit: 'once',
      stock: 1,
    });
    expect((await claim(limitedLater, newMemberId(), '2026-05-17')).status).toBe('granted');
    expect((await claim(limitedLater, newMemberId(), '2026-05-17')).status).toBe('out-of-stock');

    const unlimitedLater = await newBenefit({ stock: 1 });
    await benefits.put(merchantId, {
      code: unlimitedLater.code,
      name: 'x',
      tiers: ['gold'],
      limit: 'once',
      stock: null,
    });
    expect((await claim(unlimitedLater, newMemberId(), '2026-05-17')).status).toBe('granted');
    expect((await claim(unlimitedLater, newMemberId(), '2026-05-17')).status).toBe('granted');
  });

  it('lists a member’s claims newest first', async () => {
    const monthly = await newBenefit({ limit: 'monthly' });
    const yearly = await newBenefit({ limit: 'yearly' });
    const member = newMemberId();
    await claim(monthly, member, '2026-03-10');
    await claim(yearly, member, '2026-04-10');
    await claim(monthly, member, '2026-05-10');
    const claims = await benefits.claims(merchantId, member);
    expect(claims.map((c) => [c.code, c.period])).toEqual([
      [monthly.code, '2026-05'],
      [yearly.code, '2026'],
      [monthly.code, '2026-03'],
    ]);
  });

  it('goes again when a concurrent transaction cancels the claim', async () => {
    // DynamoDB Local runs transactions one at a time; AWS cancels the loser of a race instead.
    let conflicts = 2;
    const racing = new Proxy(env.dynamo(), {
      get: (db, property) =>
        property !== 'send'
          ? Reflect.get(db, property)
          : (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
              if (command instanceof TransactWriteCommand && conflicts-- > 0) {
                const error = Object.assign(new Error('Transaction cancelled'), {
                  name: 'TransactionCanceledException',
                  CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict' }],
                });
                return Promise.reject(error);
              }
              return db.send(command);
            },
    });
    const benefit = await newBenefit({ stock: 1 });
    const outcome = await benefitsStore(racing, env.table('benefits')).claim({
      merchantId,
      memberId: newMemberId(),
      phone,
      benefit,
      period: 'ever',
      claimedAt: '2026-05-17T04:00:00.000Z',
      idempotencyKey: 'sms-race',
    });
    expect(outcome.status).toBe('granted');
    expect(conflicts).toBe(-1);
    expect((await benefits.get(merchantId, benefit.code))?.stock).toBe(0);
  });

  it('hands out exactly the stock when 50 members claim at once', async () => {
    const benefit = await newBenefit({ stock: 10 });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => claim(benefit, newMemberId(), '2026-05-17')),
    );
    const count = (status: string) => outcomes.filter((outcome) => outcome.status === status).length;
    expect(count('granted')).toBe(10);
    expect(count('out-of-stock')).toBe(40);
    expect(await benefits.get(merchantId, benefit.code)).toMatchObject({ stock: 0, claimed: 10 });
  });
});
