import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventOf, memberConsentChanged } from '../../../events';
import { localPhoneProofKey, pseudonymsOf } from '../../../shared/domain/phone-proof';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { messagesStore } from '../../../shared/store/messages';
import { outboxWriter } from '../../../shared/store/outbox';
import { scanAll } from '../../../shared/store/paging';
import { eraseFromMessages } from '../../../shared/store/personal-data/messages';
import { eraseFromOutbox } from '../../../shared/store/personal-data/outbox';
import { newPhone, outboxEvents, testEnv } from '../../support';

/**
 * The words and phone of texts that were never sent: a suppressed, refused or waiting text keeps no
 * words on its record and the phone's proof for its phone, and an erasure takes them from a held one (which keeps them to be released) and takes the
 * held one out of the held index. The events naming the phone leave the Outbox.
 */
const env = testEnv();
const db = env.dynamo();
const messages = messagesStore(db, env.table('messages'), env.table('campaigns'));

/** Every record of the merchant's texts, read whole, as JSON. */
const recordsOf = async (merchantId: string) => {
  const found: string[] = [];
  for await (const item of scanAll(db, {
    TableName: env.table('messages'),
    FilterExpression: 'merchantId = :merchant',
    ExpressionAttributeValues: { ':merchant': merchantId },
    ConsistentRead: true,
  }))
    found.push(JSON.stringify(item));
  return found;
};

describe('texts never sent, and an erasure', () => {
  it('keep no words nor phone but a held text, whose words and phone an erasure removes', async () => {
    const merchantId = `shop-${randomUUID().slice(0, 8)}`;
    const phone = newPhone();
    const now = new Date('2026-11-23T02:00:00Z');
    const text = (body: string, category: OutboundSms['category'] = 'marketing'): OutboundSms => ({
      messageId: `m-${randomUUID()}`,
      merchantId,
      to: phone,
      body,
      category,
    });
    const suppressed = text('秘密优惠一');
    const refused = text('秘密优惠二');
    const waiting = text('秘密优惠三');
    const held = text('秘密优惠四');
    for (const queued of [suppressed, refused, waiting, held]) await messages.claim(queued, now, 60);
    await messages.suppressed(suppressed, 'opted-out', now);
    await messages.refused(refused, 'not a mobile number', now);
    await messages.retrying(waiting, 'throttled', now);
    await messages.held(held, 'carrier-cap', `【店】${held.body}`, now, '2026-11-23');

    const before = await recordsOf(merchantId);
    expect(before.filter((record) => record.includes('秘密优惠'))).toEqual([
      expect.stringContaining('秘密优惠四'),
    ]);
    // Nor the phone: the texts not sent keep its proof; only the held one, to be released, keeps it.
    const national = phone.slice(3);
    expect(before.filter((record) => record.includes(national))).toEqual([
      expect.stringContaining('秘密优惠四'),
    ]);
    const proof = pseudonymsOf(localPhoneProofKey, phone).proof;
    expect(before.filter((record) => record.includes(proof))).toHaveLength(3);

    const pseudonyms = pseudonymsOf(localPhoneProofKey, phone);
    expect(await eraseFromMessages(db, env.table('messages'), merchantId, pseudonyms)).toBe(1);
    const after = await recordsOf(merchantId);
    expect(after).toHaveLength(4);
    expect(after.filter((record) => record.includes('秘密优惠'))).toEqual([]);
    // The held text keeps the phone's proof, not the phone, as the others did already.
    expect(after.filter((record) => record.includes(national))).toEqual([]);
    expect(after.filter((record) => record.includes(pseudonyms.proof))).toHaveLength(4);
    // Neither released nor expired later: out of the held index.
    expect(after.filter((record) => record.includes('heldPk'))).toEqual([]);
  });

  it("delete the events naming the phone from the Outbox, and leave the merchant's others", async () => {
    const merchantId = `shop-${randomUUID().slice(0, 8)}`;
    const [phone, other] = [newPhone(), newPhone()];
    const consent = (who: string) =>
      eventOf(memberConsentChanged, {
        eventId: `consent:${randomUUID()}`,
        merchantId,
        phone: who,
        status: 'unsubscribed',
        channel: 'sms-keyword',
        changedAt: new Date().toISOString(),
      });
    await outboxWriter(db, env.table('outbox')).commit([consent(phone), consent(other)], new Date());
    expect(await eraseFromOutbox(db, env.table('outbox'), merchantId, phone)).toBe(1);
    expect((await outboxEvents(env, merchantId)).map((event) => event.detail.phone)).toEqual([other]);
  });
});
