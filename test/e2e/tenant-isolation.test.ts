import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteKey } from '../../functions/merchant-api/route-keys';
import { dateIn } from '../../shared/domain/time';
import { httpRoutes } from '../../shared/resources';
import type { Merchant } from '../../shared/schemas/merchant';
import { newPhone } from '../support';
import { type Body, type Local, type Reply, startLocal } from './support';

/**
 * Two merchants on one runtime. Merchant A holds one of everything the API has; merchant B calls
 * every route of the route table with its own key and A's ids, and texts from a phone that is a
 * member of both reach only the merchant whose number they were sent to.
 */
let local: Local;
let shopA: { merchant: Merchant; key: string };
let shopB: { merchant: Merchant; key: string };

/** Routes that answer without a key; every other route must refuse a request without one. */
const publicRoutes = [
  'GET /v1/openapi.json',
  'POST /v1/auth/code',
  'POST /v1/auth/session',
] as const satisfies readonly RouteKey[];
type KeyedRoute = Exclude<RouteKey, (typeof publicRoutes)[number]>;
const isPublic = (key: RouteKey) => (publicRoutes as readonly RouteKey[]).includes(key);

/**
 * What B must get: `theirs` — the route addresses A's resource, so it is not found (403/404);
 * `refused` — the body names one of A's resources, which B cannot use (4xx); `own` — B's own view or
 * write (2xx), in which nothing of A's may show.
 */
interface Probe {
  answer: 'theirs' | 'refused' | 'own';
  /** For `own`: a status other than 2xx that is B's own answer (nothing of B's set up yet). */
  status?: number;
  body?: unknown;
  query?: string;
}

/** A's resources by the path parameter that addresses them, and what only A's data contains. */
let idsOfA: Record<string, string>;
let onlyInA: string[];
let probes: Record<KeyedRoute, Probe>;
/** Before B's first call: B's audit log up to then is empty, so any entry in it would be A's. */
let beforeProbes: string;

const day = 86_400_000;
const later = () => new Date(Date.now() + 7 * day).toISOString();
/** Every member: `or` on a field's presence and absence, so the audience reads all the merchant's members. */
const everyone = {
  or: [
    { field: 'city', op: 'exists', value: true },
    { field: 'city', op: 'exists', value: false },
  ],
};

/** A call with an idempotency key of its own; the per-key request limit is waited out, not answered. */
async function call(key: string, method: string, path: string, body?: unknown): Promise<Reply> {
  for (;;) {
    const reply = await local.call(method, path, key, body, { 'idempotency-key': randomUUID() });
    if (reply.status !== 429) return reply;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Every item of every table that names the merchant: its keys, its directory entries, its records. */
async function itemsOf(merchantId: string): Promise<Record<string, string[]>> {
  const all = JSON.parse(await local.snapshot()) as Record<string, string[]>;
  return Object.fromEntries(
    Object.entries(all)
      .map(([table, items]) => [table, items.filter((item) => item.includes(merchantId))] as const)
      .filter(([, items]) => items.length > 0),
  );
}

function created(reply: Reply, what: string): Body {
  expect(reply.status, `${what}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
  return reply.body;
}

beforeAll(async () => {
  local = await startLocal();
  shopA = await local.newShop({ name: '甲店', signature: '【甲店】' });
  shopB = await local.newShop({ name: '乙店', signature: '【乙店】' });
  const a = (method: string, path: string, body?: unknown) => call(shopA.key, method, path, body);
  const suffix = randomUUID().slice(0, 6);
  const phone = newPhone();
  const member = `/v1/members/${encodeURIComponent(phone)}`;
  const today = dateIn(shopA.merchant.timeZone, new Date());

  // Settings of A's own, so B's settings routes have something to leak.
  created(
    await a('PUT', '/v1/settings/loyalty', {
      tiers: [
        { code: 'silver', name: '甲店银卡', threshold: 0 },
        { code: 'gold', name: '甲店金卡', threshold: 1000 },
      ],
    }),
    'loyalty settings',
  );
  created(await a('PUT', '/v1/settings/sending', { optOutKeywords: ['甲店别发'] }), 'sending settings');
  created(
    await a('PUT', '/v1/care/settings', { birthday: { template: '{{name}}，甲店祝您生日快乐' } }),
    'care settings',
  );
  created(
    await a('PUT', '/v1/retention/settings', {
      churnRules: [
        {
          id: `a-idle-${suffix}`,
          group: 'inactivity',
          label: '甲店久未到店',
          when: [{ fact: 'daysSinceLastActivity', op: 'gte', value: 45 }],
          score: 4,
        },
      ],
    }),
    'retention settings',
  );

  // A member whose birthday is today (so a care preview would name them), with points and a claim.
  created(
    await a('POST', '/v1/members', {
      phone,
      name: '甲店会员',
      city: '甲城',
      tags: [`a-tag-${suffix}`],
      birthday: `1992-${today.slice(5)}`,
      marketingConsent: { source: '甲店纸质登记表' },
    }),
    'member',
  );
  // A second member, so a page of one member leaves a place to continue from.
  created(await a('POST', '/v1/members', { phone: newPhone(), name: '甲店老会员' }), 'second member');
  created(await a('POST', `${member}/points`, { points: 500, reason: '甲店开业礼' }), 'points');
  created(await a('POST', `${member}/stored-value/top-up`, { cents: 10_000 }), 'stored value');
  const benefitCode = `AONLY${suffix.replace(/[^0-9]/g, '').slice(0, 4)}`.toUpperCase();
  created(
    await a('POST', '/v1/benefits', {
      code: benefitCode,
      name: '甲店咖啡券',
      tiers: ['silver'],
      limit: 'once',
    }),
    'benefit',
  );
  const { claim } = created(await a('POST', `${member}/claims`, { code: benefitCode }), 'claim');
  const { product } = created(
    await a('POST', '/v1/count-cards', {
      name: '甲店洗车卡',
      uses: 10,
      priceCents: 3000,
      validity: { kind: 'days', days: 365 },
    }),
    'count-card product',
  );
  const { card } = created(
    await a('POST', `${member}/count-cards`, { productId: product.productId, payment: 'stored-value' }),
    'count card',
  );

  const templateId = `a-tpl-${suffix}`;
  created(
    await a('POST', '/v1/templates', {
      templateId,
      name: '甲店秋季模板',
      body: '{{name}}，甲店秋季会员日全场八折',
      category: 'marketing',
    }),
    'template',
  );
  const { audience } = created(
    await a('POST', '/v1/audiences', {
      name: '甲店常客',
      definition: { field: 'tags', op: 'contains', value: `a-tag-${suffix}` },
    }),
    'audience',
  );
  const { campaign } = created(
    await a('POST', '/v1/campaigns', {
      name: '甲店秋季活动',
      templateId,
      audience: { audienceId: audience.audienceId },
      schedule: { kind: 'at', at: later() },
    }),
    'campaign',
  );
  const { reminder } = created(
    await a('POST', '/v1/reminders', { to: { phone }, template: '{{name}}，甲店预约提醒', at: later() }),
    'reminder',
  );
  // A member A's member brought: the referral report lists both.
  created(
    await a('POST', '/v1/members', { phone: newPhone(), name: '甲店新会员', referrerPhone: phone }),
    'referred member',
  );
  const { importId } = created(await a('POST', '/v1/imports', { format: 'csv' }), 'import').import;
  const { rule } = created(
    await a('POST', '/v1/retention/rules', { name: '甲店挽回', zone: 'red', templateId }),
    'retention rule',
  );
  const { survey } = created(
    await a('POST', '/v1/surveys', {
      name: '甲店满意度',
      intro: '甲店想听听您的意见',
      questions: [{ kind: 'rating', prompt: '甲店服务打几分？' }],
      thankYou: '甲店谢谢您',
    }),
    'survey',
  );
  const { app } = created(
    await a('POST', '/v1/keyword-apps', {
      name: '甲店口令',
      keyword: 'ASHOP',
      aliases: ['会员日'],
      action: { kind: 'tag', tag: `a-app-${suffix}` },
      reply: { text: '{{name}}，甲店已为您登记' },
    }),
    'keyword app',
  );
  // A ticket and a complaint (which holds A's marketing to the phone back), both by text.
  await local.sms(phone, '反馈 甲店的拿铁太甜了', { to: shopA.merchant.senderNumber });
  await local.sms(phone, '投诉 甲店短信太多', { to: shopA.merchant.senderNumber });
  await local.replies(phone, 2);
  const { tickets } = (await a('GET', '/v1/tickets?type=feedback')).body;
  const { keys } = (await a('GET', '/v1/api-keys')).body;
  expect(keys).toHaveLength(1);
  const { staff } = created(
    await a('POST', '/v1/staff', { phone: newPhone(), name: '甲店店员', role: 'cashier' }),
    'staff',
  );
  const { store } = created(
    await a('POST', '/v1/stores', { storeId: `a-store-${suffix}`, name: '甲店一号店' }),
    'store',
  );

  idsOfA = {
    phone,
    tag: `a-tag-${suffix}`,
    code: benefitCode,
    couponCode: claim.couponCode,
    productId: product.productId,
    cardId: card.cardId,
    importId,
    reminderId: reminder.reminderId,
    templateId,
    audienceId: audience.audienceId,
    campaignId: campaign.campaignId,
    ruleId: rule.ruleId,
    surveyId: survey.surveyId,
    ticketId: tickets[0].ticketId,
    appId: app.appId,
    keyId: keys[0].keyId,
    staffId: staff.staffId,
    storeId: store.storeId,
  };
  // Ticket numbers count per merchant ("1" is B's first too): the ticket's text (甲…) stands for it.
  // Every name and text of A's has 甲 in it, and nothing B sends does.
  onlyInA = [
    ...Object.entries(idsOfA)
      .filter(([name]) => name !== 'ticketId')
      .map(([, id]) => id),
    shopA.merchant.merchantId,
    '甲',
    `a-tag-${suffix}`,
    `a-app-${suffix}`,
    `a-idle-${suffix}`,
    'ASHOP',
  ];

  const bTemplateId = `b-tpl-${suffix}`;
  beforeProbes = new Date().toISOString();
  probes = {
    'GET /v1/members/{phone}': { answer: 'theirs' },
    'GET /v1/members': { answer: 'own' },
    'POST /v1/members': {
      answer: 'own',
      body: { phone: newPhone(), name: '乙店会员', marketingConsent: { source: '乙店登记表' } },
    },
    'PATCH /v1/members/{phone}': { answer: 'theirs', body: { name: '改名', tags: ['changed'] } },
    'DELETE /v1/members/{phone}': { answer: 'theirs' },
    'POST /v1/members/{phone}/tags': { answer: 'theirs', body: { tags: ['乙店'] } },
    'DELETE /v1/members/{phone}/tags/{tag}': { answer: 'theirs' },
    'POST /v1/members/{phone}/restore': { answer: 'theirs' },
    'POST /v1/members/{phone}/points': { answer: 'theirs', body: { points: 10 } },
    'POST /v1/members/{phone}/points/redeem': { answer: 'theirs', body: { points: 10 } },
    'POST /v1/members/{phone}/points/adjust': { answer: 'theirs', body: { points: -10, reason: '盘点' } },
    'POST /v1/members/{phone}/stored-value/top-up': { answer: 'theirs', body: { cents: 1000 } },
    'POST /v1/members/{phone}/stored-value/spend': { answer: 'theirs', body: { cents: 100 } },
    'POST /v1/members/{phone}/stored-value/refund': {
      answer: 'theirs',
      body: { topUpKey: `a-topup-${suffix}` },
    },
    'GET /v1/members/{phone}/ledger': { answer: 'theirs' },
    'GET /v1/members/{phone}/points/preview': { answer: 'theirs', query: '?purchaseCents=10000' },
    'POST /v1/members/{phone}/package': { answer: 'theirs', body: { tier: 'gold', endsAt: later() } },
    'POST /v1/members/{phone}/claims': { answer: 'theirs', body: { code: benefitCode } },
    'GET /v1/members/{phone}/claims': { answer: 'theirs' },
    'GET /v1/members/{phone}/exchangeable': { answer: 'theirs' },
    'POST /v1/members/{phone}/count-cards': {
      answer: 'theirs',
      body: { productId: '01KC0000000000000000000000', payment: 'till' },
    },
    'GET /v1/members/{phone}/count-cards': { answer: 'theirs' },
    'POST /v1/members/{phone}/count-cards/{cardId}/use': { answer: 'theirs', body: {} },
    'POST /v1/members/{phone}/count-cards/{cardId}/refund': { answer: 'theirs', body: {} },
    // A's coupon code is unknown at B, as any code not B's own is.
    'POST /v1/coupons/{couponCode}/redeem': { answer: 'theirs' },
    'GET /v1/settings/loyalty': { answer: 'own' },
    'PUT /v1/settings/loyalty': { answer: 'own', body: { pointsPerYuan: 2 } },
    'PATCH /v1/settings/loyalty': { answer: 'own', body: { pointsPerYuan: 3 } },
    'GET /v1/settings/sending': { answer: 'own' },
    'PUT /v1/settings/sending': { answer: 'own', body: { mps: 50 } },
    'PATCH /v1/settings/sending': { answer: 'own', body: { mps: 60 } },
    // B has set up no care yet: it is told so, not shown A's.
    'GET /v1/care/settings': { answer: 'own', status: 404 },
    'PUT /v1/care/settings': {
      answer: 'own',
      body: { birthday: { template: '{{name}}，乙店祝您生日快乐' } },
    },
    'PATCH /v1/care/settings': { answer: 'own', body: { serviceToOptedOut: false } },
    'GET /v1/care/preview': { answer: 'own', query: `?date=${today}` },
    'POST /v1/care/preview': { answer: 'own', body: { days: 2, textsOn: today } },
    'GET /v1/care/festivals': { answer: 'own' },
    'POST /v1/benefits': {
      answer: 'own',
      body: { code: 'BSHOP', name: '乙店礼品', tiers: ['silver'], limit: 'once' },
    },
    'GET /v1/benefits': { answer: 'own' },
    'DELETE /v1/benefits/{code}': { answer: 'theirs' },
    'POST /v1/count-cards': {
      answer: 'own',
      body: {
        name: '乙店洗车卡',
        uses: 5,
        priceCents: 1000,
        validity: { kind: 'until', date: '2030-12-31' },
      },
    },
    'GET /v1/count-cards': { answer: 'own' },
    'PATCH /v1/count-cards/{productId}': { answer: 'theirs', body: { active: false } },
    'POST /v1/imports': { answer: 'own', body: { format: 'jsonl' } },
    'GET /v1/imports': { answer: 'own' },
    'GET /v1/imports/{importId}': { answer: 'theirs' },
    // A's member is no member of B's.
    'POST /v1/reminders': { answer: 'refused', body: { to: { phone }, template: '乙店提醒', at: later() } },
    'GET /v1/reminders': { answer: 'own' },
    'GET /v1/reminders/{reminderId}': { answer: 'theirs' },
    'DELETE /v1/reminders/{reminderId}': { answer: 'theirs' },
    // Consent is kept per merchant for any phone, member or not: B reads and writes its own record.
    'GET /v1/members/{phone}/consent': { answer: 'own' },
    'POST /v1/members/{phone}/consent': {
      answer: 'own',
      body: { status: 'unsubscribed', source: '乙店前台登记' },
    },
    'DELETE /v1/members/{phone}/suppression': {
      answer: 'theirs',
      body: { clearedBy: '乙店店长', note: '已处理' },
    },
    // A member's rights at B: B's own (empty) copy of the phone, and B's own erasure of nothing.
    'GET /v1/members/{phone}/export': { answer: 'own' },
    'POST /v1/members/{phone}/erase': { answer: 'own', body: { confirmPhone: phone } },
    'POST /v1/templates': {
      answer: 'own',
      body: { templateId: bTemplateId, name: '乙店模板', body: '乙店周末特惠', category: 'marketing' },
    },
    'GET /v1/templates': { answer: 'own' },
    'POST /v1/templates/preview': { answer: 'refused', body: { templateId } },
    'GET /v1/templates/{templateId}': { answer: 'theirs' },
    'PATCH /v1/templates/{templateId}': { answer: 'theirs', body: { name: '乙店改名' } },
    'DELETE /v1/templates/{templateId}': { answer: 'theirs' },
    'PUT /v1/templates/{templateId}/registration': {
      answer: 'theirs',
      body: { providerTemplateId: 'SMS_1', signature: '【乙店】', status: 'approved' },
    },
    'POST /v1/audiences': { answer: 'own', body: { name: '乙店全体', definition: everyone } },
    'GET /v1/audiences': { answer: 'own' },
    'POST /v1/audiences/preview': { answer: 'own', body: { definition: everyone, sampleSize: 20 } },
    'GET /v1/audiences/fields': { answer: 'own' },
    'GET /v1/audiences/{audienceId}': { answer: 'theirs' },
    'PATCH /v1/audiences/{audienceId}': { answer: 'theirs', body: { name: '乙店改名' } },
    'DELETE /v1/audiences/{audienceId}': { answer: 'theirs' },
    'POST /v1/campaigns': {
      answer: 'refused',
      body: {
        name: '乙店活动',
        templateId: bTemplateId,
        audience: { audienceId: audience.audienceId },
        schedule: { kind: 'at', at: later() },
      },
    },
    'GET /v1/campaigns': { answer: 'own' },
    'GET /v1/campaigns/{campaignId}': { answer: 'theirs' },
    'PATCH /v1/campaigns/{campaignId}': { answer: 'theirs', body: { name: '乙店改名' } },
    'POST /v1/campaigns/{campaignId}/schedule': { answer: 'theirs' },
    'POST /v1/campaigns/{campaignId}/pause': { answer: 'theirs' },
    'POST /v1/campaigns/{campaignId}/resume': { answer: 'theirs' },
    'POST /v1/campaigns/{campaignId}/cancel': { answer: 'theirs' },
    'POST /v1/campaigns/{campaignId}/test': { answer: 'theirs' },
    'GET /v1/campaigns/{campaignId}/stats': { answer: 'theirs' },
    'GET /v1/retention/settings': { answer: 'own' },
    'PUT /v1/retention/settings': { answer: 'own', body: { scoringHour: 4 } },
    'PATCH /v1/retention/settings': { answer: 'own', body: { scoringHour: 5 } },
    'POST /v1/retention/rules': { answer: 'refused', body: { name: '乙店挽回', zone: 'red', templateId } },
    'GET /v1/retention/rules': { answer: 'own' },
    'GET /v1/retention/rules/{ruleId}': { answer: 'theirs' },
    'DELETE /v1/retention/rules/{ruleId}': { answer: 'theirs' },
    'POST /v1/retention/runs': { answer: 'own' },
    'GET /v1/retention/runs': { answer: 'own' },
    'GET /v1/retention/report': { answer: 'own' },
    'POST /v1/surveys': {
      answer: 'own',
      body: {
        name: '乙店调查',
        intro: '乙店想听听您的意见',
        questions: [{ kind: 'text', prompt: '有什么建议？' }],
        thankYou: '谢谢',
      },
    },
    'GET /v1/surveys': { answer: 'own' },
    'GET /v1/surveys/{surveyId}': { answer: 'theirs' },
    'POST /v1/surveys/{surveyId}/close': { answer: 'theirs' },
    'GET /v1/surveys/{surveyId}/results': { answer: 'theirs' },
    'GET /v1/tickets': { answer: 'own' },
    'GET /v1/tickets/counts': { answer: 'own' },
    'GET /v1/tickets/{ticketId}': { answer: 'theirs' },
    'POST /v1/tickets/{ticketId}/answer': { answer: 'theirs', body: { text: '乙店的回复' } },
    'POST /v1/tickets/{ticketId}/close': { answer: 'theirs' },
    // Keywords belong to each merchant: B may take a word A uses, and is told nothing of A's app.
    'POST /v1/keyword-apps': {
      answer: 'own',
      body: {
        name: '乙店会员日',
        keyword: '会员日',
        action: { kind: 'reply' },
        reply: { text: '乙店会员日快乐' },
      },
    },
    'GET /v1/keyword-apps': { answer: 'own' },
    'GET /v1/keyword-apps/{appId}': { answer: 'theirs' },
    'PATCH /v1/keyword-apps/{appId}': { answer: 'theirs', body: { enabled: false } },
    'DELETE /v1/keyword-apps/{appId}': { answer: 'theirs' },
    'GET /v1/api-keys': { answer: 'own' },
    'POST /v1/api-keys': { answer: 'own', body: { name: '乙店收银台' } },
    'DELETE /v1/api-keys/{keyId}': { answer: 'theirs' },
    'GET /v1/staff': { answer: 'own' },
    'POST /v1/staff': { answer: 'own', body: { phone: newPhone(), name: '乙店店员', role: 'cashier' } },
    'PATCH /v1/staff/{staffId}': { answer: 'theirs', body: { role: 'owner' } },
    'DELETE /v1/staff/{staffId}': { answer: 'theirs' },
    // An API key has no session: B is told so, whoever is signed in at A.
    'GET /v1/auth/session': { answer: 'own', status: 404 },
    'DELETE /v1/auth/session': { answer: 'own', status: 404 },
    // B's log holds B's own calls, which name A's ids: read up to B's first call, it must be empty.
    'GET /v1/audit': { answer: 'own', query: `?to=${encodeURIComponent(beforeProbes)}` },
    'GET /v1/referrals': { answer: 'own' },
    'GET /v1/stats/daily': { answer: 'own' },
    'GET /v1/stats/stores': { answer: 'own' },
    'GET /v1/stats/now': { answer: 'own' },
    'GET /v1/stores': { answer: 'own' },
    'POST /v1/stores': { answer: 'own', body: { storeId: `b-store-${suffix}`, name: '乙店一号店' } },
    // B has no store under A's id: not found, and A's store is unchanged.
    'PATCH /v1/stores/{storeId}': { answer: 'theirs', body: { name: '乙店改名' } },
  };
});
afterAll(() => local?.stop());

/** The route's path with A's ids in it; a parameter with no id of A's is reported, not guessed. */
function pathWithIdsOfA(path: string, missing: string[]): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = idsOfA[name];
    if (id === undefined) missing.push(`${path}: no id of A's for {${name}}`);
    return encodeURIComponent(id ?? name);
  });
}

/** What of A's the answer shows, but for what the request sent (an id B named, echoed in a refusal). */
function leaksOfA(sent: string, reply: Reply): string | undefined {
  const answer = JSON.stringify(reply.body);
  const leaked = onlyInA.filter((secret) => !sent.includes(secret) && answer.includes(secret));
  return leaked.length > 0 ? `${leaked.join(', ')}: ${answer}` : undefined;
}

describe('tenant isolation', () => {
  it('answers merchant B with nothing of A’s on every route, and changes none of A’s data', async () => {
    const problems: string[] = [];
    const routes = httpRoutes.map((route) => ({
      ...route,
      key: `${route.method} ${route.path}` as RouteKey,
    }));

    // A's ids are real: A reads each of its resources with its own key.
    for (const { method, path, key } of routes) {
      if (method !== 'GET' || !path.includes('{') || isPublic(key)) continue;
      const query = probes[key as KeyedRoute]?.query ?? '';
      const reply = await call(shopA.key, method, pathWithIdsOfA(path, problems) + query);
      if (reply.status !== 200) problems.push(`${key} with A's own key: ${reply.status}`);
    }
    const before = await itemsOf(shopA.merchant.merchantId);
    expect(Object.keys(before).sort()).toEqual(
      expect.arrayContaining([
        'Benefits',
        'Campaigns',
        'Care',
        'Directory',
        'Engagement',
        'Imports',
        'Ledger',
        'Members',
        'Retention',
        'DailyStats',
      ]),
    );

    for (const { method, path, key } of routes) {
      if (isPublic(key)) continue;
      const probe = probes[key as KeyedRoute];
      if (!probe) {
        problems.push(`${key}: no probe; say what merchant B must get from it`);
        continue;
      }
      const target = pathWithIdsOfA(path, problems) + (probe.query ?? '');
      const anonymous = await local.call(method, target, undefined, probe.body);
      if (anonymous.status !== 401) problems.push(`${key} without a key: ${anonymous.status}`);

      const reply = await call(shopB.key, method, target, probe.body);
      const { status } = reply;
      const expected =
        probe.answer === 'theirs'
          ? status === 403 || status === 404
          : probe.answer === 'refused'
            ? status >= 400 && status < 500
            : probe.status !== undefined
              ? status === probe.status
              : status >= 200 && status < 300;
      if (!expected) problems.push(`${key} (${probe.answer}): ${status} ${JSON.stringify(reply.body)}`);
      const leaked = leaksOfA(decodeURIComponent(target) + JSON.stringify(probe.body ?? ''), reply);
      if (leaked) problems.push(`${key} shows B ${leaked}`);
    }

    // A's place in a list, handed to B, neither fails nor continues into A's list.
    const paged: string[] = [];
    for (const { method, path, key } of routes) {
      if (method !== 'GET' || path.includes('{') || isPublic(key)) continue;
      const page = await call(shopA.key, method, `${path}?limit=1`);
      const cursor = page.body.cursor;
      if (page.status !== 200 || typeof cursor !== 'string') continue;
      paged.push(key);
      const target = `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`;
      const reply = await call(shopB.key, method, target);
      if (reply.status !== 400 && reply.status !== 200)
        problems.push(`${key} with A's cursor: ${reply.status} ${JSON.stringify(reply.body)}`);
      const leaked = leaksOfA(target, reply);
      if (leaked) problems.push(`${key} with A's cursor shows B ${leaked}`);
    }
    // A has two tickets and two members: a page of one leaves a place to continue from.
    expect(paged).toEqual(expect.arrayContaining(['GET /v1/members', 'GET /v1/tickets']));

    expect(problems).toEqual([]);
    expect(await itemsOf(shopA.merchant.merchantId)).toEqual(before);
  });

  it('keeps a phone that is a member of both apart: a text to one merchant’s number reads and changes only that merchant', async () => {
    const phone = newPhone();
    const numberOf = { A: shopA.merchant.senderNumber, B: shopB.merchant.senderNumber };
    let answered = 0;
    /** Each text is answered before the next goes, so the replies come in the order of the texts. */
    async function texts(to: keyof typeof numberOf, ...bodies: string[]): Promise<string[]> {
      for (const body of bodies) {
        await local.sms(phone, body, { to: numberOf[to] });
        answered += 1;
        await local.replies(phone, answered);
      }
      return (await local.replies(phone, answered)).slice(-bodies.length);
    }
    const member = `/v1/members/${encodeURIComponent(phone)}`;
    await texts('A', '注册 王五');
    await texts('B', '注册 王五');
    created(await call(shopA.key, 'POST', `${member}/points`, { points: 100 }), 'points from A');
    created(await call(shopB.key, 'POST', `${member}/points`, { points: 300 }), 'points from B');
    created(
      await call(shopB.key, 'POST', '/v1/keyword-apps', {
        name: '乙店口令',
        keyword: 'BSHOP',
        action: { kind: 'tag', tag: 'b-app' },
        reply: { text: '乙店已为您登记' },
      }),
      'keyword app of B',
    );

    const ofB = await itemsOf(shopB.merchant.merchantId);
    expect(await texts('A', '积分', '反馈 甲店的蛋糕不错', 'BSHOP', '退订')).toEqual([
      expect.stringMatching(/^【甲店】您在甲店的积分余额为100分，会员等级：甲店银卡。/),
      '【甲店】感谢您的反馈（编号3），甲店会尽快回复您。',
      // Help lists the merchant's own keywords: A's, never B's.
      expect.stringMatching(/^【甲店】Reply JOIN name birthday,.*\. Also: ASHOP\.$/),
      '【甲店】您已退订甲店的营销短信，回复"订阅"可恢复。',
    ]);
    expect(await itemsOf(shopB.merchant.merchantId)).toEqual(ofB);

    const ofA = await itemsOf(shopA.merchant.merchantId);
    expect(await texts('B', '积分', '反馈 乙店的面包不错', 'ASHOP', '退订')).toEqual([
      expect.stringMatching(/^【乙店】您在乙店的积分余额为300分，会员等级：银卡。/),
      '【乙店】感谢您的反馈（编号1），乙店会尽快回复您。',
      expect.stringMatching(/^【乙店】Reply JOIN name birthday,.*\. Also: 会员日, BSHOP\.$/),
      '【乙店】您已退订乙店的营销短信，回复"订阅"可恢复。',
    ]);
    expect(await itemsOf(shopA.merchant.merchantId)).toEqual(ofA);
  });
});
