import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../../shared/schemas/member';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
const ledger = ledgerStore(env.dynamo(), env.table('ledger'), env.table('members'));
let merchantId: string;

beforeAll(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

async function newMember(): Promise<Member> {
  const member: Member = {
    merchantId,
    memberId: `mem-${Math.random().toString(36).slice(2)}`,
    phone: newPhone(),
    joinedAt: new Date().toISOString(),
    joinChannel: 'merchant-api',
    joinRef: 'test',
    points: 0,
  };
  expect(await members.register(member)).toBe(true);
  return member;
}

const earn = (member: Member, points: number, idempotencyKey: string, reason?: string) =>
  ledger.earn({
    merchantId,
    memberId: member.memberId,
    phone: member.phone,
    points,
    idempotencyKey,
    reason,
    at: new Date(),
  });

async function entries(member: Member) {
  const { Items = [] } = await env.dynamo().send(
    new QueryCommand({
      TableName: env.table('ledger'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${merchantId}#${member.memberId}` },
    }),
  );
  return Items;
}

const balance = async (member: Member) => (await members.contact(merchantId, member.phone)).member?.points;

describe('ledger store: earn', () => {
  it('writes one entry and raises the balance by the same amount', async () => {
    const member = await newMember();
    const outcome = await earn(member, 120, 'order-1', 'order 1');
    expect(outcome.status).toBe('applied');
    expect(await balance(member)).toBe(120);
    expect(await entries(member)).toEqual([
      expect.objectContaining({ type: 'earn', points: 120, reason: 'order 1', idempotencyKey: 'order-1' }),
    ]);
  });

  it('applies the same idempotency key once and answers the retry with the first entry', async () => {
    const member = await newMember();
    const first = await earn(member, 50, 'order-2');
    const retry = await earn(member, 50, 'order-2');
    expect(first.status).toBe('applied');
    expect(retry).toEqual({ status: 'replayed', entryId: (first as { entryId: string }).entryId });
    expect(await balance(member)).toBe(50);
    expect(await entries(member)).toHaveLength(1);
  });

  it('refuses a key reused for a different operation, for the same or another member', async () => {
    const member = await newMember();
    const other = await newMember();
    await earn(member, 10, 'order-3');
    expect(await earn(member, 11, 'order-3')).toEqual({ status: 'conflict' });
    expect(await earn(other, 10, 'order-3')).toEqual({ status: 'conflict' });
    expect(await balance(member)).toBe(10);
    expect(await balance(other)).toBe(0);
  });

  it('writes nothing for a member that does not exist', async () => {
    const ghost: Member = { ...(await newMember()), phone: newPhone() };
    expect(await earn(ghost, 10, 'order-4')).toEqual({ status: 'no-member' });
    expect(await entries(ghost)).toHaveLength(0);
    // The key was not spent: it can be used once the member exists.
    expect(await earn(await newMember(), 10, 'order-4')).toMatchObject({ status: 'applied' });
  });

  it('keeps the balance equal to the sum of entries under concurrent earns and retries', async () => {
    const member = await newMember();
    const attempts = Array.from({ length: 24 }, (_, i) => earn(member, i + 1, `burst-${i % 12}`));
    const outcomes = await Promise.all(attempts.map((attempt) => attempt.catch((error: Error) => error)));
    const rows = await entries(member);
    const sum = rows.reduce((total, row) => total + (row.points as number), 0);
    expect(await balance(member)).toBe(sum);
    // Keys 0..11 each carry points i+1 first; the second use of each key has other points → conflict.
    expect(rows).toHaveLength(12);
    expect(outcomes.filter((o) => !(o instanceof Error) && o.status === 'applied')).toHaveLength(12);
  });
});
