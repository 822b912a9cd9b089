import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { toMobileE164 } from '../shared/domain/phone';
import type { FunctionName } from '../shared/resources';
import type { DirectoryStore } from '../shared/store/directory';
import { parseJson, problem } from './http';
import type { localEventBus } from './local-event-bus';
import type { MetricTotals } from './local-metrics';
import {
  carrierFateSchema,
  gatewayTextSchema,
  type outbox,
  type simulatedCarrier,
  simulatedTextSchema,
  snsEventOf,
} from './local-sms-gateway';

/** A text in a simulated phone's thread: `in` from the phone to a merchant, `out` to the phone. */
interface ThreadText {
  at: string;
  direction: 'in' | 'out';
  from: string;
  to: string;
  body: string;
}

export interface Reply {
  status: number;
  body: unknown;
}

/** A route of the local server: the request's URL and body, and the answer. */
export type Route = (url: URL, body: Buffer) => Promise<Reply>;

const inboundTopicArn = 'arn:aws:sns:local:000000000000:inbound-sms';

export interface LocalRouteDeps {
  /** The inbound-sms function, invoked as the inbound topic invokes it. */
  inbound(event: SNSEvent): Promise<unknown>;
  directory: Pick<DirectoryStore, 'merchantByNumber'>;
  phones: ReturnType<typeof outbox>;
  carrier: ReturnType<typeof simulatedCarrier>;
  bus: ReturnType<typeof localEventBus>;
  /** The functions that run on a rate, each as of a given time. */
  scheduled: Partial<Record<FunctionName, (time: Date) => Promise<void>>>;
  /** The functions' metrics so far, read from the EMF lines they printed. */
  metrics(): MetricTotals;
}

/**
 * What the local server answers besides the merchant API and the Scheduler API: the SMS simulator
 * (`/local/sms/*`), EventBridge's PutEvents for the functions' SDK, the scheduled functions run now,
 * and the events published.
 */
export function localRoutes({
  inbound,
  directory,
  phones,
  carrier,
  bus,
  scheduled,
  metrics,
}: LocalRouteDeps): Record<string, Route> {
  // What each simulated phone texted, newest last: its side of the thread the console's phone shows.
  const sent = new Map<string, ThreadText[]>();
  const keepPerPhone = 500;
  return {
    async 'POST /local/sms/inbound'(_url, body) {
      const json = parseJson(body);
      if (json === undefined) return problem(400, 'the body is not valid JSON: send {"from","to","text"}');
      const parsed = simulatedTextSchema.safeParse(json);
      if (!parsed.success) return problem(400, parsed.error.issues.map((issue) => issue.message).join('; '));
      const to = parsed.data.to.normalize('NFKC').replace(/[\s-]/g, '');
      const merchant = await directory.merchantByNumber(to);
      if (!merchant) return problem(404, `no merchant uses the number ${to}`);
      const from = toMobileE164(parsed.data.from, merchant.defaultCountry);
      if (!from.ok) return problem(400, `from: ${from.reason}`);
      const notification = {
        originationNumber: from.phone,
        destinationNumber: to,
        messageBody: parsed.data.text,
        inboundMessageId: parsed.data.messageId ?? crypto.randomUUID(),
      };
      const texts = sent.get(from.phone) ?? [];
      texts.push({
        at: new Date().toISOString(),
        direction: 'in',
        from: from.phone,
        to,
        body: parsed.data.text,
      });
      sent.set(from.phone, texts.slice(-keepPerPhone));
      await inbound(snsEventOf(notification, inboundTopicArn));
      return { status: 202, body: { messageId: notification.inboundMessageId, from: from.phone, to } };
    },
    async 'GET /local/sms/outbox'(url) {
      const phone = toMobileE164(url.searchParams.get('phone') ?? '', 'CN');
      if (!phone.ok) return problem(400, `phone: ${phone.reason}`);
      return { status: 200, body: { phone: phone.phone, messages: phones.to(phone.phone) } };
    },
    /** A phone's conversation: what it texted (`in`) and what it received (`out`), oldest first. */
    async 'GET /local/sms/thread'(url) {
      const phone = toMobileE164(url.searchParams.get('phone') ?? '', 'CN');
      if (!phone.ok) return problem(400, `phone: ${phone.reason}`);
      const received: ThreadText[] = phones
        .to(phone.phone)
        .map(({ at, from, to, body }) => ({ at, direction: 'out', from, to, body }));
      const texts = [...(sent.get(phone.phone) ?? []), ...received].sort((a, b) => a.at.localeCompare(b.at));
      return { status: 200, body: { phone: phone.phone, texts } };
    },
    async 'POST /local/sms/gateway'(_url, body) {
      const parsed = gatewayTextSchema.safeParse(parseJson(body));
      if (!parsed.success) return problem(400, parsed.error.message);
      return { status: 200, body: { providerMessageId: carrier.accept(parsed.data).providerMessageId } };
    },
    /** From now on the carrier delivers texts to a phone, or fails them: `{"phone","outcome":"TEXT_SPAM"}`. */
    async 'POST /local/sms/carrier'(_url, body) {
      const parsed = carrierFateSchema.safeParse(parseJson(body));
      if (!parsed.success) return problem(400, parsed.error.issues.map((issue) => issue.message).join('; '));
      const phone = toMobileE164(parsed.data.phone, 'CN');
      if (!phone.ok) return problem(400, `phone: ${phone.reason}`);
      carrier.setFate({ phone: phone.phone, outcome: parsed.data.outcome });
      return { status: 200, body: { phone: phone.phone, outcome: parsed.data.outcome } };
    },
    async 'POST /local/eventbridge'(_url, body) {
      return { status: 200, body: bus.putEvents((parseJson(body) as object) ?? {}) };
    },
    /** Fires a schedule now, optionally as if at another time: `{"time":"2027-01-01T00:30:00+08:00"}`. */
    ...Object.fromEntries(
      Object.entries(scheduled).map(([name, run]) => [
        `POST /local/schedules/${name}`,
        async (_url: URL, body: Buffer): Promise<Reply> => {
          const json = body.length > 0 ? parseJson(body) : {};
          const time = z.object({ time: z.iso.datetime({ offset: true }).optional() }).safeParse(json);
          if (!time.success) return problem(400, 'send {"time": "<ISO date-time>"} or no body');
          const at = time.data.time ? new Date(time.data.time) : new Date();
          await run(at);
          return { status: 200, body: { ran: name, time: at.toISOString() } };
        },
      ]),
    ),
    /** What the functions counted (texts by outcome, inbound texts by intent …), as CloudWatch would. */
    async 'GET /local/metrics'() {
      return { status: 200, body: { metrics: metrics() } };
    },
    /** Recent events, and those a subscribed function failed on after its retries (with the error). */
    async 'GET /local/events'(url) {
      const type = url.searchParams.get('detailType');
      return {
        status: 200,
        body: {
          events: bus.events.filter((event) => !type || event.detailType === type),
          deadLetters: bus.deadLetters.filter((letter) => !type || letter.event['detail-type'] === type),
        },
      };
    },
  };
}
