import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localPhoneProofKey, phoneProof } from '../../../shared/domain/phone-proof';
import { type CapCheck, sendLimitsStore } from '../../../shared/store/send-limits';
import { newPhone, testEnv } from '../../support';

const env = testEnv();
const limits = sendLimitsStore(env.dynamo(), env.table('sendLimits'));
const merchantId = `shop-${Math.random().toString(36).slice(2, 8)}`;
const sender = () => `+86106${Math.floor(Math.random() * 1e9)}`;

describe('send limits: a sender’s schedule of send slots', () => {
  // Now, not a fixed day: a schedule expires a day after its slot, and DynamoDB Local deletes what expired.
  const t0 = Date.now();

  it('gives an idle sender the slot it asks for, then one interval after another', async () => {
    const number = sender();
    const ask = (start: number) =>
      limits.reserveSlot(merchantId, number, { start, intervalMs: 50, latest: t0 + 10_000 });
    expect(await ask(t0)).toEqual({ slot: t0 });
    expect(await ask(t0 + 10)).toEqual({ slot: t0 + 50 });
    expect(await ask(t0 + 20)).toEqual({ slot: t0 + 100 });
    // Idle again: a schedule that fell behind restarts at the start asked for, without catching up.
    expect(await ask(t0 + 5_000)).toEqual({ slot: t0 + 5_000 });
  });

  it('takes a slot in one write while the sender stays as it was, idle or busy', async () => {
    const db = env.dynamo();
    let writes = 0;
    const send = (command: never) => {
      writes++;
      return db.send(command);
    };
    const counting = { send } as unknown as typeof db;
    const counted = sendLimitsStore(counting, env.table('sendLimits'));
    const number = sender();
    const ask = (start: number, intervalMs: number) =>
      counted.reserveSlot(merchantId, number, { start, intervalMs, latest: start + 10_000 });
    // A fast sender, idle at every text: after the first, each slot is the start asked for, one write.
    expect(await ask(t0, 1)).toEqual({ slot: t0 });
    writes = 0;
    for (let i = 1; i <= 5; i++) expect(await ask(t0 + i * 100, 1)).toEqual({ slot: t0 + i * 100 });
    expect(writes).toBe(5);
    // A backlog: the sender turns busy (one more write to find out), then one write a slot again.
    writes = 0;
    expect(await ask(t0 + 1_000, 500)).toEqual({ slot: t0 + 1_000 });
    expect(await ask(t0 + 1_001, 500)).toEqual({ slot: t0 + 1_500 });
    expect(await ask(t0 + 1_002, 500)).toEqual({ slot: t0 + 2_000 });
    expect(await ask(t0 + 1_003, 500)).toEqual({ slot: t0 + 2_500 });
    expect(writes).toBe(5);
  });

  it('hands slots to many concurrent senders at least one interval apart, with none twice', async () => {
    const number = sender();
    const intervalMs = 1000 / 19;
    const slots = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const reservation = await limits.reserveSlot(merchantId, number, {
          start: t0,
          intervalMs,
          latest: t0 + 10_000,
        });
        if (!('slot' in reservation)) throw new Error('no slot');
        return reservation.slot;
      }),
    );
    const sorted = slots.sort((a, b) => a - b);
    expect(sorted[0]).toBe(t0);
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeCloseTo(intervalMs, 3);
    }
  });

  it('takes no slot past the latest acceptable one, and says when the next free one is', async () => {
    const number = sender();
    const ask = () =>
      limits.reserveSlot(merchantId, number, { start: t0, intervalMs: 1000, latest: t0 + 1500 });
    expect(await ask()).toEqual({ slot: t0 });
    expect(await ask()).toEqual({ slot: t0 + 1000 });
    expect(await ask()).toEqual({ busyUntil: t0 + 2000 });
    expect(await ask()).toEqual({ busyUntil: t0 + 2000 });
  });

  it("keeps each merchant's sender apart", async () => {
    const number = sender();
    const request = { start: t0, intervalMs: 1000, latest: t0 + 10_000 };
    expect(await limits.reserveSlot(merchantId, number, request)).toEqual({ slot: t0 });
    expect(await limits.reserveSlot(`${merchantId}-other`, number, request)).toEqual({ slot: t0 });
  });
});

describe('send limits: per-member and per-number caps', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  const check = (overrides: Partial<CapCheck> = {}): CapCheck => ({
    merchantId,
    messageId: `m-${Math.random()}`,
    phone: newPhone(),
    day: '2026-11-25',
    frequency: { perDay: 2, perWeek: 3 },
    carrier: { signature: '【测试商户】', template: 'weekend-sale', perDay: 50 },
    now,
    ...overrides,
  });

  it('counts marketing texts per member up to the daily cap, and the same message only once', async () => {
    const phone = newPhone();
    const first = check({ phone });
    expect(await limits.count(first)).toEqual({ within: true });
    expect(await limits.count(first)).toEqual({ within: true });
    expect(await limits.count(check({ phone }))).toEqual({ within: true });
    expect(await limits.count(check({ phone }))).toEqual({ within: false, cap: 'frequency-day', limit: 2 });
    // The message counted first is still within: a retry of it goes on.
    expect(await limits.count(first)).toEqual({ within: true });
  });

  it('caps the ISO week across days (Monday to Sunday in the merchant’s calendar)', async () => {
    const phone = newPhone();
    // 2026-11-23 is a Monday; 2026-11-29 the Sunday of the same week; 2026-11-30 starts the next.
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-29']) {
      expect(await limits.count(check({ phone, day }))).toEqual({ within: true });
    }
    expect(await limits.count(check({ phone, day: '2026-11-29' }))).toEqual({
      within: false,
      cap: 'frequency-week',
      limit: 3,
    });
    expect(await limits.count(check({ phone, day: '2026-11-30' }))).toEqual({ within: true });
  });

  it('caps texts to one number per signature and template, counting service texts too', async () => {
    const phone = newPhone();
    const service = (template: string) =>
      check({ phone, frequency: undefined, carrier: { signature: '【测试商户】', template, perDay: 2 } });
    expect(await limits.count(service('reply:points'))).toEqual({ within: true });
    expect(await limits.count(service('reply:points'))).toEqual({ within: true });
    expect(await limits.count(service('reply:points'))).toEqual({
      within: false,
      cap: 'carrier-day',
      limit: 2,
    });
    expect(await limits.count(service('reply:balance'))).toEqual({ within: true });
  });

  it('counts nothing when one cap is full: a text held by the carrier cap uses no frequency allowance', async () => {
    const phone = newPhone();
    const carrier = { signature: '【测试商户】', template: 'weekend-sale', perDay: 1 };
    expect(await limits.count(check({ phone, carrier }))).toEqual({ within: true });
    const held = check({ phone, carrier });
    expect(await limits.count(held)).toEqual({ within: false, cap: 'carrier-day', limit: 1 });
    const { Item } = await env.dynamo().send(
      new GetCommand({
        TableName: env.table('sendLimits'),
        Key: { pk: `${merchantId}#FREQ#${phoneProof(localPhoneProofKey, phone)}#2026-11-25` },
        ConsistentRead: true,
      }),
    );
    expect(Item?.ids).toEqual(new Set([expect.any(String)]));
    expect(Item?.ids.has(held.messageId)).toBe(false);
    expect(Item?.expiresAt).toBeGreaterThan(now.getTime() / 1000 + 86_400);
  });

  it('lets concurrent texts to one member through exactly up to the cap', async () => {
    const phone = newPhone();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => limits.count(check({ phone, frequency: { perDay: 5, perWeek: 10 } }))),
    );
    expect(outcomes.filter((outcome) => outcome.within)).toHaveLength(5);
  });
});
