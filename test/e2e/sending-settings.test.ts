import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendingSettingsSchema } from '../../shared/schemas/merchant';
import { type Local, startLocal } from './support';

let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

const path = '/v1/settings/sending';

describe('sending settings', () => {
  it('starts from the defaults, and saves a partial body with the rest filled in', async () => {
    const shop = await local.newShop({ timeZone: 'Asia/Urumqi' });
    const defaults = sendingSettingsSchema.parse({});
    // With the zone the marketing hours and recurring schedules are read in.
    expect(await local.call('GET', path, shop.key)).toEqual({
      status: 200,
      body: { sending: defaults, timeZone: 'Asia/Urumqi' },
    });

    const change = {
      mps: 50,
      marketingHours: { start: '10:00', end: '21:30' },
      frequencyCap: { perDay: 1, perWeek: 3 },
      optOutKeywords: ['不要了'],
      requireRegisteredTemplates: true,
    };
    const saved = await local.call('PUT', path, shop.key, change);
    const expected = { ...defaults, ...change };
    expect(saved).toEqual({ status: 200, body: { sending: expected } });
    expect((await local.call('GET', path, shop.key)).body.sending).toEqual(expected);
  });

  it('changes only the fields a PATCH sends, while a PUT replaces the settings whole', async () => {
    const shop = await local.newShop();
    const defaults = sendingSettingsSchema.parse({});
    const set = { mps: 50, optOutKeywords: ['不要了'], carrierCapPerDay: 10, heldTextExpiryDays: 7 };
    await local.call('PUT', path, shop.key, set);

    const marketingHours = { start: '10:00', end: '21:00' };
    const patched = await local.call('PATCH', path, shop.key, { marketingHours });
    expect(patched).toEqual({ status: 200, body: { sending: { ...defaults, ...set, marketingHours } } });
    expect((await local.call('GET', path, shop.key)).body.sending).toEqual({
      ...defaults,
      ...set,
      marketingHours,
    });

    const replaced = await local.call('PUT', path, shop.key, { mps: 40 });
    expect(replaced.body.sending).toEqual({ ...defaults, mps: 40 });
  });

  it.each([
    ['an empty patch', {}, '(body)'],
    ['an unknown field', { mps: 1, dailyBudget: 100 }, '(body)'],
    [
      'marketing hours that end before they start',
      { marketingHours: { start: '21:00', end: '08:00' } },
      'marketingHours.end',
    ],
  ])('refuses a PATCH with %s, and changes nothing', async (_case, body, field) => {
    const shop = await local.newShop();
    await local.call('PUT', path, shop.key, { mps: 30 });
    const before = await local.snapshot();
    const refused = await local.call('PATCH', path, shop.key, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: field })]);
    expect(await local.snapshot()).toBe(before);
  });

  it.each([
    ['an unknown field', { mps: 20, dailyBudget: 100 }, '(body)'],
    ['a rate of 0', { mps: 0 }, 'mps'],
    [
      'marketing hours that end before they start',
      { marketingHours: { start: '21:00', end: '08:00' } },
      'marketingHours.end',
    ],
    [
      'a weekly cap that is not a number',
      { frequencyCap: { perDay: 2, perWeek: 'five' } },
      'frequencyCap.perWeek',
    ],
    [
      'an unsubscribe line longer than 20 characters',
      { unsubscribeLine: '回复TD退订'.repeat(4) },
      'unsubscribeLine',
    ],
    ['held texts that expire at once', { heldTextExpiryDays: 0 }, 'heldTextExpiryDays'],
    ['held texts kept past a month', { heldTextExpiryDays: 31 }, 'heldTextExpiryDays'],
    ['held texts kept half a day', { heldTextExpiryDays: 1.5 }, 'heldTextExpiryDays'],
  ])('refuses %s with the field and reason, and changes nothing', async (_case, body, field) => {
    const shop = await local.newShop();
    await local.call('PUT', path, shop.key, { mps: 30 });
    const before = await local.snapshot();

    const refused = await local.call('PUT', path, shop.key, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_body' });
    expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: field })]);
    expect(refused.body.error.issues[0].message).not.toBe('');
    expect(await local.snapshot()).toBe(before);
  });

  it('refuses a body that is not JSON, and changes only the calling merchant', async () => {
    const shop = await local.newShop();
    const other = await local.newShop();
    expect(await local.call('PUT', path, shop.key, '{"mps":')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_json' } },
    });
    await local.call('PUT', path, shop.key, { carrierCapPerDay: 10 });
    expect((await local.call('GET', path, other.key)).body.sending).toEqual(sendingSettingsSchema.parse({}));
    expect(await local.call('GET', path)).toMatchObject({ status: 401 });
  });
});
