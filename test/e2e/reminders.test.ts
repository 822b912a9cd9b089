import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderSchedules } from '../../shared/resources';
import { scheduleName } from '../../shared/scheduler/event-bridge-schedules';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * Reminders through the local runtime: created by API, carried by the local EventBridge Scheduler
 * (which fires due schedules each second, or on request as of any time), sent through the queue and
 * send-sms to the outbox.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

async function shop() {
  const { merchant, key } = await local.newShop({ name: '花店', signature: '【花店】' });
  const call = (method: string, path: string, body?: unknown) =>
    local.call(method, path, key, body, { 'idempotency-key': randomUUID() });
  const member = async () => {
    const phone = newPhone();
    expect((await call('POST', '/v1/members', { phone, name: '小明' })).status).toBe(201);
    return phone;
  };
  return { merchant, call, member };
}

const schedules = async (): Promise<Body[]> => (await local.call('GET', '/local/schedules')).body.schedules;
const fire = (name: string, time: string) =>
  local.call('POST', `/local/schedules/${reminderSchedules.group}/${name}`, undefined, { time });
const texts = async (phone: string) => (await local.outbox(phone)).map((text) => text.body);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('reminders', () => {
  it('texts staff at the time set, once, and the one-off is then sent', async () => {
    const { call } = await shop();
    const staff = newPhone();
    const created = await call('POST', '/v1/reminders', {
      to: { staff: [staff] },
      template: '{{merchant}}：10分钟后开晨会',
      at: inSeconds(2),
    });
    expect(created.status).toBe(201);
    const { reminderId } = created.body.reminder;
    expect(await local.replies(staff, 1)).toEqual(['【花店】花店：10分钟后开晨会']);
    const read = await call('GET', `/v1/reminders/${reminderId}`);
    expect(read.body.reminder).toMatchObject({ status: 'sent', lastOccurrence: created.body.reminder.at });
    await pause(1200);
    expect(await texts(staff)).toHaveLength(1);
  });

  it('sends nothing for a reminder cancelled before it fires, and deletes its schedule', async () => {
    const { merchant, call } = await shop();
    const staff = newPhone();
    const created = await call('POST', '/v1/reminders', {
      to: { staff: [staff] },
      template: '开会',
      at: inSeconds(2),
    });
    const { reminderId } = created.body.reminder;
    const name = scheduleName(merchant.merchantId, reminderId);
    expect((await schedules()).map((s) => s.name)).toContain(name);

    const cancelled = await call('DELETE', `/v1/reminders/${reminderId}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.reminder.status).toBe('cancelled');
    expect((await call('DELETE', `/v1/reminders/${reminderId}`)).body).toEqual(cancelled.body);
    expect((await schedules()).map((s) => s.name)).not.toContain(name);
    await pause(3000);
    expect(await texts(staff)).toEqual([]);
  });

  it('sends a recurring member reminder once per occurrence, each with its own id', async () => {
    const { merchant, call, member } = await shop();
    const phone = await member();
    const created = await call('POST', '/v1/reminders', {
      to: { phone },
      template: '{{name}}，本周护理请提前预约',
      cron: { expression: '0 10 ? * MON *' },
    });
    expect(created.body.reminder).toMatchObject({
      cron: { expression: '0 10 ? * MON *', timeZone: 'Asia/Shanghai' },
      nextAt: expect.stringMatching(/T02:00:00.000Z$/),
    });
    const name = scheduleName(merchant.merchantId, created.body.reminder.reminderId);
    await fire(name, '2027-01-04T10:00:00+08:00');
    await fire(name, '2027-01-04T10:00:00+08:00'); // the schedule fired twice
    await fire(name, '2027-01-11T10:00:00+08:00');
    expect(await local.replies(phone, 2)).toEqual([
      '【花店】小明，本周护理请提前预约',
      '【花店】小明，本周护理请提前预约',
    ]);
    await pause(1000);
    expect(await texts(phone)).toHaveLength(2);

    const list = await call('GET', '/v1/reminders');
    expect(list.body.reminders.map((r: Body) => r.reminderId)).toEqual([created.body.reminder.reminderId]);
    const other = await shop();
    expect((await other.call('GET', `/v1/reminders/${created.body.reminder.reminderId}`)).status).toBe(404);
    expect((await other.call('DELETE', `/v1/reminders/${created.body.reminder.reminderId}`)).status).toBe(
      404,
    );
  });

  it('holds a member reminder due outside the send window until the window opens', async () => {
    const { merchant, call, member } = await shop();
    const phone = await member();
    const created = await call('POST', '/v1/reminders', {
      to: { phone },
      template: '{{name}}，明天上午的预约别忘了',
      cron: { expression: '0 22 * * ? *' },
    });
    const { reminderId } = created.body.reminder;
    await fire(scheduleName(merchant.merchantId, reminderId), '2027-01-04T22:00:00+08:00');
    const deferral = (await schedules()).find((s) => s.name.includes(`--${reminderId}.`));
    expect(deferral).toMatchObject({
      expression: 'at(2027-01-05T01:00:00)',
      nextAt: '2027-01-05T01:00:00.000Z',
    });
    await pause(500);
    expect(await texts(phone)).toEqual([]);

    await fire(deferral?.name, '2027-01-05T09:00:00+08:00');
    expect(await local.replies(phone, 1)).toEqual(['【花店】小明，明天上午的预约别忘了']);
    expect((await schedules()).map((s) => s.name)).not.toContain(deferral?.name);
  });

  it('refuses a reminder the API cannot schedule', async () => {
    const { call, member } = await shop();
    const phone = await member();
    const past = await call('POST', '/v1/reminders', { to: { phone }, template: '你好', at: inSeconds(-60) });
    expect(past.status).toBe(400);
    expect(past.body.error.issues).toEqual([{ path: 'at', message: expect.stringMatching(/future/) }]);
    const badCron = await call('POST', '/v1/reminders', {
      to: { phone },
      template: '你好',
      cron: { expression: '0 10 * * *' },
    });
    expect(badCron.body.error.issues[0].path).toBe('cron.expression');
    expect((await call('GET', '/v1/reminders')).body.reminders).toEqual([]);
  });

  it("is scheduled once under the client's reminderId: a repeat answers it, another reminder under it is refused", async () => {
    const { call } = await shop();
    const reminderId = '01KC1111111111111111111111';
    const body = {
      reminderId,
      to: { staff: [newPhone()] },
      template: '{{merchant}}：周一盘点',
      cron: { expression: '0 9 ? * MON *' },
    };
    const first = await call('POST', '/v1/reminders', body);
    expect(first.status).toBe(201);
    expect(first.body.reminder).toMatchObject({ reminderId, status: 'scheduled' });
    expect(await call('POST', '/v1/reminders', body)).toEqual({ status: 200, body: first.body });
    const other = await call('POST', '/v1/reminders', { ...body, template: '周二盘点' });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'reminder_exists' } } });
    expect((await call('GET', '/v1/reminders')).body.reminders).toHaveLength(1);
    expect((await schedules()).filter((s) => s.name.includes(reminderId))).toHaveLength(1);
  });
});
