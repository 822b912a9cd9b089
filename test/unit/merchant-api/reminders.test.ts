import { beforeEach, describe, expect, it } from 'vitest';
import { HttpError, type Request, type Response } from '../../../functions/merchant-api/http';
import {
  cancelReminder,
  createReminder,
  getReminder,
  listReminders,
  type ReminderRoutesDeps,
} from '../../../functions/merchant-api/reminders';
import { type ReminderTiming, ScheduleRefusedError } from '../../../shared/scheduler/reminder-scheduler';
import { type Member, memberSchema } from '../../../shared/schemas/member';
import { type Merchant, merchantSchema } from '../../../shared/schemas/merchant';
import type { Reminder } from '../../../shared/schemas/reminder';
import type { RemindersStore } from '../../../shared/store/reminders';

const now = new Date('2027-01-04T02:00:00.000Z'); // Monday 10:00 in Shanghai
const merchantOf = (merchantId: string): Merchant =>
  merchantSchema.parse({
    merchantId,
    name: '花店',
    signature: '【花店】',
    senderNumber: '+8610690000',
    defaultCountry: 'CN',
    timeZone: 'Asia/Shanghai',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
const shop = merchantOf('shop-1');
const memberPhone = '+8613800138000';
const member: Member = memberSchema.parse({
  merchantId: shop.merchantId,
  memberId: 'mem-1',
  phone: memberPhone,
  joinedAt: '2026-01-01T00:00:00.000Z',
  joinChannel: 'merchant-api',
  joinRef: 'test',
  points: 0,
});

/** The Care table's reminders, in memory: enough to see what the routes store and change. */
function memoryReminders(): RemindersStore & { items: Map<string, Reminder> } {
  const items = new Map<string, Reminder>();
  const key = (merchantId: string, reminderId: string) => `${merchantId}/${reminderId}`;
  return {
    items,
    create: async (reminder) => void items.set(key(reminder.merchantId, reminder.reminderId), reminder),
    get: async (merchantId, reminderId) => items.get(key(merchantId, reminderId)),
    list: async (merchantId) => ({
      reminders: [...items.values()].filter((r) => r.merchantId === merchantId).reverse(),
    }),
    async cancel(merchantId, reminderId, at) {
      const reminder = items.get(key(merchantId, reminderId));
      if (reminder?.status !== 'scheduled') return reminder;
      const cancelled = { ...reminder, status: 'cancelled' as const, cancelledAt: at.toISOString() };
      items.set(key(merchantId, reminderId), cancelled);
      return cancelled;
    },
    remove: async (merchantId, reminderId) => void items.delete(key(merchantId, reminderId)),
    recordOccurrence: async () => undefined,
    scheduled: async () => [],
  };
}

let reminders: ReturnType<typeof memoryReminders>;
let scheduled: ReminderTiming[];
let cancelled: string[];
let refuse: string | undefined;
let deps: ReminderRoutesDeps;

beforeEach(() => {
  reminders = memoryReminders();
  scheduled = [];
  cancelled = [];
  refuse = undefined;
  deps = {
    reminders,
    scheduler: {
      async schedule(reminder) {
        if (refuse) throw new ScheduleRefusedError(refuse);
        scheduled.push(reminder);
      },
      cancel: async (_merchantId, reminderId) => void cancelled.push(reminderId),
      defer: async () => undefined,
    },
    members: {
      contact: async (_merchantId, phone) => (phone === memberPhone ? { member } : {}),
    },
    clock: () => now,
  };
});

const request = (fields: Partial<Request>): Request => ({ headers: {}, ...fields }) as Request;
const post = (body: unknown, merchant = shop) =>
  createReminder(request({ body: JSON.stringify(body) }), merchant, deps);
const withId = (reminderId: string) => request({ pathParameters: { reminderId } });
const bodyOf = (response: Response) => JSON.parse(String(response.body));

/** The refusal a call ends in: status, code and the paths the issues name. */
async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return { status: error.status, code: error.code, paths: error.issues?.map((issue) => issue.path) ?? [] };
}

const template = '{{name}}，您预约的护理在明天下午3点，请准时到店。';

describe('POST /v1/reminders', () => {
  it('schedules a one-off for a member at its instant, and answers with it', async () => {
    const response = await post({ to: { phone: '13800138000' }, template, at: '2027-01-05T09:00:00+08:00' });
    expect(response.statusCode).toBe(201);
    const { reminder } = bodyOf(response);
    expect(reminder).toMatchObject({
      to: { phone: memberPhone },
      template,
      at: '2027-01-05T01:00:00.000Z',
      nextAt: '2027-01-05T01:00:00.000Z',
      status: 'scheduled',
      createdAt: now.toISOString(),
    });
    expect(reminder.merchantId).toBeUndefined();
    expect(scheduled).toEqual([
      expect.objectContaining({ reminderId: reminder.reminderId, at: reminder.at }),
    ]);
    expect(reminders.items.size).toBe(1);
  });

  it('schedules a recurring staff reminder in the merchant time zone, each phone once', async () => {
    const response = await post({
      to: { staff: ['13900139000', '+86 139 0013 9000', '13700137000'] },
      template: '{{date}} 盘点库存',
      cron: { expression: '0 9 ? * MON *' },
    });
    expect(response.statusCode).toBe(201);
    const { reminder } = bodyOf(response);
    expect(reminder.to).toEqual({ staff: ['+8613900139000', '+8613700137000'] });
    expect(reminder.cron).toEqual({ expression: '0 9 ? * MON *', timeZone: 'Asia/Shanghai' });
    expect(reminder.nextAt).toBe('2027-01-11T01:00:00.000Z');
    expect(scheduled[0]).toMatchObject({ cron: { expression: '0 9 ? * MON *', timeZone: 'Asia/Shanghai' } });
  });

  it.each([
    ['a past `at`', { at: '2027-01-04T09:59:00+08:00' }, ['at']],
    [
      '`at` and `cron` both',
      { at: '2027-01-05T09:00:00+08:00', cron: { expression: '0 9 * * ? *' } },
      ['at'],
    ],
    ['neither `at` nor `cron`', {}, ['at']],
    ['an `at` without an offset', { at: '2027-01-05T09:00:00' }, ['at']],
    ['a malformed cron expression', { cron: { expression: '0 9 * * *' } }, ['cron.expression']],
    [
      'a cron expression that never fires again',
      { cron: { expression: '0 9 1 1 ? 2026' } },
      ['cron.expression'],
    ],
    [
      'a cron expression repeating within the hour',
      { cron: { expression: '0/10 * * * ? *' } },
      ['cron.expression'],
    ],
    [
      'an unknown time zone',
      { cron: { expression: '0 9 * * ? *', timeZone: 'Mars/Olympus' } },
      ['cron.timeZone'],
    ],
  ])('refuses %s', async (_case, timing, paths) => {
    const answer = await refusal(post({ to: { phone: memberPhone }, template, ...timing }));
    expect(answer).toEqual({ status: 400, code: 'invalid_body', paths });
    expect(scheduled).toEqual([]);
    expect(reminders.items.size).toBe(0);
  });

  it.each([
    ['no staff phones', { staff: [] }, '盘点', ['to.staff']],
    [
      '21 staff phones',
      { staff: Array.from({ length: 21 }, (_, i) => `1390013${String(i).padStart(4, '0')}`) },
      '盘点',
      ['to.staff'],
    ],
    ['a member and staff at once', { phone: memberPhone, staff: ['13900139000'] }, '盘点', ['to']],
    ['no one', {}, '盘点', ['to']],
    [
      'a staff phone that is no mobile number',
      { staff: ['13900139000', '010-12345678'] },
      '盘点',
      ['to.staff.1'],
    ],
    [
      'a member value in a staff template',
      { staff: ['13900139000'] },
      '{{name}}的积分{{points}}',
      ['template'],
    ],
    ['an unknown template variable', { phone: memberPhone }, '{{nmae}}您好', ['template']],
  ])('refuses %s', async (_case, to, text, paths) => {
    const answer = await refusal(post({ to, template: text, at: '2027-01-05T09:00:00+08:00' }));
    expect(answer).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(answer.paths).toEqual(paths);
  });

  it('is 404 for a phone that is not a member', async () => {
    const answer = await refusal(
      post({ to: { phone: '13800138999' }, template, at: '2027-01-05T09:00:00+08:00' }),
    );
    expect(answer).toMatchObject({ status: 404, code: 'member_not_found' });
  });

  it('keeps no reminder when the scheduler refuses its schedule', async () => {
    refuse = 'Invalid Schedule Expression';
    const answer = await refusal(
      post({ to: { phone: memberPhone }, template, cron: { expression: '0 9 * * ? *' } }),
    );
    expect(answer).toMatchObject({ status: 400, code: 'invalid_schedule' });
    expect(reminders.items.size).toBe(0);
  });
});

describe('reading and cancelling', () => {
  async function created() {
    const response = await post({ to: { phone: memberPhone }, template, at: '2027-01-05T09:00:00+08:00' });
    return bodyOf(response).reminder.reminderId as string;
  }

  it('lists and reads the merchant reminders; another merchant sees none of them', async () => {
    const reminderId = await created();
    const list = bodyOf(await listReminders(request({}), shop, deps));
    expect(list.reminders.map((r: Reminder) => r.reminderId)).toEqual([reminderId]);
    expect(bodyOf(await getReminder(withId(reminderId), shop, deps)).reminder.reminderId).toBe(reminderId);

    const other = merchantOf('shop-2');
    expect(bodyOf(await listReminders(request({}), other, deps)).reminders).toEqual([]);
    expect(await refusal(getReminder(withId(reminderId), other, deps))).toMatchObject({ status: 404 });
    expect(await refusal(cancelReminder(withId(reminderId), other, deps))).toMatchObject({ status: 404 });
    expect(await refusal(getReminder(withId('not-an-id'), shop, deps))).toMatchObject({ status: 404 });
  });

  it('cancels: the reminder is cancelled and its schedule deleted, and again answers the same', async () => {
    const reminderId = await created();
    const first = await cancelReminder(withId(reminderId), shop, deps);
    expect(first.statusCode).toBe(200);
    expect(bodyOf(first).reminder).toMatchObject({ status: 'cancelled', cancelledAt: now.toISOString() });
    expect(bodyOf(first).reminder.nextAt).toBeUndefined();
    const again = await cancelReminder(withId(reminderId), shop, deps);
    expect(bodyOf(again)).toEqual(bodyOf(first));
    expect(cancelled).toEqual([reminderId, reminderId]);
  });

  it('is 409 for a one-off already sent', async () => {
    const reminderId = await created();
    const stored = reminders.items.get(`shop-1/${reminderId}`) as Reminder;
    reminders.items.set(`shop-1/${reminderId}`, { ...stored, status: 'sent', sentAt: now.toISOString() });
    expect(await refusal(cancelReminder(withId(reminderId), shop, deps))).toMatchObject({
      status: 409,
      code: 'reminder_sent',
    });
    expect(cancelled).toEqual([]);
  });
});
