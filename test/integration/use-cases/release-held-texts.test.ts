import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type SendSmsDeps, sendQueuedSms } from '../../../functions/send-sms/send';
import { tapMetrics } from '../../../local/local-metrics';
import { newApiKey } from '../../../shared/domain/api-keys';
import { localPhoneProofKey, phoneProof } from '../../../shared/domain/phone-proof';
import { flushMetrics } from '../../../shared/metrics';
import { type Merchant, merchantSchema } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import type { OutgoingText } from '../../../shared/sms/provider';
import { readCampaignStats } from '../../../shared/store/campaign-stats';
import { directoryStore } from '../../../shared/store/directory';
import { erasureMarks } from '../../../shared/store/erasure-marks';
import { heldTextsStore } from '../../../shared/store/held-texts';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { sendLimitsStore } from '../../../shared/store/send-limits';
import { templatesStore } from '../../../shared/store/templates';
import { releaseHeldTexts } from '../../../shared/use-cases/release-held-texts';
import { messageRecord, newPhone, testEnv } from '../../support';

const env = testEnv();
const db = env.dynamo();

/**
 * Texts held over the carrier cap (one text a day to a number per signature and template here) go
 * again the next day inside the marketing hours (09:00-20:00 in Shanghai), and expire after the
 * merchant's two days: send-sms and the held texts' store on DynamoDB Local, a clock the test moves.
 */
async function shop(): Promise<Merchant> {
  const merchant = merchantSchema.parse({
    merchantId: `m-${randomUUID().slice(0, 8)}`,
    name: '测试商户',
    signature: '【测试商户】',
    senderNumber: `+86106${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
    defaultCountry: 'CN',
    timeZone: 'Asia/Shanghai',
    createdAt: new Date().toISOString(),
    sending: { carrierCapPerDay: 1, heldTextExpiryDays: 2 },
  });
  await directoryStore(db, env.table('directory')).createMerchant(merchant, newApiKey().stored);
  return merchant;
}

/** Day 1 is 1 December 2026; `at('2', '10:00')` is 10:00 on 2 December in Shanghai. */
const at = (day: string, time: string) => new Date(`2026-12-0${day}T${time}:00+08:00`);

async function setup() {
  const merchant = await shop();
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const setClock = (instant: Date) => {
    offset = instant.getTime() - Date.now();
  };
  const sent: OutgoingText[] = [];
  const queued: OutboundSms[] = [];
  const messages = messagesStore(db, env.table('messages'), env.table('campaigns'));
  const held = heldTextsStore(db, env.table('messages'), env.table('campaigns'));
  const deps: SendSmsDeps = {
    directory: directoryStore(db, env.table('directory')),
    members: membersStore(db, env.table('members')),
    erasures: erasureMarks(db, env.table('members')),
    messages,
    templates: templatesStore(db, env.table('campaigns')),
    limits: sendLimitsStore(db, env.table('sendLimits')),
    queue: { enqueueLater: async () => undefined, redeliverLater: async () => undefined },
    provider: {
      async send(text) {
        sent.push(text);
        return { providerMessageId: `p-${sent.length}` };
      },
    },
    clock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const campaignId = `c-${randomUUID().slice(0, 8)}`;
  const text = (to: string, body: string): OutboundSms => ({
    messageId: randomUUID(),
    merchantId: merchant.merchantId,
    to,
    body,
    category: 'service',
    template: 'reply:notice',
    campaignId,
  });
  return {
    merchant,
    sent,
    queued,
    /** send-sms as of `instant`. */
    send: async (sms: OutboundSms, instant: Date) => {
      setClock(instant);
      await sendQueuedSms(sms, deps, { receiveCount: 1 });
    },
    release: (instant: Date) =>
      releaseHeldTexts(merchant, instant, {
        held,
        outbound: { enqueue: async (sms) => void queued.push(sms) },
      }),
    record: (sms: OutboundSms) => messageRecord(env, sms),
    stats: () => readCampaignStats(db, env.table('campaigns'), merchant.merchantId, campaignId),
    text,
  };
}

describe('texts held over the carrier cap', () => {
  it('are released the next day inside the send window, once, and sent under their own id', async () => {
    const shop = await setup();
    const phone = newPhone();
    const first = shop.text(phone, '第一条');
    const second = shop.text(phone, '第二条');
    await shop.send(first, at('1', '10:00'));
    await shop.send(second, at('1', '10:01'));
    expect(await shop.record(second)).toMatchObject({ status: 'held', heldOn: '2026-12-01' });

    const none = { released: 0, requeued: 0, expired: 0 };
    expect(await shop.release(at('1', '19:00'))).toEqual(none); // the same day: the cap still stands
    expect(await shop.release(at('2', '07:30'))).toEqual(none); // the next day, before the window opens
    expect(await shop.release(at('2', '09:00'))).toEqual({ ...none, released: 1 });
    expect(await shop.record(second)).toMatchObject({
      status: 'released',
      reason: expect.stringMatching(/^carrier-cap/),
    });
    expect(shop.queued).toEqual([{ ...second, heldSince: '2026-12-01' }]);
    // A second run changes nothing; a release not taken up within the hour is queued again, same id.
    expect(await shop.release(at('2', '09:30'))).toEqual(none);
    expect(await shop.release(at('2', '10:05'))).toEqual({ ...none, requeued: 1 });
    expect(shop.queued.map((sms) => sms.messageId)).toEqual([second.messageId, second.messageId]);

    for (const copy of shop.queued) await shop.send(copy, at('2', '10:06'));
    expect(shop.sent.map((text) => text.body)).toEqual(['【测试商户】第一条', '【测试商户】第二条']);
    const record = await shop.record(second);
    expect(record).toMatchObject({ status: 'sent', heldSince: '2026-12-01' });
    expect(record).not.toHaveProperty('heldPk');
    expect(await shop.release(at('3', '10:00'))).toEqual(none);
    expect(await shop.stats()).toEqual({ sent: 2, segments: 2, 'held.carrier-cap': 1, released: 1 });
  });

  it('expire with their reason once held longer than the merchant allows, counted from the first hold', async () => {
    const shop = await setup();
    flushMetrics(); // what the test before counted, out of this test's figures
    const tap = tapMetrics();
    const phone = newPhone();
    const [a, b, c] = ['一', '二', '三'].map((body) => shop.text(phone, body)) as [
      OutboundSms,
      OutboundSms,
      OutboundSms,
    ];
    await shop.send(a, at('1', '10:00'));
    await shop.send(b, at('1', '10:01'));
    expect(await shop.release(at('2', '09:00'))).toMatchObject({ released: 1 });
    // Another text takes the day's cap before the released one is sent: held again, since the 1st.
    await shop.send(c, at('2', '09:01'));
    await shop.send(shop.queued[0] as OutboundSms, at('2', '09:02'));
    expect(await shop.record(b)).toMatchObject({
      status: 'held',
      heldOn: '2026-12-02',
      heldSince: '2026-12-01',
    });
    expect(await shop.record(c)).toMatchObject({ status: 'sent' });

    // Three days since the first hold is more than the two allowed: expired even outside the window.
    expect(await shop.release(at('4', '06:00'))).toEqual({ released: 0, requeued: 0, expired: 1 });
    const expired = await shop.record(b);
    expect(expired).toMatchObject({
      status: 'expired',
      daysHeld: 3,
      reason: 'carrier-cap: at most 1 texts a day to one number with 【测试商户】 and template reply:notice',
    });
    expect(expired).not.toHaveProperty('heldPk');
    // Never sent: neither its words nor the phone are kept, the phone's proof stands for it.
    expect(expired).toMatchObject({ to: phoneProof(localPhoneProofKey, phone) });
    expect(JSON.stringify(expired)).not.toMatch(new RegExp(`${phone.slice(3)}|"(body|text)"`));
    expect(await shop.release(at('4', '10:00'))).toEqual({ released: 0, requeued: 0, expired: 0 });
    expect(await shop.stats()).toMatchObject({
      'held.carrier-cap': 2,
      released: 1,
      'expired.carrier-cap': 1,
    });
    // The same in the metrics, by reason (written as an invocation ends).
    flushMetrics();
    const metrics = tap.totals();
    tap.stop();
    const byReason = (total: number) => ({ total, by: { reason: { 'carrier-cap': total } } });
    expect(metrics).toMatchObject({
      TextsHeld: byReason(2),
      TextsReleased: byReason(1),
      TextsExpired: byReason(1),
    });
  });
});
