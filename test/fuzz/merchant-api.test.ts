import type { IncomingMessage } from 'node:http';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulidx';
import { describe, expect, it } from 'vitest';
import { depsFromEnv } from '../../functions/merchant-api/deps';
import { createHandler } from '../../functions/merchant-api/handler';
import type { Response } from '../../functions/merchant-api/http';
import { openApiDocument } from '../../functions/merchant-api/openapi';
import type { RouteKey } from '../../functions/merchant-api/route-keys';
import { apiGatewayEvent } from '../../local/local-http-api';
import { lambdaContext } from '../../local/local-lambda';
import { functions, httpRoutes, tables } from '../../shared/resources';
import { apiThrottle, isRequestCounter } from '../../shared/store/api-throttle';
import { functionTestEnv, newMerchant, newPhone } from '../support';
import { hostileText } from './hostile-text';

/**
 * Every merchant API route that takes a body, called in process with hostile bodies: whatever
 * arrives, the answer is a 2xx or a 4xx with a reason, never a 5xx, and a refused request leaves
 * the merchant's data as it was; so do path and query parameters. DynamoDB is DynamoDB Local; the
 * queue, the bus and the schedulers accept everything, and any other AWS call would fail (its
 * endpoint is a closed port) and show as a 5xx.
 */

const env = functionTestEnv('merchant-api');
const db = env.dynamo();

const handler = createHandler({
  ...depsFromEnv(env),
  // Faster than any key may call: here every request must reach its route, not the limit.
  apiThrottle: apiThrottle(db, env.table('sendLimits'), { perSecond: 1_000_000 }),
  outbound: { enqueue: async () => undefined, enqueueMany: async () => undefined },
  scheduler: { schedule: async () => undefined, cancel: async () => undefined, defer: async () => undefined },
  campaignScheduler: {
    schedule: async () => undefined,
    cancel: async () => undefined,
    continueRun: async () => undefined,
  },
});

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the handler under test; assertions check its shape.
  body: any;
}

/** A request body as sent: any text at all (or none), possibly base64 as API Gateway passes binary. */
interface Sent {
  text: string | undefined;
  base64?: boolean;
}

/** One request as API Gateway hands it to the function. */
async function call(
  apiKey: string,
  routeKey: string,
  pathParameters: Partial<Record<string, string>>,
  { text, base64 = false }: Sent,
  query: Partial<Record<string, string>> = {},
): Promise<Answer> {
  const [method = '', template = ''] = routeKey.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(pathParameters[name] ?? ''),
  );
  const request = { method, headers: { authorization: `Bearer ${apiKey}` }, socket: {} } as IncomingMessage;
  const raw = Buffer.from(text ?? '');
  const url = new URL(`http://localhost${path}`);
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) url.searchParams.set(name, value);
  const event = apiGatewayEvent(request, url, raw);
  if (!event) throw new Error(`no route for ${method} ${path}`);
  const sent = base64 ? { ...event, body: raw.toString('base64'), isBase64Encoded: true } : event;
  const response = (await handler(sent, lambdaContext('merchant-api', 10))) as Response;
  return { status: Number(response.statusCode), body: JSON.parse(String(response.body)) };
}

/** Every item that belongs to the merchant in the tables the API may write, in a stable order. */
async function merchantData(merchantId: string): Promise<string[]> {
  const perTable = await Promise.all(
    functions['merchant-api'].writes.map(async (key) => {
      const table = tables[key];
      const items: string[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: table.name,
            FilterExpression: 'contains(#pk, :merchant) OR merchantId = :merchant',
            ExpressionAttributeNames: { '#pk': table.partitionKey },
            ExpressionAttributeValues: { ':merchant': merchantId },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          // A key's request counter moves with every request, refused ones too; the audit log records
          // every change asked for, refused ones too: neither is the merchant's data.
          if (!isRequestCounter(item) && key !== 'audit') items.push(`${table.name} ${JSON.stringify(item)}`);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    }),
  );
  return perTable.flat().sort();
}

const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
const definition = { field: 'points', op: 'gte', value: 100 };
/** The count-card product every shop that needs one has: an id of the client's. */
const productId = '01KC2000000000000000000000';

/**
 * A shop of its own with what `routeKey` acts on (everything when no route is named): a member with
 * points, a benefit, the template `promo`, a keyword app; other ids are of the right form but unknown.
 */
async function shop(routeKey?: RouteKey) {
  const { merchant, apiKey } = await newMerchant(env);
  const phone = newPhone();
  const uses = (what: string) =>
    routeKey === undefined ||
    routeKey.includes(what) ||
    `${JSON.stringify(validBodies[routeKey])}`.includes(what);
  const created = async (key: RouteKey, body: unknown) => {
    const answer = await call(apiKey, key, { phone }, { text: JSON.stringify(body) });
    if (answer.status !== 201 && answer.status !== 200)
      throw new Error(`${key} for the shop: ${JSON.stringify(answer)}`);
    return answer.body;
  };
  if (uses('{phone}')) {
    await created('POST /v1/members', { phone, name: '张三' });
    await created('POST /v1/members/{phone}/points', { points: 100, idempotencyKey: 'welcome' });
  }
  if (uses('WELCOME') || uses('{code}'))
    await created('POST /v1/benefits', { code: 'WELCOME', name: '欢迎礼', tiers: ['silver'], limit: 'once' });
  if (uses('count-cards')) {
    const product = {
      productId,
      name: '洗车卡',
      uses: 10,
      priceCents: 0,
      validity: { kind: 'days', days: 30 },
    };
    await created('POST /v1/count-cards', product);
  }
  const card = uses('{cardId}')
    ? await created('POST /v1/members/{phone}/count-cards', {
        productId,
        payment: 'till',
        idempotencyKey: 'card-1',
      })
    : { card: { cardId: ulid() } };
  if (routeKey === undefined || routeKey === 'PATCH /v1/care/settings')
    await created('PUT /v1/care/settings', { birthday: { template: '{{name}}，生日快乐！' } });
  if (uses('promo') || uses('{templateId}')) {
    const template = { templateId: 'promo', name: '周末', body: '{{name}}，周末八折', category: 'marketing' };
    await created('POST /v1/templates', template);
  }
  const app = uses('{appId}')
    ? await created('POST /v1/keyword-apps', {
        name: '会员日',
        keyword: '会员日',
        action: { kind: 'reply' },
        reply: { text: '每月8号会员日' },
      })
    : { app: { appId: ulid() } };
  if (uses('{storeId}') || uses('jingan'))
    await created('POST /v1/stores', { storeId: 'jingan', name: '静安店' });
  const staff = uses('{staffId}')
    ? await created('POST /v1/staff', { phone: newPhone(), name: '小王', role: 'marketing' })
    : { staff: { staffId: ulid() } };
  // Ids no route has given out: found by no lookup, but of the right form.
  const unknown = Object.fromEntries(
    ['importId', 'reminderId', 'audienceId', 'campaignId', 'ruleId', 'surveyId', 'ticketId', 'keyId'].map(
      (name) => [name, ulid()],
    ),
  );
  const params = {
    ...unknown,
    phone,
    tag: 'vip',
    code: 'WELCOME',
    templateId: 'promo',
    appId: String(app.app.appId),
    staffId: String(staff.staff.staffId),
    storeId: 'jingan',
    productId,
    cardId: String(card.card.cardId),
  };
  return { merchant, apiKey, params };
}

/** A body each route accepts: the shape its mutations start from. */
const validBodies: Partial<Record<RouteKey, unknown>> = {
  'POST /v1/members': {
    phone: '13800138000',
    name: '李四',
    tags: ['vip'],
    attributes: { visits: 3 },
    marketingConsent: { source: '门店签字' },
  },
  'PATCH /v1/members/{phone}': { name: '张三丰', city: '上海', attributes: { level: 'gold', visits: 3 } },
  'POST /v1/members/{phone}/tags': { tags: ['新品', 'vip'] },
  'POST /v1/members/{phone}/points': { points: 10, reason: '消费', idempotencyKey: 'order-1' },
  'POST /v1/members/{phone}/points/redeem': { points: 1, idempotencyKey: 'redeem-1' },
  'POST /v1/members/{phone}/points/adjust': { points: -5, reason: '更正', idempotencyKey: 'adjust-1' },
  'POST /v1/members/{phone}/stored-value/top-up': { cents: 10_000, idempotencyKey: 'top-up-1' },
  'POST /v1/members/{phone}/stored-value/spend': { cents: 100, idempotencyKey: 'spend-1' },
  'POST /v1/members/{phone}/stored-value/refund': { topUpKey: 'top-up-1', idempotencyKey: 'refund-1' },
  'POST /v1/members/{phone}/package': { tier: 'gold', endsAt: future, idempotencyKey: 'package-1' },
  'POST /v1/members/{phone}/claims': { code: 'WELCOME', idempotencyKey: 'claim-1' },
  'POST /v1/members/{phone}/count-cards': { productId, payment: 'till', idempotencyKey: 'sale-1' },
  'POST /v1/members/{phone}/count-cards/{cardId}/use': { idempotencyKey: 'use-1' },
  'POST /v1/members/{phone}/count-cards/{cardId}/refund': { idempotencyKey: 'refund-1' },
  'POST /v1/count-cards': {
    name: '打蜡卡',
    uses: 5,
    priceCents: 20_000,
    validity: { kind: 'until', date: '2030-12-31' },
    stores: ['jingan'],
  },
  'PATCH /v1/count-cards/{productId}': { name: '洗车卡（新）', active: false },
  'POST /v1/members/{phone}/consent': { status: 'subscribed', source: '门店纸质表格签字' },
  // Not the shop's member's phone: the body parses, and nothing is erased (`phone_not_confirmed`).
  'POST /v1/members/{phone}/erase': { confirmPhone: '13800138000' },
  'DELETE /v1/members/{phone}/suppression': { clearedBy: '店长', note: '已电话回访' },
  'PUT /v1/settings/loyalty': {
    pointsPerYuan: 2,
    expiry: { kind: 'days', days: 365 },
    tiers: [{ code: 'silver', name: '银卡', threshold: 0 }],
  },
  'PATCH /v1/settings/loyalty': { pointsPerYuan: 3 },
  'PUT /v1/settings/sending': {
    mps: 20,
    marketingHours: { start: '09:00', end: '20:00' },
    optOutKeywords: ['别发了'],
    pricePerPartFen: 4.5,
  },
  'PATCH /v1/settings/sending': { marketingHours: { start: '10:00', end: '21:00' } },
  'PUT /v1/care/settings': { birthday: { template: '{{name}}，生日快乐！' }, festivals: [] },
  'PATCH /v1/care/settings': { serviceToOptedOut: false },
  'POST /v1/care/preview': {
    settings: { birthday: { template: '{{name}}，生日快乐！' }, festivals: [] },
    days: 7,
  },
  'POST /v1/benefits': { code: 'WELCOME', name: '欢迎礼', tiers: ['silver'], limit: 'once', stock: 10 },
  'POST /v1/imports': { format: 'csv' },
  'POST /v1/reminders': { to: { phone: '13800138000' }, template: '{{name}}，明天见', at: future },
  'POST /v1/templates': { name: '双十二', body: '{{name}}，双十二八折', category: 'marketing' },
  'PATCH /v1/templates/{templateId}': { name: '周末特惠', body: '{{name}}，周末七折' },
  'POST /v1/templates/preview': {
    body: '{{name}}您好，积分{{points}}',
    values: { name: '张三', points: 120 },
  },
  'PUT /v1/templates/{templateId}/registration': {
    providerTemplateId: 'SMS_123',
    signature: '【测试商户】',
    status: 'approved',
  },
  'POST /v1/audiences': { name: '积分达人', definition },
  'PATCH /v1/audiences/{audienceId}': { name: '积分高手', definition },
  'POST /v1/audiences/preview': { definition, sampleSize: 5 },
  'POST /v1/campaigns': {
    name: '双十二',
    templateId: 'promo',
    audience: { definition },
    schedule: { kind: 'at', at: future },
    holdoutPercent: 10,
  },
  'PATCH /v1/campaigns/{campaignId}': {
    name: '双十二',
    audience: { definition },
    schedule: { kind: 'at', at: future },
    holdoutPercent: 10,
  },
  'PUT /v1/retention/settings': {
    churnRules: [
      {
        id: 'idle-points',
        group: 'points',
        label: '积分未用',
        when: [{ fact: 'unusedPoints', op: 'gte', value: 500 }],
        score: 1,
      },
    ],
    zones: { blue: 2, yellow: 4, red: 7 },
    scoringHour: 3,
  },
  'PATCH /v1/retention/settings': { scoringHour: 4 },
  'POST /v1/retention/rules': {
    name: '挽回',
    zone: 'red',
    templateId: 'promo',
    grant: { kind: 'points', points: 100 },
    holdoutPercent: 5,
  },
  'POST /v1/surveys': {
    name: '满意度',
    intro: '请为本次服务打分',
    questions: [{ kind: 'rating', prompt: '1-5分' }],
    thankYou: '谢谢',
  },
  'POST /v1/tickets/{ticketId}/answer': { text: '谢谢您的反馈', idempotencyKey: 'answer-1' },
  'POST /v1/keyword-apps': {
    name: '新品',
    keyword: '新品',
    action: { kind: 'tag', tag: '新品' },
    reply: { text: '新品已到店' },
  },
  'PATCH /v1/keyword-apps/{appId}': { name: '会员日2', enabled: false },
  'POST /v1/api-keys': { name: 'POS' },
  'POST /v1/staff': { phone: '13900139000', name: '小王', role: 'cashier' },
  'PATCH /v1/staff/{staffId}': { name: '小李', role: 'cashier' },
  'POST /v1/stores': { storeId: 'xuhui-1', name: '徐汇店', address: '上海市徐汇区漕溪北路1号' },
  'PATCH /v1/stores/{storeId}': { name: '徐汇一店', address: null },
  'POST /v1/coupons/{couponCode}/redeem': {},
  'POST /v1/auth/code': { phone: '13900139000' },
  'POST /v1/auth/session': { phone: '13900139000', code: '123456' },
};

const operationOf = (method: string, path: string) => openApiDocument().paths[path]?.[method.toLowerCase()];

const bodyRoutes = httpRoutes
  .map(({ method, path }) => ({ routeKey: `${method} ${path}` as RouteKey, method, path }))
  .filter(({ method, path }) => operationOf(method, path)?.requestBody)
  .map(({ routeKey }) => routeKey);

// ---- what a hostile body can be ----

/** Numbers JSON.stringify cannot write but a raw body can carry: 1e309 parses as Infinity. */
const rawNumbers = ['1e309', '-1e309', '-0', '1e-400', '9007199254740993', '-9007199254740993'];

/** Marks a value written into the body as raw text, not as JSON. */
interface Raw {
  raw: string;
}

/** Too big, too precise or too near zero for DynamoDB; 1e309 parses as Infinity. */
const unstorableNumbers: unknown[] = [2 ** 53, -1e300, 1e-200, 5e-324, { raw: '1e309' } satisfies Raw];

/** A value that breaks a field's rules: the wrong type, out of range, huge, junk or deeply nested. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -0.5, 1.5, 1e-7, '', ' ', [], {}),
  fc.constantFrom(...unstorableNumbers),
  fc.constantFrom('NaN', 'Infinity', '-1', '1e309', '0x10', '١٢', '１２', 'null', 'undefined', '{{name}}'),
  fc.constantFrom(...rawNumbers).map((raw): Raw => ({ raw })),
  hostileText(30),
  // Long, yet under the body limit, so it reaches the schema.
  fc.integer({ min: 1_000, max: 4_000 }).map((length) => '积'.repeat(length)),
  fc.integer({ min: 100, max: 5_000 }).map((depth): Raw => ({ raw: '['.repeat(depth) + ']'.repeat(depth) })),
  fc
    .integer({ min: 10, max: 2_000 })
    .map((depth): Raw => ({ raw: `${'{"not":'.repeat(depth)}{}${'}'.repeat(depth)}` })),
  fc.jsonValue({ maxDepth: 3 }),
);

type Path = (string | number)[];

/** Every path to a value inside a body, the body itself first: `['audience', 'definition', 'value']`. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [path, ...entries.flatMap(([key, child]) => pathsOf(child, [...path, key]))];
}

const isRaw = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 1 && 'raw' in value;

/** JSON text of `value`, with `Raw` values written as their raw text. */
function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!isRaw(v)) return v;
    raws.push(v.raw);
    return `\u0000raw${raws.length - 1}`;
  });
  return (text ?? '').replace(/"\\u0000raw(\d+)"/g, (_, i: string) => raws[Number(i)] ?? '');
}

/** The body with the value at `path` replaced (`set`), removed (`delete`), or beside an unknown field (`add`). */
function changed(body: unknown, path: Path, change: 'set' | 'delete' | 'add', value: unknown): unknown {
  if (path.length === 0) return change === 'set' ? value : body;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (change === 'delete') delete parent[last];
  else if (change === 'add' && !Array.isArray(parent)) parent[`${String(last)}Extra`] = value;
  else parent[last] = value;
  return copy;
}

/** Bodies no route may accept: not JSON, not there, too large, or with a number no table can hold. */
function refusedBodies(valid: unknown): Sent[] {
  const validText = JSON.stringify(valid);
  const leaves = pathsOf(valid).filter((path) => {
    const at = path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], valid);
    return typeof at !== 'object' || at === null;
  });
  return [
    { text: undefined },
    { text: '' },
    { text: ' \n' },
    { text: 'null' },
    { text: '"{}"' },
    { text: `${validText}x` },
    { text: validText.slice(0, -1) },
    { text: `\uFEFF${validText}` },
    { text: 'not json', base64: true },
    { text: `${validText.slice(0, -1)},"pad":"${'x'.repeat(2 * 1024 * 1024)}"}` },
    // Every field too near zero and too large; the first field with every kind.
    ...leaves.flatMap((path) => [1e-200, -(2 ** 53)].map((value) => ({ path, value }))),
    ...unstorableNumbers.map((value) => ({ path: leaves[0] ?? [], value })),
  ].map((sent) => ('path' in sent ? { text: jsonText(changed(valid, sent.path, 'set', sent.value)) } : sent));
}

/** Bodies every route is sent beside the random ones: base64 as API Gateway passes binary, deep, long. */
function edgeBodies(valid: unknown): Sent[] {
  const firstField = pathsOf(valid).find((path) => path.length === 1) ?? [];
  return [
    { text: JSON.stringify(valid), base64: true },
    ...[
      { raw: '['.repeat(5_000) + ']'.repeat(5_000) },
      { raw: `${'{"not":'.repeat(2_000)}{}${'}'.repeat(2_000)}` },
      '积'.repeat(4_000),
    ].map((value) => ({ text: jsonText(changed(valid, firstField, 'set', value)) })),
  ];
}

/** A hostile request body for a route whose valid body is `valid`. */
function hostileBody(valid: unknown): fc.Arbitrary<Sent> {
  const validText = JSON.stringify(valid);
  return fc.oneof(
    // The valid shape with one field broken or removed, or an unknown field beside it.
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...pathsOf(valid)),
          fc.constantFrom('set', 'set', 'set', 'delete', 'add'),
          hostileValue,
        )
        .map(([path, change, value]) => ({ text: jsonText(changed(valid, path, change, value)) })),
    },
    // Someone else's merchant id, or a key that means something to JavaScript.
    {
      weight: 1,
      arbitrary: fc.constantFrom('merchantId', '__proto__', 'constructor', 'prototype', '').map((key) => ({
        text: `${validText.slice(0, -1)},${JSON.stringify(key)}:{"merchantId":"m-other"}}`,
      })),
    },
    // Not the shape at all.
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ text: JSON.stringify(value) })) },
    { weight: 1, arbitrary: hostileText(60).map((text) => ({ text })) },
  );
}

/** Never a 5xx; a refusal names its reason. */
function expectHandled(answer: Answer, sent: Sent) {
  if (answer.status >= 500 || answer.status < 200) {
    throw new Error(
      `${answer.status} for ${JSON.stringify(sent).slice(0, 300)}: ${JSON.stringify(answer.body)}`,
    );
  }
  if (answer.status >= 400) {
    expect(answer.body.error.code).toMatch(/^\S+$/);
    expect(answer.body.error.message).toEqual(expect.any(String));
    expect(answer.body.error.message.trim()).not.toBe('');
  }
}

/** Routes whose path or query string takes values, with the names of those values. */
const parameterRoutes = httpRoutes
  .map(({ method, path }) => ({
    routeKey: `${method} ${path}` as RouteKey,
    method,
    path: [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string),
    query: (operationOf(method, path)?.parameters ?? []).flatMap((parameter) =>
      parameter.in === 'query' ? [String(parameter.name)] : [],
    ),
  }))
  .filter(({ path, query }) => path.length + query.length > 0);

/** A cursor as a page gives one out (base64url JSON), but made up: another shop's key, junk, a huge one. */
const forgedCursor = fc
  .oneof(
    fc.constantFrom<unknown>(
      { pk: 'm-other#+8613800138000', sk: 'PROFILE' },
      ['m-other#01M8514984MKMFCV6XV53Y7NKX', 'ENTRY#01M8514984MKMFCV6XV53Y7NKX'],
      { listPk: 'm-other', listSk: '0', pk: 'm-other#x', sk: 'PROFILE' },
      { state: 'x'.repeat(3_000) },
    ),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));

/** A value for a path or query parameter: junk, huge, forged, or of the right form but unknown. */
const hostileParameter = fc.oneof(
  hostileText(20),
  forgedCursor,
  fc.constantFrom('', ' ', '0', '-1', '1e309', '99999999999999999999', '..', '%', '%E0%A4%A', '/', 'null'),
  fc.constantFrom(
    '01M8514984MKMFCV6XV53Y7NKX',
    '01m8514984mkmfcv6xv53y7nkx',
    '+8613800138000',
    '１３８００１３８０００',
  ),
  fc.integer({ min: 1_000, max: 4_000 }).map((length) => '9'.repeat(length)),
  fc.integer({ min: 300, max: 1_500 }).map((length) => '积'.repeat(length)),
);

/**
 * Whether a path segment can reach the function at all: clients resolve `.` and `..`, API Gateway
 * routes no empty segment, and a lone surrogate has no UTF-8 to send.
 */
function inPath(value: string): boolean {
  try {
    encodeURIComponent(value);
  } catch {
    return false;
  }
  return !['', '.', '..'].includes(value);
}

/** Dozens of requests to DynamoDB Local each: on a busy machine, more than the default 20 s. */
const slow = { timeout: 60_000 };

describe('merchant API bodies', () => {
  it('has a valid body for every route that takes one, and each gets past its parser', slow, async () => {
    expect(bodyRoutes.filter((routeKey) => validBodies[routeKey] === undefined)).toEqual([]);
    const { apiKey, params } = await shop();
    for (const routeKey of bodyRoutes) {
      const answer = await call(apiKey, routeKey, params, { text: JSON.stringify(validBodies[routeKey]) });
      expectHandled(answer, { text: 'the valid body' });
      expect({ routeKey, error: answer.body.error?.code }).not.toEqual({ routeKey, error: 'invalid_body' });
    }
  });

  describe.concurrent.each(bodyRoutes)('%s', (routeKey) => {
    const valid = validBodies[routeKey];

    it(
      'refuses what no route may accept, answers hostile bodies with a reason, and a refusal changes nothing',
      slow,
      async () => {
        const { merchant, apiKey, params } = await shop(routeKey);
        let before = await merchantData(merchant.merchantId);
        for (const sent of refusedBodies(valid)) {
          const answer = await call(apiKey, routeKey, params, sent);
          expectHandled(answer, sent);
          expect({ sent: sent.text?.slice(0, 200), status: answer.status }).toEqual({
            sent: sent.text?.slice(0, 200),
            status: expect.toSatisfy((status: number) => status >= 400),
          });
        }
        // All were refused: the data is as it was before the first.
        expect(await merchantData(merchant.merchantId)).toEqual(before);

        const edges = edgeBodies(valid);
        await fc.assert(
          fc.asyncProperty(hostileBody(valid), async (sent) => {
            const answer = await call(apiKey, routeKey, params, sent);
            expectHandled(answer, sent);
            const after = await merchantData(merchant.merchantId);
            if (answer.status >= 400) expect(after).toEqual(before);
            before = after;
          }),
          // The edge bodies run first and count as runs.
          { numRuns: edges.length + 8, examples: edges.map((sent) => [sent]) },
        );
      },
    );
  });
});

describe('merchant API path and query parameters', () => {
  describe.concurrent.each(parameterRoutes)('$routeKey', ({ routeKey, method, path, query }) => {
    it('answers hostile parameters with a reason, and a refused request changes nothing', slow, async () => {
      const { merchant, apiKey, params } = await shop(routeKey);
      const body = validBodies[routeKey];
      const sent: Sent = { text: body === undefined ? undefined : JSON.stringify(body) };
      const values = (names: string[], value: fc.Arbitrary<string>) =>
        fc.record(Object.fromEntries(names.map((name) => [name, value])), { requiredKeys: [] });
      const pathValue = hostileParameter.filter(inPath);
      let before = method === 'GET' ? [] : await merchantData(merchant.merchantId);
      await fc.assert(
        fc.asyncProperty(
          values(path, pathValue),
          values(query, hostileParameter),
          async (pathValues, queryValues) => {
            const answer = await call(apiKey, routeKey, { ...params, ...pathValues }, sent, queryValues);
            expectHandled(answer, { text: JSON.stringify({ pathValues, queryValues }) });
            if (method === 'GET') return;
            const after = await merchantData(merchant.merchantId);
            if (answer.status >= 400) expect(after).toEqual(before);
            before = after;
          },
        ),
        { numRuns: 4 },
      );
    });
  });
});
