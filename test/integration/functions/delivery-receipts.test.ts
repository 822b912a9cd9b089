import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler, ReceiptBeforeSendError } from '../../../functions/delivery-receipts/handler';
import { lambdaContext } from '../../../local/local-lambda';
import { snsEventOf } from '../../../local/local-sms-gateway';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import type { SmsEvent } from '../../../shared/schemas/sms-event';
import { readCampaignStats } from '../../../shared/store/campaign-stats';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { messageRecord, newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'), env.table('outbox'));
const messages = messagesStore(db, env.table('messages'), env.table('campaigns'));
const handler = createHandler({
  messages,
  members,
  campaignsTable: env.table('campaigns'),
});
const topicArn = 'arn:aws:sns:local:000000000000:sms-events';
const sentAt = new Date('2027-03-01T02:00:00.000Z');
const later = (minutes: number) => new Date(sentAt.getTime() + minutes * 60_000);
let shop: Merchant;

beforeAll(async () => {
  shop = (await newMerchant(env)).merchant;
});

/** Delivers one SNS message to the handler, as the topic's subscription does. */
const publish = (message: unknown) =>
  handler(snsEventOf(message as object, topicArn), lambdaContext('delivery-receipts', 10)) as Promise<void>;

/** A text the sender claimed and, unless `sending`, recorded as sent with a provider id. */
async function text(options: { campaignId?: string; sending?: boolean; to?: string } = {}) {
  const sms: OutboundSms = {
    messageId: options.campaignId
      ? `campaign#${options.campaignId}#${randomUUID()}`
      : `reply:${randomUUID()}`,
    merchantId: shop.merchantId,
    to: options.to ?? newPhone(),
    body: '新品上市，全场八折',
    category: options.campaignId ? 'marketing' : 'service',
    ...(options.campaignId ? { campaignId: options.campaignId, template: 'tpl-1' } : {}),
  };
  const providerMessageId = randomUUID();
  expect(await messages.claim(sms, sentAt, 60)).toBe('claimed');
  const markSent = () =>
    messages.sent(
      sms,
      {
        providerMessageId,
        text: `【测试商户】${sms.body}`,
        billing: { encoding: 'UCS-2', units: 14, segments: 1 },
        day: '2026-11-23',
        costFen: 4.5,
      },
      sentAt,
    );
  if (!options.sending) await markSent();
  return { sms, providerMessageId, markSent };
}

/** The provider's event about a text, with the context the sender passed it. */
function eventFor(
  sent: { sms: OutboundSms; providerMessageId: string },
  eventType: string,
  at = later(1),
): SmsEvent {
  return {
    eventType,
    eventTimestamp: at.getTime(),
    isFinal: true,
    messageId: sent.providerMessageId,
    context: { merchantId: sent.sms.merchantId, messageId: sent.sms.messageId },
  };
}

const record = (sms: OutboundSms) => messageRecord(env, sms);
const stats = (campaignId: string) =>
  readCampaignStats(db, env.table('campaigns'), shop.merchantId, campaignId);

describe('delivery-receipts', () => {
  it('settles a delivered campaign text and counts it once, however often the receipt arrives', async () => {
    const campaignId = `c-${randomUUID()}`;
    const sent = await text({ campaignId });
    const delivered = eventFor(sent, 'TEXT_DELIVERED');
    await publish(delivered);
    await publish(delivered);

    expect(await record(sent.sms)).toMatchObject({
      status: 'sent',
      receipt: { status: 'delivered', at: later(1).toISOString() },
    });
    expect(await stats(campaignId)).toEqual({ sent: 1, segments: 1, delivered: 1 });
  });

  it('keeps the first final outcome: a later contradicting receipt changes neither record nor stats', async () => {
    const campaignId = `c-${randomUUID()}`;
    const failedFirst = await text({ campaignId });
    await publish(eventFor(failedFirst, 'TEXT_UNREACHABLE', later(1)));
    await publish(eventFor(failedFirst, 'TEXT_DELIVERED', later(2)));
    const deliveredFirst = await text({ campaignId });
    await publish(eventFor(deliveredFirst, 'TEXT_SUCCESSFUL', later(1)));
    await publish(eventFor(deliveredFirst, 'TEXT_CARRIER_UNREACHABLE', later(2)));

    expect((await record(failedFirst.sms))?.receipt).toEqual({
      status: 'undelivered',
      reason: 'unreachable',
      at: later(1).toISOString(),
    });
    expect((await record(deliveredFirst.sms))?.receipt).toEqual({
      status: 'delivered',
      at: later(1).toISOString(),
    });
    expect(await stats(campaignId)).toEqual({ sent: 2, segments: 2, delivered: 1, failed: 1 });
  });

  it('settles a service text without touching any campaign', async () => {
    const sent = await text();
    await publish(eventFor(sent, 'TEXT_INVALID'));
    expect((await record(sent.sms))?.receipt).toEqual({
      status: 'undelivered',
      reason: 'invalid-number',
      at: later(1).toISOString(),
    });
  });

  it('applies a receipt that overtook its send once the send is recorded a moment later, without failing', async () => {
    const campaignId = `c-${randomUUID()}`;
    const sent = await text({ campaignId, sending: true });
    const applied = publish(eventFor(sent, 'TEXT_DELIVERED'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sent.markSent();
    await applied;
    expect((await record(sent.sms))?.receipt).toMatchObject({ status: 'delivered' });
    expect(await stats(campaignId)).toMatchObject({ delivered: 1 });
  });

  it('fails the invocation for a receipt that overtook its send, and applies it when retried', async () => {
    const campaignId = `c-${randomUUID()}`;
    const sent = await text({ campaignId, sending: true });
    const delivered = eventFor(sent, 'TEXT_DELIVERED');
    await expect(publish(delivered)).rejects.toThrow(ReceiptBeforeSendError);
    expect((await record(sent.sms))?.receipt).toBeUndefined();

    await sent.markSent();
    await publish(delivered);
    expect((await record(sent.sms))?.receipt).toMatchObject({ status: 'delivered' });
    expect(await stats(campaignId)).toMatchObject({ delivered: 1 });
  });

  it('drops, without failing, what it cannot apply, and changes nothing', async () => {
    const campaignId = `c-${randomUUID()}`;
    const sent = await text({ campaignId });
    const before = await record(sent.sms);
    const { context: _context, ...noContext } = eventFor(sent, 'TEXT_DELIVERED');
    await publish('not json {');
    await publish({ eventType: 'TEXT_DELIVERED' });
    await publish(noContext);
    await publish({ ...eventFor(sent, 'TEXT_CARRIER_UNREACHABLE'), isFinal: false });
    await publish(eventFor(sent, 'TEXT_PENDING'));
    await publish({ ...eventFor(sent, 'TEXT_DELIVERED'), messageId: randomUUID() });
    await publish(
      eventFor({ ...sent, sms: { ...sent.sms, messageId: 'reply:never-sent' } }, 'TEXT_DELIVERED'),
    );
    await publish(eventFor({ ...sent, sms: { ...sent.sms, merchantId: 'm-nobody' } }, 'TEXT_DELIVERED'));

    expect(await record(sent.sms)).toEqual(before);
    expect(await stats(campaignId)).toEqual({ sent: 1, segments: 1 });
  });

  it("records a carrier's spam verdict as the member's complaint, once, against the campaign", async () => {
    const campaignId = `c-${randomUUID()}`;
    const phone = newPhone();
    const sent = await text({ campaignId, to: phone });
    const spam = eventFor(sent, 'TEXT_SPAM');
    await publish(spam);
    await publish(spam);

    expect((await record(sent.sms))?.receipt).toMatchObject({ status: 'undelivered', reason: 'spam' });
    const { suppression } = await members.contact(shop.merchantId, phone);
    expect(suppression).toMatchObject({
      reason: 'complaint',
      channel: 'provider',
      source: 'TEXT_SPAM',
      ref: sent.providerMessageId,
      campaignId,
    });
    expect(await stats(campaignId)).toEqual({ sent: 1, segments: 1, failed: 1, complaints: 1 });
  });
});
