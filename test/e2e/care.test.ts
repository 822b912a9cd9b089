import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { festivalDate } from '../../shared/domain/festival-dates';
import { dateIn } from '../../shared/domain/time';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/**
 * Care automations through the local runtime: settings by API, the care schedule fired as of a
 * chosen instant (the injected clock), texts through the queue and send-sms to the outbox.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

async function shop(timeZone = 'Asia/Shanghai') {
  const { merchant, key } = await local.newShop({ timeZone, name: '花店', signature: '【花店】' });
  const call = (method: string, path: string, body?: unknown) =>
    local.call(method, path, key, body, { 'idempotency-key': randomUUID() });
  // Care texts wait for the care send window, which these tests drive with the injected clock; the
  // sender's own quiet hours would read the real clock, so they are open all day here.
  const opened = await call('PUT', '/v1/settings/sending', {
    marketingHours: { start: '00:00', end: '24:00' },
  });
  expect(opened.status).toBe(200);
  const member = async (fields: Record<string, unknown>) => {
    const phone = newPhone();
    // Greetings of the marketing category go only to members who opted in.
    const marketingConsent = { source: 'signed the paper form at the till' };
    const created = await call('POST', '/v1/members', { phone, name: '小明', marketingConsent, ...fields });
    expect(created.status).toBe(201);
    return phone;
  };
  return { merchant, call, member };
}

const fire = (time: string) => local.call('POST', '/local/schedules/care-jobs', undefined, { time });
const texts = async (phone: string) => (await local.outbox(phone)).map((text) => text.body);

describe('care automations', () => {
  it('greets birthdays once, even when the schedule fires twice at once, and only inside the send window', async () => {
    const { call, member } = await shop();
    const settings = await call('PUT', '/v1/care/settings', {
      birthday: { template: '{{name}}，生日快乐！{{merchant}}祝您天天开心。' },
    });
    expect(settings.status).toBe(200);
    const today = await member({ birthday: '1990-03-15' });
    const leapling = await member({ birthday: '2000-02-29' });
    const other = await member({ birthday: '1990-03-16' });
    const none = await member({});

    // 08:59 in Shanghai: before the window; nothing is sent, and nothing is lost.
    await fire('2027-03-15T08:59:00+08:00');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await texts(today)).toEqual([]);

    await Promise.all([fire('2027-03-15T09:00:00+08:00'), fire('2027-03-15T09:00:00+08:00')]);
    await fire('2027-03-15T10:00:00+08:00');
    expect(await local.replies(today, 1)).toEqual(['【花店】小明，生日快乐！花店祝您天天开心。回复TD退订']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await texts(today)).toHaveLength(1);
    expect(await texts(other)).toEqual([]);
    expect(await texts(none)).toEqual([]);

    // 29 February birthdays are greeted on 28 February in other years.
    await fire('2027-02-28T12:00:00+08:00');
    expect(await local.replies(leapling, 1)).toHaveLength(1);
  });

  it('skips members who opted out, and says so in the dry run', async () => {
    const { merchant, call, member } = await shop();
    await call('PUT', '/v1/care/settings', { birthday: { template: '生日快乐，{{name}}！' } });
    const stays = await member({ birthday: '1991-05-20' });
    const leaves = await member({ birthday: '1992-05-20' });
    await local.sms(leaves, 'TD', { to: merchant.senderNumber });
    await local.replies(leaves, 1);

    const preview = await call('GET', '/v1/care/preview?date=2027-05-20');
    expect(preview.body.preview.texts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ occasion: 'birthday', to: stays, segments: 1 }),
        expect.objectContaining({ occasion: 'birthday', to: leaves, skipped: 'opted out of marketing' }),
      ]),
    );
    expect(await texts(stays)).toEqual([]); // the dry run sent nothing

    await fire('2027-05-20T11:00:00+08:00');
    expect(await local.replies(stays, 1)).toEqual(['【花店】生日快乐，小明！回复TD退订']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await texts(leaves)).toHaveLength(1); // only the opt-out confirmation
  });

  it('sends enabled festival greetings on the lunar date, in a time zone whose date differs from UTC', async () => {
    const { call, member } = await shop('Pacific/Auckland');
    await call('PUT', '/v1/care/settings', {
      sendWindow: { start: '08:00', end: '21:00' },
      festivals: [
        { code: 'spring-festival', template: '{{festival}}快乐，{{name}}！' },
        { code: 'womens-day', template: '{{festival}}快乐！', audience: { tags: ['vip'] } },
      ],
    });
    const vip = await member({ tags: ['vip'] });
    const plain = await member({});
    // 2028 is a leap year; its Spring Festival falls on 26 January. 20:30 UTC on the 25th is
    // already 09:30 on the 26th in Auckland.
    await Promise.all([fire('2028-01-25T20:30:00Z'), fire('2028-01-25T20:30:00Z')]);
    expect(await local.replies(plain, 1)).toEqual(['【花店】春节快乐，小明！回复TD退订']);
    await fire('2028-03-07T20:30:00Z');
    expect(await local.replies(vip, 2)).toEqual([
      '【花店】春节快乐，小明！回复TD退订',
      '【花店】妇女节快乐！回复TD退订',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await texts(plain)).toHaveLength(1);
  });

  it('changes only the care settings a PATCH sends, once care is set up', async () => {
    const { call } = await shop();
    const patch = { serviceToOptedOut: false };
    expect(await call('PATCH', '/v1/care/settings', patch)).toMatchObject({
      status: 404,
      body: { error: { code: 'care_not_set_up' } },
    });
    const set = await call('PUT', '/v1/care/settings', { birthday: { template: '{{name}}，生日快乐！' } });
    const patched = await call('PATCH', '/v1/care/settings', patch);
    expect(patched).toEqual({ status: 200, body: { care: { ...set.body.care, ...patch } } });
    expect((await call('GET', '/v1/care/settings')).body.care).toEqual({ ...set.body.care, ...patch });
    const refused = await call('PATCH', '/v1/care/settings', { birthday: { template: '{{nmae}}' } });
    expect(refused.status).toBe(400);
    expect((await call('GET', '/v1/care/settings')).body.care).toEqual({ ...set.body.care, ...patch });
  });

  it('refuses a template with an unknown variable when the settings are saved', async () => {
    const { call } = await shop();
    const refused = await call('PUT', '/v1/care/settings', { birthday: { template: '生日快乐 {{nmae}}' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('unknown variable {{nmae}}');
    expect((await call('GET', '/v1/care/settings')).status).toBe(404);
  });

  it('reminds members of points about to expire and of a package about to end, once each', async () => {
    const { call, member } = await shop();
    await call('PUT', '/v1/care/settings', {
      pointsExpiring: { days: 30, template: '您有{{expiring_points}}积分将于{{expiry_date}}到期。' },
      packageEnding: { days: 7, template: '您的{{tier}}套餐将于{{expiry_date}}到期。' },
    });
    const saver = await member({});
    await call('POST', `/v1/members/${encodeURIComponent(saver)}/points`, { points: 120 });
    const holder = await member({});
    const endsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await call('POST', `/v1/members/${encodeURIComponent(holder)}/package`, { tier: 'gold', endsAt });
    await local.replies(holder, 1); // the upgrade text

    // Points earned now expire on 31 December next year: remind on 2 December of that year.
    const expiry = `${new Date().getUTCFullYear() + 1}-12-31`;
    const remindAt = `${new Date().getUTCFullYear() + 1}-12-02T10:00:00+08:00`;
    await fire(remindAt);
    await fire(remindAt.replace('T10', 'T11'));
    expect(await local.replies(saver, 1)).toEqual([`【花店】您有120积分将于${expiry}到期。`]);

    await fire(`${new Date().toISOString().slice(0, 10)}T11:00:00+08:00`);
    const reminders = await local.replies(holder, 2);
    expect(reminders[1]).toMatch(/^【花店】您的金卡套餐将于\d{4}-\d{2}-\d{2}到期。$/);
  });

  it('names the birthday benefit on the day and sends its details the day after', async () => {
    const { call, member } = await shop();
    await call('POST', '/v1/benefits', {
      code: 'BDAY',
      name: '生日免费日',
      tiers: ['silver'],
      limit: 'yearly',
      birthdayOnly: true,
    });
    await call('PUT', '/v1/care/settings', {
      birthday: {
        template: '{{name}}生日快乐！今天可享{{benefit}}。',
        benefitCode: 'BDAY',
        followUpTemplate: '{{benefit}}详情：回复"领取 BDAY"即可使用。',
      },
    });
    const phone = await member({ birthday: '1995-07-01' });
    await fire('2027-07-01T10:00:00+08:00');
    await fire('2027-07-02T10:00:00+08:00');
    expect(await local.replies(phone, 2)).toEqual([
      '【花店】小明生日快乐！今天可享生日免费日。回复TD退订',
      '【花店】生日免费日详情：回复"领取 BDAY"即可使用。回复TD退订',
    ]);
  });

  it('marks membership anniversaries and reminds of a low stored-value balance once per change', async () => {
    const { call, member } = await shop();
    await call('PUT', '/v1/care/settings', {
      anniversary: { template: '感谢您加入{{merchant}}{{years}}周年！' },
      lowBalance: { thresholdCents: 5_000, template: '您的储值余额为{{balance}}元，欢迎充值。' },
    });
    const phone = await member({});
    await call('POST', `/v1/members/${encodeURIComponent(phone)}/stored-value/top-up`, { cents: 10_000 });
    await call('POST', `/v1/members/${encodeURIComponent(phone)}/stored-value/spend`, { cents: 6_000 });
    const joined = (await call('GET', `/v1/members/${encodeURIComponent(phone)}`)).body.member
      .joinedAt as string;
    const joinedOn = dateIn('Asia/Shanghai', new Date(joined));
    const nextYear = `${Number(joinedOn.slice(0, 4)) + 2}${joinedOn.slice(4)}T12:00:00+08:00`;
    await fire(nextYear);
    await fire(nextYear.replace('T12', 'T13'));
    const received = await local.replies(phone, 2);
    expect(received).toEqual(
      expect.arrayContaining([
        '【花店】感谢您加入花店2周年！回复TD退订',
        '【花店】您的储值余额为40.00元，欢迎充值。',
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await texts(phone)).toHaveLength(2);
  });
});

describe('the care calendar', () => {
  it('gives each festival its date this year and next from the calendar the care job greets by', async () => {
    const { call } = await shop();
    const { status, body: answer } = await call('GET', '/v1/care/festivals');
    expect(status).toBe(200);
    const body = answer.festivalCalendar;
    expect(body.today).toBe(dateIn('Asia/Shanghai', new Date()));
    const year = Number(body.today.slice(0, 4));
    const laba = body.festivals.find((f: { code: string }) => f.code === 'laba');
    expect(laba).toEqual({
      code: 'laba',
      name: { zh: '腊八节', en: 'Laba Festival' },
      calendar: 'lunar',
      dates: [
        { year, date: festivalDate('laba', year) },
        { year: year + 1, date: festivalDate('laba', year + 1) },
      ],
    });
    expect(body.festivals.map((f: { code: string }) => f.code)).toContain('mid-autumn');
  });

  it('previews a draft over the days asked for, by occasion, without saving it', async () => {
    const { call, member } = await shop();
    const saved = await call('PUT', '/v1/care/settings', { birthday: { template: '{{name}}，生日快乐！' } });
    expect(saved.status).toBe(200);
    await member({ birthday: '1990-01-12' });
    await member({ birthday: '1991-01-20' });
    const draft = {
      ...saved.body.care,
      festivals: [{ code: 'laba', template: '{{festival}}到了，{{name}}请喝粥！' }],
    };
    // 腊八 2027 is 15 January.
    const asked = { settings: draft, from: '2027-01-10', days: 10, textsOn: '2027-01-15' };
    const { status, body } = await call('POST', '/v1/care/preview', asked);
    expect(status).toBe(200);
    expect(body.preview.draft).toBe(true);
    expect(body.preview.days.map((d: { date: string }) => d.date)).toEqual(
      Array.from({ length: 10 }, (_, i) => `2027-01-${String(10 + i).padStart(2, '0')}`),
    );
    const on = (date: string) => body.preview.days.find((d: { date: string }) => d.date === date);
    expect(on('2027-01-12').occasions).toEqual([{ occasion: 'birthday', count: 1, skipped: 0 }]);
    expect(on('2027-01-15').occasions).toEqual([{ occasion: 'festival:laba', count: 2, skipped: 0 }]);
    expect(on('2027-01-15').texts).toEqual([
      expect.objectContaining({
        occasion: 'festival:laba',
        text: '【花店】腊八节到了，小明请喝粥！回复TD退订',
      }),
      expect.objectContaining({
        occasion: 'festival:laba',
        text: '【花店】腊八节到了，小明请喝粥！回复TD退订',
      }),
    ]);
    expect(on('2027-01-12').texts).toBeUndefined();
    expect(on('2027-01-16').occasions).toEqual([]);

    // The draft was not saved: the saved settings, and their dry run, are as they were.
    expect((await call('GET', '/v1/care/settings')).body.care).toEqual(saved.body.care);
    expect((await call('GET', '/v1/care/preview?date=2027-01-15')).body.preview.texts).toEqual([]);
    const savedRun = await call('POST', '/v1/care/preview', { from: '2027-01-15', days: 1 });
    expect(savedRun.body.preview).toEqual({
      from: '2027-01-15',
      draft: false,
      days: [{ date: '2027-01-15', occasions: [] }],
    });

    // Saved, the day's dry run counts what the calendar counted.
    await call('PUT', '/v1/care/settings', draft);
    const day = await call('GET', '/v1/care/preview?date=2027-01-15');
    expect(day.body.preview.texts.filter((t: { skipped?: string }) => !t.skipped)).toHaveLength(2);
  });

  it('counts a reminder once over the stretch, as send-sms sends it once', async () => {
    const { call, member } = await shop();
    await call('PUT', '/v1/care/settings', {
      pointsExpiring: { days: 30, template: '您有{{expiring_points}}积分将于{{expiry_date}}到期。' },
    });
    const saver = await member({});
    await call('POST', `/v1/members/${encodeURIComponent(saver)}/points`, { points: 120 });
    // Points earned now expire on 31 December next year: every day from 1 December would remind.
    const from = `${new Date().getUTCFullYear() + 1}-12-05`;
    const { body } = await call('POST', '/v1/care/preview', { from, days: 10, textsOn: from });
    const counted = body.preview.days.flatMap((day: { date: string; occasions: object[] }) =>
      day.occasions.map((occasion) => ({ date: day.date, ...occasion })),
    );
    expect(counted).toEqual([{ date: from, occasion: 'points-expiring', count: 1, skipped: 0 }]);
    expect(body.preview.days[0].texts).toEqual([
      expect.objectContaining({ to: saver, category: 'service', segments: 1 }),
    ]);
  });

  it('refuses a stretch over 30 days and a draft a save would refuse, at the field', async () => {
    const { call } = await shop();
    const long = await call('POST', '/v1/care/preview', { days: 31 });
    expect(long.status).toBe(400);
    expect(long.body.error.issues).toEqual([expect.objectContaining({ path: 'days' })]);
    const bad = await call('POST', '/v1/care/preview', {
      settings: { birthday: { template: '生日快乐 {{nmae}}' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([expect.objectContaining({ path: 'settings.birthday.template' })]);
    const noTier = await call('POST', '/v1/care/preview', {
      settings: { festivals: [{ code: 'qixi', template: '七夕快乐', audience: { tiers: ['nope'] } }] },
    });
    expect(noTier.status).toBe(400);
    expect(noTier.body.error.issues).toEqual([
      expect.objectContaining({ path: 'settings.festivals.0.audience.tiers' }),
    ]);
    // Without a draft there is nothing to preview until care is set up.
    expect((await call('POST', '/v1/care/preview', {})).status).toBe(404);
  });
});
