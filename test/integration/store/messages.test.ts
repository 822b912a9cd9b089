import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { readCampaignStats } from '../../../shared/store/campaign-stats';
import { messagesStore } from '../../../shared/store/messages';
import { newPhone, testEnv } from '../../support';

const env = testEnv();
const messages = messagesStore(env.dynamo(), env.table('messages'), env.table('campaigns'));
const merchantId = `shop-${Math.random().toString(36).slice(2, 8)}`;
const sms = (overrides: Partial<OutboundSms> = {}): OutboundSms => ({
  messageId: `reply:${Math.random()}`,
  merchantId,
  to: newPhone(),
  body: '您好',
  category: 'service',
  ...overrides,
});
const record = async (text: OutboundSms) =>
  (
    await env.dynamo().send(
      new GetCommand({
        TableName: env.table('messages'),
        Key: { pk: `${merchantId}#${text.messageId}` },
        ConsistentRead: true,
      }),
    )
  ).Item;
const billing = { encoding: 'UCS-2', units: 10, segments: 1 } as const;
/** The day and cost the sender works out for a sent text; counted only by a store given the daily figures. */
const onDay = { day: '2026-11-23', costFen: 4.5 };

describe('messages store: the send-once guard', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('lets one sender claim a message; a second finds it leased, and once sent, settled', async () => {
    const text = sms();
    expect(await messages.claim(text, now, 60)).toBe('claimed');
    expect(await messages.claim(text, later(1), 60)).toBe('leased');
    await messages.sent(
      text,
      { providerMessageId: 'provider-1', text: '【店】您好', billing, ...onDay },
      later(2),
    );
    expect(await messages.claim(text, later(3600), 60)).toBe('settled');
    expect(await record(text)).toMatchObject({
      status: 'sent',
      providerMessageId: 'provider-1',
      text: '【店】您好',
      encoding: 'UCS-2',
      segments: 1,
      sentAt: later(2).toISOString(),
    });
    expect(await record(text)).not.toHaveProperty('leaseUntil');
  });

  it('lets a deferred, retrying or failed message, or one whose sender died past its lease, be claimed again', async () => {
    for (const settle of ['deferred', 'retrying', 'failed'] as const) {
      const text = sms();
      await messages.claim(text, now, 60);
      if (settle === 'deferred')
        await messages.deferred(text, 'outside-marketing-hours', later(600).toISOString(), later(1));
      else await messages[settle](text, 'provider timed out', later(1));
      expect(await messages.claim(text, later(2), 60), settle).toBe('claimed');
    }
    const abandoned = sms();
    await messages.claim(abandoned, now, 60);
    expect(await messages.claim(abandoned, later(59), 60)).toBe('leased');
    expect(await messages.claim(abandoned, later(61), 60)).toBe('claimed');
  });

  it('never claims a suppressed, refused or held message again', async () => {
    const suppressed = sms();
    await messages.claim(suppressed, now, 60);
    await messages.suppressed(suppressed, 'opted-out', later(1));
    const refused = sms();
    await messages.claim(refused, now, 60);
    await messages.refused(refused, 'too-long: 501 characters, at most 500', later(1));
    const held = sms();
    await messages.claim(held, now, 60);
    await messages.held(held, 'carrier-cap: at most 50 texts a day', '【店】您好', later(1), '2026-11-20');
    for (const text of [suppressed, refused, held]) {
      expect(await messages.claim(text, later(3600), 60)).toBe('settled');
    }
    expect(await record(held)).toMatchObject({
      status: 'held',
      reason: 'carrier-cap: at most 50 texts a day',
      text: '【店】您好',
      body: '您好',
      heldPk: merchantId,
      heldOn: '2026-11-20',
    });
  });

  it("counts a campaign text's outcome once, however often the settling write is repeated", async () => {
    const campaignId = `c-${Math.random().toString(36).slice(2, 8)}`;
    const texts = Array.from({ length: 4 }, () => sms({ category: 'marketing', campaignId }));
    for (const text of texts) await messages.claim(text, now, 60);
    const [sent, capped, held, failed] = texts as [OutboundSms, OutboundSms, OutboundSms, OutboundSms];
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(
        await messages.sent(
          sent,
          { providerMessageId: 'p', text: '【店】您好', billing: { ...billing, segments: 2 }, ...onDay },
          later(1),
        ),
      ).toBe(attempt === 0);
      expect(
        await messages.suppressed(
          capped,
          'frequency-cap: at most 2 marketing texts a day to one member',
          later(1),
        ),
      ).toBe(attempt === 0);
      expect(
        await messages.held(
          held,
          'carrier-cap: at most 50 texts a day',
          '【店】您好',
          later(1),
          '2026-11-20',
        ),
      ).toBe(attempt === 0);
      expect(await messages.failed(failed, 'invalid destination', later(1))).toBe(attempt === 0);
    }
    expect(await readCampaignStats(env.dynamo(), env.table('campaigns'), merchantId, campaignId)).toEqual({
      sent: 1,
      segments: 2,
      'suppressed.frequency-cap': 1,
      'held.carrier-cap': 1,
      failed: 1,
    });
  });

  it("finds a phone's sent texts through the byRecipient index", async () => {
    const phone = newPhone();
    const first = sms({ to: phone });
    const second = sms({ to: phone });
    for (const [i, text] of [first, second].entries()) {
      await messages.claim(text, now, 60);
      await messages.sent(
        text,
        { providerMessageId: `p-${i}`, text: '【店】您好', billing, ...onDay },
        later(i),
      );
    }
    const { Items = [] } = await env.dynamo().send(
      new QueryCommand({
        TableName: env.table('messages'),
        IndexName: 'byRecipient',
        KeyConditionExpression: 'recipientPk = :pk',
        ExpressionAttributeValues: { ':pk': `${merchantId}#${phone}` },
      }),
    );
    expect(Items.map((item) => item.messageId)).toEqual([first.messageId, second.messageId]);
  });
});

describe('messages store: the campaign a phone last heard from', () => {
  const now = new Date('2027-03-10T12:00:00Z');
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  const billing = { encoding: 'UCS-2', units: 10, segments: 1 } as const;

  /** A text sent `hours` before now; a campaign text when `campaignId` is given. */
  async function sendText(merchantId: string, to: string, hours: number, campaignId?: string) {
    const text: OutboundSms = {
      messageId: `${campaignId ?? 'reply'}:${Math.random()}`,
      merchantId,
      to,
      body: '您好',
      category: campaignId ? 'marketing' : 'service',
      ...(campaignId ? { campaignId } : {}),
    };
    await messages.claim(text, hoursAgo(hours), 60);
    await messages.sent(
      text,
      { providerMessageId: `p-${Math.random()}`, text: text.body, billing, ...onDay },
      hoursAgo(hours),
    );
    return text;
  }

  it('finds the newest campaign text sent since the given time, ignoring service texts', async () => {
    const merchantId = `m-recent-${Math.random()}`;
    const phone = newPhone();
    await sendText(merchantId, phone, 80, 'campaign-old');
    await sendText(merchantId, phone, 10, 'campaign-b');
    const newest = await sendText(merchantId, phone, 5, 'campaign-f');
    await sendText(merchantId, phone, 1);

    expect(await messages.recentCampaignText(merchantId, phone, hoursAgo(72))).toEqual({
      campaignId: 'campaign-f',
      messageId: newest.messageId,
    });
    expect(await messages.recentCampaignText(merchantId, phone, hoursAgo(100))).toMatchObject({
      campaignId: 'campaign-f',
    });
    expect(await messages.recentCampaignText(merchantId, phone, hoursAgo(4))).toBeUndefined();
  });

  it("never answers with another phone's or another merchant's texts, nor with one not sent", async () => {
    const merchantId = `m-recent-${Math.random()}`;
    const phone = newPhone();
    await sendText(merchantId, newPhone(), 1, 'campaign-other-phone');
    await sendText(`m-recent-${Math.random()}`, phone, 1, 'campaign-other-merchant');
    const unsent: OutboundSms = {
      messageId: `campaign-unsent:${Math.random()}`,
      merchantId,
      to: phone,
      body: '您好',
      category: 'marketing',
      campaignId: 'campaign-unsent',
    };
    await messages.claim(unsent, hoursAgo(1), 60);
    await messages.suppressed(unsent, 'no-consent', hoursAgo(1));

    expect(await messages.recentCampaignText(merchantId, phone, hoursAgo(72))).toBeUndefined();
  });
});
