import { randomUUID } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveredText } from '../../local/local-sms-gateway';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../local/runtime';
import { newApiKey } from '../../shared/domain/api-keys';
import { codeInSignInText } from '../../shared/domain/sign-in';
import { dateIn } from '../../shared/domain/time';
import { Env } from '../../shared/env';
import { tables } from '../../shared/resources';
import { type Merchant, merchantSchema } from '../../shared/schemas/merchant';
import { isRequestCounter } from '../../shared/store/api-throttle';
import { directoryStore } from '../../shared/store/directory';
import { newMemberItem, recordConsent } from '../../shared/store/members';

// biome-ignore lint/suspicious/noExplicitAny: JSON from the server under test; the assertions check its shape.
export type Body = Record<string, any>;
export interface Reply {
  status: number;
  body: Body;
}

/**
 * The local runtime as a test drives it: a merchant's API calls, customers' texts through the
 * SMS simulator, and every table of its own DynamoDB Local for "nothing changed" checks.
 */
export interface Local {
  runtime: Runtime;
  call(
    method: string,
    path: string,
    key?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  /** A text from a customer to a merchant's number (the demo merchant's by default). */
  sms(from: string, text: string, options?: { to?: string; messageId?: string }): Promise<Reply>;
  outbox(phone: string): Promise<DeliveredText[]>;
  /** Waits until the phone has received `count` texts, recorded as sent, with their receipts in. */
  replies(phone: string, count: number): Promise<string[]>;
  /**
   * Waits until every event published so far has been handled by the functions subscribed to it
   * (retries and dead letters included), and so have the events those published in turn.
   */
  eventsSettled(): Promise<void>;
  /** Every item of every table, at rest, to prove a request changed nothing. */
  snapshot(): Promise<string>;
  /**
   * Signs a member of staff in as the console does: a code asked for, read from the phone's outbox,
   * traded for a session. The session's cookie as a browser sends it back (`mcrm_session=…`).
   */
  signIn(phone: string): Promise<string>;
  /** A merchant of its own with a key and a number, so a test knows everything it holds. */
  newShop(overrides?: Partial<Merchant>): Promise<{ merchant: Merchant; key: string }>;
  stop(): Promise<void>;
}

/**
 * `options`: a fault to bring into the fan-out, events delivered twice, injected faults, timings (see
 * RuntimeOptions). Its DynamoDB Local compiles with the quick tier only, as suits a test's seconds,
 * unless a test that runs for minutes asks otherwise.
 */
export async function startLocal(
  options: Pick<
    RuntimeOptions,
    | 'campaignFanoutDeps'
    | 'deliverEventsTwice'
    | 'faults'
    | 'visibilityTimeoutSeconds'
    | 'backoffScale'
    | 'quickJit'
  > = {},
): Promise<Local> {
  const runtime = await startRuntime({ visibilityTimeoutSeconds: 2, quickJit: true, ...options, port: 0 });
  const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamoEndpoint }).dynamo();

  async function call(
    method: string,
    path: string,
    key?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Body) : {} };
  }

  async function outbox(phone: string): Promise<DeliveredText[]> {
    return (await call('GET', `/local/sms/outbox?phone=${encodeURIComponent(phone)}`)).body.messages;
  }

  async function nothingSending(): Promise<boolean> {
    const { Items = [] } = await db.send(new ScanCommand({ TableName: tables.messages.name }));
    return Items.every((item) => item.status !== 'sending');
  }

  async function replies(phone: string, count: number): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const texts = await outbox(phone);
      if (texts.length >= count && (await nothingSending())) {
        // Delivery receipts land on the message records a moment after the send.
        await runtime.carrier.receiptsSettled();
        return texts.map((text) => text.body);
      }
      if (Date.now() > deadline)
        throw new Error(`expected ${count} texts to ${phone}, got ${JSON.stringify(texts)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    runtime,
    call,
    outbox,
    replies,
    async signIn(phone) {
      const texted = (await outbox(phone)).length;
      const asked = await call('POST', '/v1/auth/code', undefined, { phone });
      if (asked.status !== 202) throw new Error(`no code for ${phone}: ${JSON.stringify(asked.body)}`);
      const code = codeInSignInText((await replies(phone, texted + 1)).at(-1) ?? '');
      const response = await fetch(`${runtime.url}/v1/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, code }),
      });
      const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
      if (response.status !== 201 || !cookie)
        throw new Error(`${phone} not signed in: ${await response.text()}`);
      return cookie;
    },
    sms: (from, text, options = {}) =>
      call('POST', '/local/sms/inbound', undefined, {
        from,
        to: options.to ?? runtime.demo.merchant.senderNumber,
        text,
        messageId: options.messageId,
      }),
    eventsSettled: () => runtime.eventsSettled(),
    async snapshot() {
      // At rest: an event or a receipt still on its way would land between two snapshots. A receipt
      // may publish an event (a carrier's spam verdict is a complaint), so the events settle last.
      await runtime.eventsSettled();
      await runtime.carrier.receiptsSettled();
      await runtime.eventsSettled();
      const all: Record<string, unknown[]> = {};
      for (const table of Object.values(tables)) {
        // The audit log records every change asked for, refused ones too: the record of the request,
        // not the merchant's data (test/e2e/tenant-isolation.test.ts and the audit tests read it).
        if (table === tables.audit) continue;
        const { Items = [] } = await db.send(
          new ScanCommand({ TableName: table.name, ConsistentRead: true }),
        );
        // A key's request counter moves with every request, refused ones too; it is no one's data.
        all[table.name] = Items.filter((item) => !isRequestCounter(item))
          .map((item) => JSON.stringify(item))
          .sort();
      }
      return JSON.stringify(all);
    },
    async newShop(overrides = {}) {
      const { apiKey, stored } = newApiKey();
      const merchant = merchantSchema.parse({
        merchantId: `shop-${randomUUID().slice(0, 8)}`,
        name: '测试商户',
        signature: '【测试商户】',
        senderNumber: `+86106${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
        defaultCountry: 'CN',
        timeZone: 'Asia/Shanghai',
        createdAt: new Date().toISOString(),
        ...overrides,
      });
      await directoryStore(db, tables.directory.name).createMerchant(merchant, stored);
      return { merchant, key: apiKey };
    },
    stop: () => runtime.stop(),
  };
}

/**
 * 小林, who opted in to marketing, joined 400 days before `now` and last bought 130 days before it
 * (200 yuan): with the default rules no purchase in 120 days (5) and spend down 100% on the 90 days
 * before (5) score 10, red. The API cannot date a purchase in the past, so the member is written
 * straight to the table.
 */
export async function seedLapsedMember(
  local: Local,
  member: { merchantId: string; memberId: string; phone: string; timeZone: string; now: Date },
): Promise<void> {
  const { merchantId, phone, timeZone, now } = member;
  const day = 86_400_000;
  const boughtAt = new Date(now.getTime() - 130 * day).toISOString();
  const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint }).dynamo();
  const { item } = newMemberItem({
    merchantId,
    memberId: member.memberId,
    phone,
    name: '小林',
    joinedAt: new Date(now.getTime() - 400 * day).toISOString(),
    joinChannel: 'import',
    joinRef: 'e2e',
    points: 0,
    lastPurchaseAt: boughtAt,
    activity: {
      version: 1,
      days: { [dateIn(timeZone, new Date(boughtAt))]: { purchases: 1, spendCents: 20_000 } },
      lastActiveAt: boughtAt,
      targets: [],
    },
  });
  await db.send(new PutCommand({ TableName: tables.members.name, Item: item }));
  await recordConsent(db, tables.members.name, merchantId, phone, {
    status: 'subscribed',
    changedAt: boughtAt,
    channel: 'merchant-api',
    source: 'e2e',
    ref: 'e2e-consent',
  });
}
