import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { SQSEvent } from 'aws-lambda';
import * as inboundSms from '../../../functions/inbound-sms/handler';
import type { MerchantApiDeps } from '../../../functions/merchant-api/deps';
import * as merchantApi from '../../../functions/merchant-api/handler';
import type { Response } from '../../../functions/merchant-api/http';
import * as sendSms from '../../../functions/send-sms/handler';
import { apiGatewayEvent } from '../../../local/local-http-api';
import { lambdaContext } from '../../../local/local-lambda';
import { snsEventOf } from '../../../local/local-sms-gateway';
import { localPhoneProofKey } from '../../../shared/domain/phone-proof';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import type { OutgoingText } from '../../../shared/sms/provider';
import { apiThrottle } from '../../../shared/store/api-throttle';
import { auditStore } from '../../../shared/store/audit';
import { benefitsStore } from '../../../shared/store/benefits';
import { dailyStatsReader } from '../../../shared/store/daily-stats';
import { directoryStore } from '../../../shared/store/directory';
import { erasureMarks } from '../../../shared/store/erasure-marks';
import { keywordAppsStore } from '../../../shared/store/keyword-apps';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { outboxWriter } from '../../../shared/store/outbox';
import { redemptionFailures } from '../../../shared/store/redemption-failures';
import { referralsStore } from '../../../shared/store/referrals';
import { sendLimitsStore } from '../../../shared/store/send-limits';
import { staffStore } from '../../../shared/store/staff';
import { surveysStore } from '../../../shared/store/surveys';
import { templatesStore } from '../../../shared/store/templates';
import { ticketsStore } from '../../../shared/store/tickets';
import { newMerchant, testEnv, testExchanges } from '../../support';

export const env = testEnv();
const db = env.dynamo();

/**
 * The compliance path end to end, at the handlers: customers' texts through inbound-sms, the
 * merchant's calls through merchant-api, and every queued text through the real send-sms, with a
 * recording provider as the only fake. The clock runs from 11:00 in Shanghai, inside the default
 * send window, so marketing is never deferred to the next morning.
 */
export async function complianceWorld() {
  const { merchant, apiKey } = await newMerchant(env);
  const offset = Date.parse('2026-11-23T03:00:00.000Z') - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const queued: OutboundSms[] = [];
  const delivered: OutgoingText[] = [];
  const outbound = {
    enqueue: async (sms: OutboundSms) => void queued.push(sms),
    enqueueMany: async (texts: readonly OutboundSms[]) => void queued.push(...texts),
  };
  const stores = {
    directory: directoryStore(db, env.table('directory')),
    members: membersStore(db, env.table('members'), env.table('outbox')),
    erasures: erasureMarks(db, env.table('members')),
    messages: messagesStore(db, env.table('messages'), env.table('campaigns')),
    templates: templatesStore(db, env.table('campaigns')),
  };

  const inbound = inboundSms.createHandler({
    ...stores,
    ledger: ledgerStore(db, env.table('ledger'), env.table('members'), env.table('outbox')),
    benefits: benefitsStore(db, env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: testExchanges(env),
    referrals: referralsStore(db, env.table('members')),
    phoneProofKey: localPhoneProofKey,
    tickets: ticketsStore(db, env.table('engagement')),
    surveys: surveysStore(db, env.table('engagement')),
    keywordApps: keywordAppsStore(db, env.table('engagement')),
    staff: staffStore(db, env.table('directory')),
    audit: auditStore(db, env.table('audit')),
    dailyStats: dailyStatsReader(db, env.table('dailyStats')),
    redemptionFailures: redemptionFailures(db, env.table('sendLimits')),
    campaignsTable: env.table('campaigns'),
    outbound,
    outbox: outboxWriter(db, env.table('outbox')),
    idempotencyTable: new DynamoDBPersistenceLayer({
      tableName: env.table('idempotency'),
      awsSdkV3Client: env.dynamoClient(),
    }),
    clock,
  });
  const sender = sendSms.createHandler({
    ...stores,
    limits: sendLimitsStore(db, env.table('sendLimits')),
    queue: {
      enqueueLater: async (sms) => {
        throw new Error(`${sms.messageId} was deferred; these tests send inside the send window`);
      },
      redeliverLater: async () => undefined,
    },
    provider: {
      async send(text) {
        delivered.push(text);
        return { providerMessageId: `p-${randomUUID()}` };
      },
    },
    clock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  // Only what the compliance routes use: any other store is a mistake the test should see.
  const api = merchantApi.createHandler({
    ...stores,
    apiThrottle: apiThrottle(db, env.table('sendLimits')),
    clock,
  } as unknown as MerchantApiDeps);

  /** A customer's text to the merchant's number; `messageId` repeats a delivery. */
  async function text(from: string, body: string, messageId: string = randomUUID()) {
    const notification = {
      originationNumber: from,
      destinationNumber: merchant.senderNumber,
      messageBody: body,
      inboundMessageId: messageId,
    };
    await inbound(
      snsEventOf(notification, 'arn:aws:sns:local:000000000000:inbound-sms'),
      lambdaContext('inbound-sms', 10),
    );
  }

  /** Runs send-sms on texts as the outbound queue delivers them; answers what reached the provider. */
  async function send(...texts: OutboundSms[]): Promise<OutgoingText[]> {
    const before = delivered.length;
    const result = (await sender(sqsEvent(texts), lambdaContext('send-sms', 30))) as {
      batchItemFailures: unknown[];
    };
    if (result.batchItemFailures.length > 0) throw new Error(`send-sms failed ${JSON.stringify(result)}`);
    return delivered.slice(before);
  }

  async function call(method: string, path: string, body?: unknown) {
    const request = {
      method,
      headers: { authorization: `Bearer ${apiKey}` },
      socket: {},
    } as unknown as IncomingMessage;
    const url = new URL(`http://localhost${path}`);
    const event = apiGatewayEvent(request, url, Buffer.from(body === undefined ? '' : JSON.stringify(body)));
    if (!event) throw new Error(`no route for ${method} ${path}`);
    const response = (await api(event, lambdaContext('merchant-api', 10))) as Response;
    // biome-ignore lint/suspicious/noExplicitAny: JSON from the handler under test; assertions check its shape.
    return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, any> };
  }

  return { merchant, clock, queued, text, send, call, stores };
}

export type ComplianceWorld = Awaited<ReturnType<typeof complianceWorld>>;

/** A campaign's marketing text to a phone, as campaign-fanout queues it. */
export const campaignText = (merchant: Merchant, to: string, campaignId: string): OutboundSms => ({
  messageId: `campaign:${campaignId}:${to}`,
  merchantId: merchant.merchantId,
  to,
  body: '双十二会员日，全场八折！',
  category: 'marketing',
  campaignId,
  template: 'double-twelve',
});

/** A service text: a points reply, a receipt. */
export const serviceText = (merchant: Merchant, to: string): OutboundSms => ({
  messageId: `service:${randomUUID()}`,
  merchantId: merchant.merchantId,
  to,
  body: '您的积分余额为120分。',
  category: 'service',
});

function sqsEvent(texts: OutboundSms[]): SQSEvent {
  return {
    Records: texts.map((sms, i) => ({
      messageId: `record-${i}`,
      receiptHandle: `r-${i}`,
      body: JSON.stringify(sms),
      attributes: { ApproximateReceiveCount: '1' } as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:outbound-sms',
      awsRegion: 'us-east-1',
    })),
  };
}
