import { randomUUID } from 'node:crypto';
import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type ScheduledReminderDeps } from '../../../functions/scheduled-reminders/handler';
import { lambdaContext } from '../../../local/local-lambda';
import type { ReminderDeferral } from '../../../shared/scheduler/reminder-scheduler';
import { type CareSettingsInput, careSettingsSchema } from '../../../shared/schemas/care';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { Reminder, ReminderInvocation } from '../../../shared/schemas/reminder';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { careStore } from '../../../shared/store/care';
import { directoryStore } from '../../../shared/store/directory';
import { membersStore } from '../../../shared/store/members';
import { remindersStore } from '../../../shared/store/reminders';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
const reminders = remindersStore(env.dynamo(), env.table('care'));
const care = careStore(env.dynamo(), env.table('care'), env.table('members'));
const selfArn = 'arn:aws:lambda:us-east-1:123456789012:function:scheduled-reminders';

let merchant: Merchant;
let queued: OutboundSms[];
let deferred: (ReminderDeferral & { targetArn: string })[];
let handler: ReturnType<typeof createHandler>;
let clock: Date;

beforeEach(async () => {
  merchant = (await newMerchant(env)).merchant; // Asia/Shanghai, window 09:00–20:00 by default
  queued = [];
  deferred = [];
  clock = new Date('2027-01-04T02:00:30Z');
  const deps: ScheduledReminderDeps = {
    reminders,
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members,
    care,
    outbound: { enqueueMany: async (texts) => void queued.push(...texts) },
    scheduler: (targetArn) => ({ defer: async (deferral) => void deferred.push({ ...deferral, targetArn }) }),
    clock: () => clock,
  };
  handler = createHandler(deps);
});

const fire = (reminder: Reminder, scheduledTime: string, occurrence?: string) => {
  const invocation: ReminderInvocation = {
    merchantId: reminder.merchantId,
    reminderId: reminder.reminderId,
    scheduledTime,
    ...(occurrence ? { occurrence } : {}),
  };
  return handler(invocation, { ...lambdaContext('scheduled-reminders', 30), invokedFunctionArn: selfArn });
};

async function member(name = '小明') {
  const phone = newPhone();
  await members.create({
    merchantId: merchant.merchantId,
    memberId: `mem-${randomUUID()}`,
    phone,
    name,
    joinedAt: '2026-06-01T04:00:00.000Z',
    joinChannel: 'merchant-api',
    joinRef: 'test',
    points: 120,
    tier: 'gold',
    earnedTier: 'gold',
  });
  return phone;
}

async function reminder(
  to: Reminder['to'],
  template: string,
  timing: { at: string } | { cron: { expression: string; timeZone: string } },
): Promise<Reminder> {
  const record: Reminder = {
    merchantId: merchant.merchantId,
    reminderId: ulid(),
    to,
    template,
    status: 'scheduled',
    createdAt: '2027-01-01T00:00:00.000Z',
    ...timing,
  };
  await reminders.create(record);
  return record;
}

const settings = (input: CareSettingsInput) =>
  care.saveSettings(merchant.merchantId, careSettingsSchema.parse(input), new Date());

describe('a member reminder', () => {
  it('sends one service text with the member values, once however often the schedule fires, and is then sent', async () => {
    const phone = await member();
    const once = await reminder({ phone }, '{{name}}，您的{{tier}}会员积分{{points}}，{{date}}见。', {
      at: '2027-01-04T02:00:00.000Z',
    });
    await fire(once, '2027-01-04T02:00:00Z');
    await fire(once, '2027-01-04T02:00:00Z');
    expect(queued).toEqual([
      {
        messageId: `reminder:${once.reminderId}:2027-01-04T02:00:00.000Z:${phone}`,
        merchantId: merchant.merchantId,
        to: phone,
        body: '小明，您的金卡会员积分120，2027-01-04见。',
        category: 'service',
      },
    ]);
    expect(await reminders.get(merchant.merchantId, once.reminderId)).toMatchObject({
      status: 'sent',
      lastOccurrence: '2027-01-04T02:00:00.000Z',
      sentAt: clock.toISOString(),
    });
  });

  it('outside the send window is deferred to its opening, then sent with the occurrence it belongs to', async () => {
    const phone = await member();
    const once = await reminder({ phone }, '明早见', { at: '2027-01-04T13:30:00.000Z' }); // 21:30 in Shanghai
    clock = new Date('2027-01-04T13:30:10Z');
    expect(await fire(once, '2027-01-04T13:30:00Z')).toEqual({
      outcome: 'deferred',
      until: '2027-01-05T01:00:00.000Z',
    });
    expect(queued).toEqual([]);
    expect(deferred).toEqual([
      {
        merchantId: merchant.merchantId,
        reminderId: once.reminderId,
        occurrence: '2027-01-04T13:30:00.000Z',
        at: new Date('2027-01-05T01:00:00.000Z'),
        targetArn: selfArn,
      },
    ]);
    expect((await reminders.get(merchant.merchantId, once.reminderId))?.status).toBe('scheduled');

    clock = new Date('2027-01-05T01:00:05Z');
    await fire(once, '2027-01-05T01:00:00Z', '2027-01-04T13:30:00.000Z');
    expect(queued.map((text) => text.messageId)).toEqual([
      `reminder:${once.reminderId}:2027-01-04T13:30:00.000Z:${phone}`,
    ]);
    expect((await reminders.get(merchant.merchantId, once.reminderId))?.status).toBe('sent');
  });

  it("keeps to the merchant's own window, and never defers to a moment already past", async () => {
    await settings({ sendWindow: { start: '10:30', end: '18:00' } });
    const phone = await member();
    const once = await reminder({ phone }, '稍后见', { at: '2027-01-04T02:00:00.000Z' }); // 10:00
    clock = new Date('2027-01-04T02:45:00Z'); // Scheduler's retry arrived late, at 10:45
    expect(await fire(once, '2027-01-04T02:00:00Z')).toEqual({
      outcome: 'deferred',
      until: '2027-01-04T02:46:00.000Z',
    });
  });

  it('reaches a member who opted out, unless the merchant keeps service texts from them', async () => {
    const phone = await member();
    const weekly = { cron: { expression: '0 10 ? * MON *', timeZone: 'Asia/Shanghai' } };
    const recurring = await reminder({ phone }, '本周护理提醒', weekly);
    await fire(recurring, '2027-01-04T02:00:00Z');
    expect(queued[0]?.respectOptOut).toBeUndefined();
    await settings({ serviceToOptedOut: false });
    await fire(recurring, '2027-01-11T02:00:00Z');
    expect(queued[1]).toMatchObject({ category: 'service', respectOptOut: true });
  });

  it('sends nothing to a member deleted since', async () => {
    const phone = await member();
    const once = await reminder({ phone }, '明天见', { at: '2027-01-04T02:00:00.000Z' });
    await members.softDelete(merchant.merchantId, phone, new Date());
    expect(await fire(once, '2027-01-04T02:00:00Z')).toEqual({
      outcome: 'skipped',
      reason: 'no longer a member',
    });
    expect(queued).toEqual([]);
  });
});

describe('a staff reminder', () => {
  it('goes to every staff phone at the time set, even at night, each occurrence with its own ids', async () => {
    const staff = [newPhone(), newPhone()];
    const nightly = await reminder({ staff }, '{{merchant}} {{date}} 夜间盘点', {
      cron: { expression: '0 23 * * ? *', timeZone: 'Asia/Shanghai' },
    });
    await fire(nightly, '2027-01-04T15:00:00Z');
    await fire(nightly, '2027-01-04T15:00:00Z'); // the schedule fired twice
    await fire(nightly, '2027-01-05T15:00:00Z');
    expect(deferred).toEqual([]);
    const ids = queued.map((text) => text.messageId);
    expect(new Set(ids).size).toBe(4);
    expect(ids).toHaveLength(6);
    expect(queued[0]).toMatchObject({
      to: staff[0],
      body: '测试商户 2027-01-04 夜间盘点',
      category: 'service',
    });
    expect(await reminders.get(merchant.merchantId, nightly.reminderId)).toMatchObject({
      status: 'scheduled',
      lastOccurrence: '2027-01-05T15:00:00.000Z',
    });
  });
});

describe('a reminder that is gone', () => {
  it('sends nothing once cancelled, or when it never existed', async () => {
    const once = await reminder({ staff: [newPhone()] }, '开会', { at: '2027-01-04T02:00:00.000Z' });
    await reminders.cancel(merchant.merchantId, once.reminderId, new Date());
    expect(await fire(once, '2027-01-04T02:00:00Z')).toEqual({ outcome: 'skipped', reason: 'cancelled' });
    expect(await fire({ ...once, reminderId: ulid() }, '2027-01-04T02:00:00Z')).toEqual({
      outcome: 'skipped',
      reason: 'no such reminder',
    });
    expect(queued).toEqual([]);
  });
});
