import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { newApiKey } from '../../shared/domain/api-keys';
import { Env } from '../../shared/env';
import { tables } from '../../shared/resources';
import { directoryStore } from '../../shared/store/directory';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * The walking skeleton through the local runtime, as a customer and a merchant use it: texts go
 * in through the SMS simulator, replies come back through the queue, send-sms and the outbox.
 * The runtime has a DynamoDB Local of its own, so "the tables are unchanged" means every table.
 */
let local: Local;
let runtime: Runtime;
let env: Env;

beforeAll(async () => {
  local = await startLocal();
  runtime = local.runtime;
  env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamoEndpoint });
});
afterAll(() => local?.stop());

const number = () => runtime.demo.merchant.senderNumber;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  local.call('POST', path, undefined, body, headers);
const get = (path: string, headers: Record<string, string> = {}) =>
  local.call('GET', path, undefined, undefined, headers);
const auth = (key = runtime.demo.apiKey) => ({ authorization: `Bearer ${key}` });
const sms = (from: string, text: string, messageId?: string) => local.sms(from, text, { messageId });
const outbox = (phone: string) => local.outbox(phone);
const replies = (phone: string, count: number) => local.replies(phone, count);
const snapshot = () => local.snapshot();

describe('a customer joins and queries points by SMS', () => {
  it('answers 注册 张三 with a welcome and 积分 with a zero balance', async () => {
    const phone = newPhone();
    expect((await sms(phone, '注册 张三')).status).toBe(202);
    await replies(phone, 1);
    expect((await sms(phone, '积分')).status).toBe(202);
    const texts = await replies(phone, 2);
    expect(texts[0]).toBe(
      '【示例商户】张三，欢迎加入示例商户会员！回复"积分"查询积分，"帮助"查看指令，"退订"拒收营销短信。',
    );
    expect(texts[1]).toBe('【示例商户】您在示例商户的积分余额为0分，会员等级：银卡。');
    const [welcome] = await outbox(phone);
    expect(welcome).toMatchObject({ from: number(), to: phone, segments: 1, encoding: 'UCS-2' });
    expect(Date.parse(welcome?.at ?? '')).not.toBeNaN();
  });

  it('joins, earns through the API, opts out, and keeps answering only as the rules allow', async () => {
    const phone = newPhone();
    await sms(phone, 'JOIN Zhang San 1990-05-01');
    await replies(phone, 1);
    await sms(phone, 'points');
    expect((await replies(phone, 2))[1]).toContain('balance is 0 points');

    const earned = await post(
      `/v1/members/${encodeURIComponent(phone)}/points`,
      { points: 120, reason: 'order 1' },
      {
        ...auth(),
        'idempotency-key': `order-${randomUUID()}`,
      },
    );
    expect(earned).toMatchObject({
      status: 201,
      body: { entry: { type: 'earn', delta: 120 }, balances: { points: 120 }, replayed: false },
    });

    await sms(phone, 'ＰＯＩＮＴＳ');
    expect((await replies(phone, 3))[2]).toContain('balance is 120 points');

    await sms(phone, 'STOP');
    expect((await replies(phone, 4))[3]).toContain('no more offers');
    const member = await get(`/v1/members/${encodeURIComponent(phone)}`, auth());
    expect(member.body.member).toMatchObject({
      name: 'Zhang San',
      birthday: '1990-05-01',
      points: 120,
      marketing: { status: 'unsubscribed', channel: 'sms-keyword' },
    });

    // A repeated opt-out is not answered again; the member's own requests still are.
    await sms(phone, 'stop');
    await sms(phone, '积分');
    const texts = await replies(phone, 5);
    expect(texts[4]).toContain('积分余额为120分');
    await sms(phone, 'HELP');
    expect(await replies(phone, 6)).toHaveLength(6);
    expect(runtime.events.map((event) => event.detailType)).toEqual(
      expect.arrayContaining(['member.registered', 'points.earned', 'member.consent-changed']),
    );
  });
});

describe('retries change nothing', () => {
  it('a duplicate join answers "already a member" and keeps the member as it was', async () => {
    const phone = newPhone();
    await sms(phone, '注册 张三');
    await replies(phone, 1);
    const before = (await get(`/v1/members/${encodeURIComponent(phone)}`, auth())).body;
    await sms(phone, '注册 李四');
    expect((await replies(phone, 2))[1]).toContain('您已是示例商户会员');
    expect((await get(`/v1/members/${encodeURIComponent(phone)}`, auth())).body).toEqual(before);
  });

  it('a duplicate earn with the same idempotency key earns once', async () => {
    const phone = newPhone();
    await sms(phone, '注册');
    await replies(phone, 1);
    const headers = { ...auth(), 'idempotency-key': `order-${randomUUID()}` };
    const path = `/v1/members/${encodeURIComponent(phone)}/points`;
    const first = await post(path, { points: 30 }, headers);
    const state = await snapshot();
    const retry = await post(path, { points: 30 }, headers);
    expect(first.status).toBe(201);
    expect(retry).toEqual({ status: 200, body: { ...first.body, replayed: true } });
    expect(await snapshot()).toBe(state);
    const reused = await post(path, { points: 31 }, headers);
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toContain('already used for a different operation');
  });

  it('a replayed inbound text is answered once and changes nothing', async () => {
    const phone = newPhone();
    const messageId = randomUUID();
    await sms(phone, '注册 王五', messageId);
    await replies(phone, 1);
    const state = await snapshot();
    expect((await sms(phone, '注册 王五', messageId)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await outbox(phone)).toHaveLength(1);
    expect(await snapshot()).toBe(state);
  });
});

describe('bad input gets a clear 4xx and changes nothing', () => {
  let member: string;
  let otherKey: string;

  beforeAll(async () => {
    member = newPhone();
    await sms(member, '注册 张三');
    await replies(member, 1);
    const other = newApiKey();
    await directoryStore(env.dynamo(), tables.directory.name).createMerchant(
      {
        merchantId: 'other-shop',
        name: '别家',
        signature: '【别家】',
        senderNumber: '+861069999999',
        defaultCountry: 'CN',
        timeZone: 'Asia/Shanghai',
        createdAt: new Date().toISOString(),
      },
      other.stored,
    );
    otherKey = other.apiKey;
  });

  const earnPath = () => `/v1/members/${encodeURIComponent(member)}/points`;
  const idem = () => ({ 'idempotency-key': `k-${randomUUID()}` });

  const cases: [string, () => Promise<{ status: number; body: Body }>, number, string][] = [
    [
      'a malformed phone texting in',
      () => sms('not-a-phone', '积分'),
      400,
      'from: phone may contain only digits',
    ],
    ['a landline texting in', () => sms('+861012345678', '积分'), 400, 'is not a mobile number'],
    ['an empty text', () => sms(newPhone(), '   '), 400, 'text is empty'],
    ['a 2,000-character text', () => sms(newPhone(), '积'.repeat(2000)), 400, 'longer than 1600 characters'],
    [
      'a text to a number nobody uses',
      () => post('/local/sms/inbound', { from: newPhone(), to: '+8610000', text: '积分' }),
      404,
      'no merchant uses',
    ],
    [
      'a simulator body of the wrong shape',
      () => post('/local/sms/inbound', { phone: '1', message: 2 }),
      400,
      'the customer phone is required',
    ],
    [
      'a simulator body that is not JSON',
      () => post('/local/sms/inbound', '{"from":'),
      400,
      'not valid JSON',
    ],
    [
      'a malformed phone in the API path',
      () => get('/v1/members/12ab', auth()),
      400,
      'phone may contain only digits',
    ],
    ['no API key', () => get(`/v1/members/${encodeURIComponent(member)}`), 401, 'Authorization: Bearer'],
    [
      'an unknown API key',
      () => get(`/v1/members/${encodeURIComponent(member)}`, auth(newApiKey().apiKey)),
      401,
      'unknown or revoked',
    ],
    [
      'a key that is not a key',
      () => get(`/v1/members/${encodeURIComponent(member)}`, auth('letmein')),
      401,
      'unknown or revoked',
    ],
    [
      "another merchant's key on this member",
      () => get(`/v1/members/${encodeURIComponent(member)}`, auth(otherKey)),
      404,
      'is not a member',
    ],
    [
      "another merchant's key earning for this member",
      () => post(earnPath(), { points: 5 }, { ...auth(otherKey), ...idem() }),
      404,
      'is not a member',
    ],
    ['points as text', () => post(earnPath(), { points: 'ten' }, { ...auth(), ...idem() }), 400, 'points:'],
    ['negative points', () => post(earnPath(), { points: -5 }, { ...auth(), ...idem() }), 400, 'points:'],
    [
      'fractional points',
      () => post(earnPath(), { points: 1.5 }, { ...auth(), ...idem() }),
      400,
      'whole number',
    ],
    [
      'an unknown field',
      () => post(earnPath(), { points: 5, bonus: 1 }, { ...auth(), ...idem() }),
      400,
      'bonus',
    ],
    [
      'a body that is not JSON',
      () => post(earnPath(), 'points=5', { ...auth(), ...idem() }),
      400,
      'not valid JSON',
    ],
    ['an empty body', () => post(earnPath(), '', { ...auth(), ...idem() }), 400, 'needs a JSON body'],
    [
      'an oversized body',
      () => post(earnPath(), { points: 5, reason: 'x'.repeat(20_000) }, { ...auth(), ...idem() }),
      413,
      'limit is',
    ],
    ['no idempotency key', () => post(earnPath(), { points: 5 }, auth()), 400, 'Idempotency-Key'],
    [
      'a malformed idempotency key',
      () => post(earnPath(), { points: 5 }, { ...auth(), 'idempotency-key': 'a b' }),
      400,
      'idempotency key',
    ],
    [
      'earning for a phone that is not a member',
      () =>
        post(`/v1/members/${encodeURIComponent(newPhone())}/points`, { points: 5 }, { ...auth(), ...idem() }),
      404,
      'is not a member',
    ],
    ['an unknown route', () => get('/v1/loyalty-cards', auth()), 404, 'route_not_found'],
    [
      'an unknown route, without a key',
      () => get('/v1/loyalty-cards'),
      404,
      'no route GET /v1/loyalty-cards',
    ],
  ];

  it.each(cases.map(([name, ...rest]) => [`${name} → ${rest[1]}`, ...rest] as const))(
    '%s',
    async (_name, request, status, reason) => {
      const before = await snapshot();
      const response = await request();
      expect(response.status).toBe(status);
      expect(JSON.stringify(response.body.error)).toContain(reason);
      expect(await snapshot()).toBe(before);
    },
  );

  it('reads full-width digits in a phone as the same member', async () => {
    const fullWidth = member.replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
    const response = await get(`/v1/members/${encodeURIComponent(fullWidth)}`, auth());
    expect(response.body.member.phone).toBe(member);
  });
});

describe('npm run sms', () => {
  it('sends one text and prints the reply', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/sms.ts', '--from', newPhone(), '--to', number(), '积分'],
      { env: { ...process.env, MCRM_URL: runtime.url } },
    );
    expect(stdout).toContain(`→ ${number()}: 积分`);
    expect(stdout).toContain('← 【示例商户】您还不是示例商户会员');
  });
});
