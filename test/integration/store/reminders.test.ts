import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Reminder } from '../../../shared/schemas/reminder';
import { remindersStore } from '../../../shared/store/reminders';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const reminders = remindersStore(env.dynamo(), env.table('care'));
let merchantId: string;

beforeEach(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

const weekly = { cron: { expression: '0 9 ? * MON *', timeZone: 'Asia/Shanghai' } };
let made = 0;

/** A stored reminder, one-off unless given a `cron` timing; ids made in order, so the newest sorts last. */
async function reminder(
  timing: { at: string } | typeof weekly = { at: '2027-01-05T01:00:00.000Z' },
  to: Reminder['to'] = { phone: newPhone() },
): Promise<Reminder> {
  made += 1;
  const record: Reminder = {
    merchantId,
    reminderId: ulid(Date.parse('2027-01-01T00:00:00Z') + made),
    to,
    template: '明天下午3点见',
    status: 'scheduled',
    createdAt: '2027-01-01T00:00:00.000Z',
    ...timing,
  };
  await reminders.create(record);
  return record;
}

describe('the reminders store', () => {
  it('keeps a reminder as created and reads it back, one-off or recurring', async () => {
    const once = await reminder();
    const staff = await reminder(weekly, { staff: [newPhone(), newPhone()] });
    expect(await reminders.get(merchantId, once.reminderId)).toEqual(once);
    expect(await reminders.get(merchantId, staff.reminderId)).toEqual(staff);
    expect(await reminders.get('another-shop', once.reminderId)).toBeUndefined();
  });

  it('refuses to create the same reminder twice', async () => {
    const once = await reminder();
    await expect(reminders.create(once)).rejects.toThrow();
  });

  it('lists newest first, a page at a time', async () => {
    const [a, b, c] = [await reminder(), await reminder(), await reminder()];
    const first = await reminders.list(merchantId, { limit: 2 });
    expect(first.reminders.map((r) => r.reminderId)).toEqual([c?.reminderId, b?.reminderId]);
    const second = await reminders.list(merchantId, { limit: 2, cursor: first.cursor });
    expect(second.reminders.map((r) => r.reminderId)).toEqual([a?.reminderId]);
  });

  it('cancels once: again returns it as cancelled the first time, and an unknown one is undefined', async () => {
    const once = await reminder();
    const cancelled = await reminders.cancel(merchantId, once.reminderId, new Date('2027-01-02T00:00:00Z'));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: '2027-01-02T00:00:00.000Z' });
    const again = await reminders.cancel(merchantId, once.reminderId, new Date('2027-01-03T00:00:00Z'));
    expect(again).toEqual(cancelled);
    expect(await reminders.cancel(merchantId, ulid(), new Date())).toBeUndefined();
  });

  it('records occurrences: a one-off becomes sent, a recurring one keeps the latest, a cancelled one stays', async () => {
    const once = await reminder();
    const at = '2027-01-05T01:00:00.000Z';
    await reminders.recordOccurrence(merchantId, once.reminderId, at, true, new Date('2027-01-05T01:00:05Z'));
    expect(await reminders.get(merchantId, once.reminderId)).toMatchObject({
      status: 'sent',
      sentAt: '2027-01-05T01:00:05.000Z',
      lastOccurrence: at,
    });
    // Sent is final: a cancellation afterwards changes nothing.
    expect(await reminders.cancel(merchantId, once.reminderId, new Date())).toMatchObject({ status: 'sent' });

    const recurring = await reminder(weekly);
    const record = (occurrence: string) =>
      reminders.recordOccurrence(merchantId, recurring.reminderId, occurrence, false, new Date());
    await record('2027-01-11T09:00:00.000Z');
    await record('2027-01-04T09:00:00.000Z'); // a deferred, earlier occurrence sent late
    expect(await reminders.get(merchantId, recurring.reminderId)).toMatchObject({
      status: 'scheduled',
      lastOccurrence: '2027-01-11T09:00:00.000Z',
    });
    await reminders.cancel(merchantId, recurring.reminderId, new Date());
    await record('2027-01-18T09:00:00.000Z');
    expect(await reminders.get(merchantId, recurring.reminderId)).toMatchObject({
      status: 'cancelled',
      lastOccurrence: '2027-01-11T09:00:00.000Z',
    });
  });

  it('gives the reminders still to fire, for a scheduler to create again', async () => {
    const [kept, cancelled, sent] = [await reminder(), await reminder(), await reminder()];
    await reminders.cancel(merchantId, cancelled?.reminderId as string, new Date());
    await reminders.recordOccurrence(
      merchantId,
      sent?.reminderId as string,
      '2027-01-05T01:00:00.000Z',
      true,
      new Date(),
    );
    expect((await reminders.scheduled(merchantId)).map((r) => r.reminderId)).toEqual([kept?.reminderId]);
  });

  it('forgets a removed reminder', async () => {
    const once = await reminder();
    await reminders.remove(merchantId, once.reminderId);
    expect(await reminders.get(merchantId, once.reminderId)).toBeUndefined();
  });
});
