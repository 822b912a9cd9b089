/** The shop the soak works for: its merchant, its survey, keyword app and template, and its customers. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../local/runtime';
import { newApiKey } from '../shared/domain/api-keys';
import { tables } from '../shared/resources';
import { type Merchant, merchantSchema } from '../shared/schemas/merchant';
import { directoryStore } from '../shared/store/directory';
import type { Customer } from './soak-traffic';

export const customerCount = 400;
/**
 * The first customers are members already, opted in, in groups a campaign goes to in turn: two, so a
 * group's third campaign of the day meets the frequency cap (two marketing texts a day by default).
 */
export const campaignGroups = 2;
export const groupSize = 20;

/** A fixed-offset zone where it is about noon now, so marketing texts are inside the default send window. */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the runtime under load; the soak checks what it uses.
  body: any;
}

/** The merchant the soak works for, as the runtime serves it over loopback. */
export interface Shop {
  merchant: Merchant;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  sms(from: string, text: string, messageId: string): Promise<Reply>;
}

export async function openShop(runtime: Runtime, db: DynamoDBDocumentClient): Promise<Shop> {
  const { apiKey, stored } = newApiKey();
  const merchant = merchantSchema.parse({
    merchantId: 'soak',
    name: '花店',
    signature: '【花店】',
    senderNumber: '+861069001234',
    defaultCountry: 'CN',
    timeZone: zoneAtNoon(),
    createdAt: new Date().toISOString(),
  });
  if (!(await directoryStore(db, tables.directory.name).createMerchant(merchant, stored))) {
    throw new Error('the soak merchant exists already: the soak needs a fresh runtime');
  }
  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }
  return {
    merchant,
    call: request,
    sms: (from, text, messageId) =>
      request('POST', '/local/sms/inbound', { from, to: merchant.senderNumber, text, messageId }),
  };
}

/** What every customer can use: a survey started by the keyword 调查, a marketing template. */
export async function furnish(shop: Shop): Promise<{ templateId: string }> {
  const expect = (what: string, reply: Reply, status: number) => {
    if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const survey = expect(
    'survey',
    await shop.call('POST', '/v1/surveys', {
      name: '购花满意度',
      intro: '花店想听听您的意见，共3题，回复即可。',
      questions: [
        { kind: 'choice', prompt: '您对本次购花体验满意吗？', options: ['满意', '一般', '不满意'] },
        { kind: 'rating', prompt: '请为鲜花品质打分' },
        { kind: 'text', prompt: '还有什么想对我们说的？' },
      ],
      thankYou: '感谢参与！',
    }),
    201,
  );
  expect(
    'keyword app',
    await shop.call('POST', '/v1/keyword-apps', {
      name: '满意度调查',
      keyword: '调查',
      action: { kind: 'start-survey', surveyId: survey.survey.surveyId },
    }),
    201,
  );
  const template = expect(
    'template',
    await shop.call('POST', '/v1/templates', {
      name: '周末促销',
      body: '{{name}}，本周末全场8折',
      category: 'marketing',
    }),
    201,
  );
  return { templateId: template.template.templateId };
}

/** The customers: the campaign groups' members, added by the API and opted in; then strangers who text to join. */
export async function customersOf(shop: Shop): Promise<Customer[]> {
  const customers = Array.from(
    { length: customerCount },
    (_, i): Customer => ({
      phone: `+86138${String(10_000_000 + i)}`,
      name: `顾客${i}`,
      member: false,
      subscribed: false,
      points: 0,
      busy: false,
    }),
  );
  for (const [i, customer] of customers.slice(0, campaignGroups * groupSize).entries()) {
    const created = await shop.call('POST', '/v1/members', {
      phone: customer.phone,
      name: customer.name,
      tags: [`group-${i % campaignGroups}`],
      marketingConsent: { source: '门店纸质登记表' },
    });
    if (created.status !== 201)
      throw new Error(`member ${i}: ${created.status} ${JSON.stringify(created.body)}`);
    Object.assign(customer, { member: true, subscribed: true });
  }
  return customers;
}

/** What the campaigns' fan-outs queued, by their stats. */
export async function campaignTexts(shop: Shop, campaignIds: readonly string[]): Promise<number> {
  let targeted = 0;
  for (const campaignId of campaignIds) {
    const stats = await shop.call('GET', `/v1/campaigns/${campaignId}/stats`);
    targeted += stats.body.stats?.targeted ?? 0;
  }
  return targeted;
}

/** Every member's balance as the API lists it, against the points the soak earned for them. */
export async function balancesMatching(shop: Shop, customers: readonly Customer[]) {
  const listed = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await shop.call('GET', `/v1/members?limit=100${query}`);
    for (const member of page.body.members ?? []) listed.set(member.phone, member.points);
    cursor = page.body.cursor;
  } while (cursor);
  const members = customers.filter((customer) => customer.member);
  const matching = members.filter((customer) => listed.get(customer.phone) === customer.points).length;
  return { members: members.length, listed: listed.size, matching };
}
