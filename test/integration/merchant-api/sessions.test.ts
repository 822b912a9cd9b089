import { describe, expect, it } from 'vitest';
import { codesPerHour, codeTries } from '../../../shared/domain/sign-in';
import { newMerchant, newPhone } from '../../support';
import { apiInProcess } from './api-client';

/**
 * Staff sign-in and sessions, in process on DynamoDB Local with a clock the test moves: codes (their
 * expiry, tries and hourly limit), the same answers for phones that are no staff member's, sessions'
 * idle and absolute expiry, sign-out, removal and a role change counted from the next request, CSRF.
 */
const api = apiInProcess();
const minutes = (n: number) => n * 60_000;
const later = (ms: number) => {
  api.clock.now = new Date(api.clock.now.getTime() + ms);
};

async function shopWith(role: 'owner' | 'marketing' | 'cashier' = 'owner') {
  const { merchant, apiKey } = await newMerchant(api.env);
  const phone = newPhone();
  const added = await api.withKey(apiKey, 'POST', '/v1/staff', { phone, name: '小王', role });
  expect(added.status).toBe(201);
  return { merchant, apiKey, phone, staffId: added.body.staff.staffId as string };
}

describe('signing in with a code', () => {
  it('texts a 6-digit code, trades it for an HttpOnly SameSite=Strict cookie, and says who is signed in', async () => {
    const { merchant, phone, staffId } = await shopWith('cashier');
    const asked = await api.call('POST', '/v1/auth/code', { body: { phone: phone.replace('+86', '') } });
    expect(asked).toMatchObject({ status: 202, body: { code: { phone, validSeconds: 300 } } });
    const text = api.texts.at(-1);
    expect(text).toMatchObject({ merchantId: merchant.merchantId, to: phone, category: 'service' });
    const code = api.codeTo(phone);
    expect(code).toMatch(/^\d{6}$/);

    const opened = await api.call('POST', '/v1/auth/session', { body: { phone, code } });
    expect(opened.status).toBe(201);
    expect(opened.body.session).toEqual({
      staffId,
      name: '小王',
      phone,
      role: 'cashier',
      merchant: { name: merchant.name, senderNumber: merchant.senderNumber },
    });
    const [cookie = ''] = opened.cookies;
    expect(cookie).toMatch(
      /^mcrm_session=[A-Za-z0-9_-]{43}; Path=\/v1; Max-Age=604800; HttpOnly; SameSite=Strict$/,
    );
    const who = await api.asStaff(cookie.split(';')[0] as string, 'GET', '/v1/auth/session');
    expect(who).toMatchObject({ status: 200, body: opened.body });
    // A code opens one session.
    expect((await api.call('POST', '/v1/auth/session', { body: { phone, code } })).status).toBe(401);
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    const { phone } = await shopWith();
    await api.call('POST', '/v1/auth/code', { body: { phone } });
    const opened = await api.call('POST', '/v1/auth/session', {
      body: { phone, code: api.codeTo(phone) },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(opened.cookies[0]).toMatch(/; Secure$/);
  });

  it('answers a phone that is no staff member’s exactly as a staff member’s, and texts it nothing', async () => {
    const { phone } = await shopWith();
    const stranger = newPhone();
    const texted = api.texts.length;
    const forStaff = await api.call('POST', '/v1/auth/code', { body: { phone } });
    const forStranger = await api.call('POST', '/v1/auth/code', { body: { phone: stranger } });
    expect(forStranger.status).toBe(forStaff.status);
    expect({ ...forStranger.body.code, phone: 'x' }).toEqual({ ...forStaff.body.code, phone: 'x' });
    expect(api.texts.slice(texted).map((sms) => sms.to)).toEqual([phone]);
    const wrongForStaff = await api.call('POST', '/v1/auth/session', { body: { phone, code: '000000' } });
    const guessForStranger = await api.call('POST', '/v1/auth/session', {
      body: { phone: stranger, code: '000000' },
    });
    expect(guessForStranger).toEqual(wrongForStaff);
    expect(guessForStranger.status).toBe(401);
    for (let i = 0; i < codesPerHour - 1; i++)
      await api.call('POST', '/v1/auth/code', { body: { phone: stranger } });
    expect((await api.call('POST', '/v1/auth/code', { body: { phone: stranger } })).status).toBe(429);
  });

  it('refuses a code after 5 minutes', async () => {
    const { phone } = await shopWith();
    await api.call('POST', '/v1/auth/code', { body: { phone } });
    later(minutes(5) + 1000);
    const opened = await api.call('POST', '/v1/auth/session', { body: { phone, code: api.codeTo(phone) } });
    expect(opened).toMatchObject({ status: 401, body: { error: { code: 'invalid_code' } } });
  });

  it(`burns a code after ${codeTries} wrong tries: the right one then fails too`, async () => {
    const { phone } = await shopWith();
    await api.call('POST', '/v1/auth/code', { body: { phone } });
    const code = api.codeTo(phone) as string;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const guesses = await Promise.all(
      Array.from({ length: codeTries }, () =>
        api.call('POST', '/v1/auth/session', { body: { phone, code: wrong } }),
      ),
    );
    expect(guesses.map((guess) => guess.status)).toEqual(Array(codeTries).fill(401));
    expect((await api.call('POST', '/v1/auth/session', { body: { phone, code } })).status).toBe(401);
    // A new code starts afresh.
    await api.call('POST', '/v1/auth/code', { body: { phone } });
    expect(
      (await api.call('POST', '/v1/auth/session', { body: { phone, code: api.codeTo(phone) } })).status,
    ).toBe(201);
  });

  it(`sends a phone at most ${codesPerHour} codes an hour`, async () => {
    const { phone } = await shopWith();
    api.clock.now = new Date('2027-03-02T05:00:00.000Z');
    const answers = [];
    for (let i = 0; i <= codesPerHour; i++)
      answers.push((await api.call('POST', '/v1/auth/code', { body: { phone } })).status);
    expect(answers).toEqual([...Array(codesPerHour).fill(202), 429]);
    later(minutes(60));
    expect((await api.call('POST', '/v1/auth/code', { body: { phone } })).status).toBe(202);
  });
});

describe('a session', () => {
  it('ends after 12 hours unused, but not while it is used', async () => {
    const { phone } = await shopWith();
    const cookie = await api.signIn(phone);
    later(minutes(11 * 60));
    expect((await api.asStaff(cookie, 'GET', '/v1/staff')).status).toBe(200);
    later(minutes(11 * 60));
    expect((await api.asStaff(cookie, 'GET', '/v1/staff')).status).toBe(200);
    later(minutes(12 * 60));
    expect(await api.asStaff(cookie, 'GET', '/v1/staff')).toMatchObject({
      status: 401,
      body: { error: { code: 'session_ended' } },
    });
  });

  it('ends 7 days after sign-in however much it is used', async () => {
    const { phone } = await shopWith();
    const cookie = await api.signIn(phone);
    for (let hours = 0; hours < 7 * 24 - 10; hours += 10) {
      later(minutes(10 * 60));
      expect((await api.asStaff(cookie, 'GET', '/v1/auth/session')).status).toBe(200);
    }
    later(minutes(11 * 60));
    expect((await api.asStaff(cookie, 'GET', '/v1/auth/session')).status).toBe(401);
  });

  it('ends at sign-out, and its cookie is cleared', async () => {
    const { phone } = await shopWith();
    const cookie = await api.signIn(phone);
    const out = await api.asStaff(cookie, 'DELETE', '/v1/auth/session');
    expect(out.status).toBe(200);
    expect(out.cookies[0]).toMatch(/^mcrm_session=; Path=\/v1; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect((await api.asStaff(cookie, 'GET', '/v1/auth/session')).status).toBe(401);
  });

  it('is refused from the next request on once its member of staff is removed', async () => {
    const { apiKey, phone, staffId } = await shopWith('marketing');
    const cookie = await api.signIn(phone);
    expect((await api.asStaff(cookie, 'GET', '/v1/templates')).status).toBe(200);
    expect((await api.withKey(apiKey, 'DELETE', `/v1/staff/${staffId}`)).status).toBe(200);
    expect((await api.asStaff(cookie, 'GET', '/v1/templates')).status).toBe(401);
    // The phone is nobody's now: it gets the same answer as any stranger's, and no text.
    const texted = api.texts.length;
    expect((await api.call('POST', '/v1/auth/code', { body: { phone } })).status).toBe(202);
    expect(api.texts.length).toBe(texted);
  });

  it('acts in the role as it is now: a new role counts from the next request', async () => {
    const { apiKey, phone, staffId } = await shopWith('cashier');
    const cookie = await api.signIn(phone);
    const settings = () => api.asStaff(cookie, 'PATCH', '/v1/settings/loyalty', { pointsPerYuan: 2 });
    expect(await settings()).toMatchObject({ status: 403, body: { error: { code: 'role_forbidden' } } });
    expect((await api.withKey(apiKey, 'PATCH', `/v1/staff/${staffId}`, { role: 'owner' })).status).toBe(200);
    expect((await settings()).status).toBe(200);
    expect((await api.asStaff(cookie, 'GET', '/v1/auth/session')).body.session.role).toBe('owner');
  });

  it('needs the x-mcrm-csrf header for a change; an API key does not', async () => {
    const { apiKey, phone } = await shopWith();
    const cookie = await api.signIn(phone);
    const body = { phone: newPhone(), name: '李四' };
    const forged = await api.call('POST', '/v1/members', { body, headers: { cookie } });
    expect(forged).toMatchObject({ status: 403, body: { error: { code: 'missing_csrf_header' } } });
    expect((await api.asStaff(cookie, 'GET', `/v1/members/${encodeURIComponent(body.phone)}`)).status).toBe(
      404,
    );
    expect((await api.asStaff(cookie, 'POST', '/v1/members', body)).status).toBe(201);
    expect((await api.withKey(apiKey, 'POST', '/v1/members', { ...body, phone: newPhone() })).status).toBe(
      201,
    );
  });
});

describe('staff', () => {
  it('keeps one active owner: the last can be neither removed nor demoted, even by two requests at once', async () => {
    const { apiKey, staffId } = await shopWith('owner');
    const second = await api.withKey(apiKey, 'POST', '/v1/staff', {
      phone: newPhone(),
      name: '老李',
      role: 'owner',
    });
    const both = await Promise.all([
      api.withKey(apiKey, 'PATCH', `/v1/staff/${staffId}`, { role: 'cashier' }),
      api.withKey(apiKey, 'DELETE', `/v1/staff/${second.body.staff.staffId}`),
    ]);
    expect(both.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const { staff } = (await api.withKey(apiKey, 'GET', '/v1/staff')).body;
    expect(
      staff.filter((s: { role: string; status: string }) => s.role === 'owner' && s.status === 'active'),
    ).toHaveLength(1);
    const [owner] = staff.filter(
      (s: { role: string; status: string }) => s.role === 'owner' && s.status === 'active',
    );
    expect(await api.withKey(apiKey, 'DELETE', `/v1/staff/${owner.staffId}`)).toMatchObject({
      status: 409,
      body: { error: { code: 'last_owner' } },
    });
  });

  it('gives a phone to one member of staff at a time, here or at another shop', async () => {
    const { phone } = await shopWith();
    const other = await newMerchant(api.env);
    const taken = await api.withKey(other.apiKey, 'POST', '/v1/staff', {
      phone,
      name: '小张',
      role: 'owner',
    });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'phone_taken' } } });
  });
});

describe('the audit log', () => {
  it('records each change with who, the role, the route, the ids and the outcome; reads one person’s by time', async () => {
    const { apiKey, phone, staffId } = await shopWith('cashier');
    const cookie = await api.signIn(phone);
    const memberPhone = newPhone();
    later(1000);
    expect(
      (await api.asStaff(cookie, 'POST', '/v1/members', { phone: memberPhone, name: '李四' })).status,
    ).toBe(201);
    later(1000);
    expect((await api.asStaff(cookie, 'PATCH', '/v1/settings/loyalty', { pointsPerYuan: 2 })).status).toBe(
      403,
    );
    later(1000);
    await api.asStaff(cookie, 'GET', '/v1/members');
    const { entries } = (await api.withKey(apiKey, 'GET', `/v1/audit?staffId=${staffId}`)).body;
    expect(entries).toEqual([
      expect.objectContaining({
        actor: { kind: 'staff', id: staffId, name: '小王' },
        role: 'cashier',
        route: 'PATCH /v1/settings/loyalty',
        status: 403,
      }),
      expect.objectContaining({
        route: 'POST /v1/members',
        status: 201,
        ids: expect.objectContaining({ phone: memberPhone, memberId: expect.any(String) }),
      }),
    ]);
    const all = (await api.withKey(apiKey, 'GET', '/v1/audit?limit=1')).body;
    expect(all.entries[0].route).toBe('PATCH /v1/settings/loyalty');
    const next = (
      await api.withKey(apiKey, 'GET', `/v1/audit?limit=5&cursor=${encodeURIComponent(all.cursor)}`)
    ).body;
    expect(next.entries.map((entry: { route: string }) => entry.route)).toEqual([
      'POST /v1/members',
      'POST /v1/staff',
    ]);
    expect(next.entries[1].actor.kind).toBe('api-key');
    const since = new Date(api.clock.now.getTime() - 1500).toISOString();
    const recent = (await api.withKey(apiKey, 'GET', `/v1/audit?from=${encodeURIComponent(since)}`)).body;
    expect(recent.entries.map((entry: { route: string }) => entry.route)).toEqual([
      'PATCH /v1/settings/loyalty',
    ]);
  });
});
