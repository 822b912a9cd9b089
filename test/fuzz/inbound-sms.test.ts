import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler, depsFromEnv } from '../../functions/inbound-sms/handler';
import { lambdaContext } from '../../local/local-lambda';
import { snsEventOf } from '../../local/local-sms-gateway';
import { maxInboundTextLength, readKeyword } from '../../shared/domain/keywords';
import { replies } from '../../shared/domain/replies';
import { dateIn } from '../../shared/domain/time';
import type { Merchant } from '../../shared/schemas/merchant';
import { type OutboundSms, outboundSmsSchema } from '../../shared/schemas/sms';
import { membersStore } from '../../shared/store/members';
import { functionTestEnv, newMerchant, newPhone } from '../support';
import { fullWidth, hostilePieces, hostileText, longHostileText } from './hostile-text';

/**
 * Customers' texts at their worst, through the inbound handler in process against DynamoDB Local,
 * each delivered twice as providers do: one reply at most, one a handset can show, and a replay
 * that changes nothing.
 */

const env = functionTestEnv('inbound-sms');
const members = membersStore(env.dynamo(), env.table('members'));
let merchant: Merchant;

beforeAll(async () => {
  merchant = (await newMerchant(env)).merchant;
});

const queued: OutboundSms[] = [];
const handler = createHandler({
  ...depsFromEnv(env),
  outbound: {
    enqueue: async (sms) => void queued.push(sms),
    enqueueMany: async (texts) => void queued.push(...texts),
  },
});

/** Delivers a text from `from` to the merchant; answers the replies queued for it. */
async function deliver(from: string, body: string, messageId: string): Promise<OutboundSms[]> {
  const notification = {
    originationNumber: from,
    destinationNumber: merchant.senderNumber,
    messageBody: body,
    inboundMessageId: messageId,
  };
  await handler(
    snsEventOf(notification, 'arn:aws:sns:local:000000000000:inbound-sms'),
    lambdaContext('inbound-sms', 10),
  );
  return queued.filter((sms) => sms.messageId === `reply:${messageId}`);
}

/** Whether every string in a value can be sent or stored as UTF-8: no half of an emoji on its own. */
function wellFormed(value: unknown): boolean {
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  let found = false;
  JSON.stringify(value, (_key, v: unknown) => {
    found ||= typeof v === 'string' && loneSurrogate.test(v);
    return v;
  });
  return !found;
}

/** Dozens of deliveries to DynamoDB Local each: on a busy machine, more than the default 20 s. */
const slow = { timeout: 60_000 };

/**
 * What customers send: hostile text, keywords with hostile text after them, far too long texts. The
 * provider delivers UTF-8, so never half an emoji.
 */
const customerText = fc
  .oneof(
    hostileText(120),
    longHostileText,
    fc
      .tuple(
        fc.constantFrom(
          '注册',
          'JOIN ',
          '积分',
          '领取',
          'CLAIM ',
          '反馈',
          'FK ',
          '投诉',
          'STOP ',
          '退订',
          '帮助',
          '订阅',
        ),
        fc.oneof(
          hostileText(80),
          fc.integer({ min: 150, max: 1_700 }).map((length) => '😀'.repeat(length / 2)),
        ),
      )
      .map(([keyword, rest]) => keyword + rest),
  )
  .filter(wellFormed);

describe('inbound texts at their worst', () => {
  it(
    'answers once with a text a handset can show, helpfully for what it cannot read, and a replay changes nothing',
    slow,
    async () => {
      await fc.assert(
        fc.asyncProperty(customerText, fc.boolean(), async (body, isMember) => {
          const phone = newPhone();
          if (isMember) await deliver(phone, '注册 王五', randomUUID());
          const messageId = randomUUID();
          const first = await deliver(phone, body, messageId);
          const contact = await members.contact(merchant.merchantId, phone);
          const again = await deliver(phone, body, messageId);

          expect(first.length).toBeLessThanOrEqual(1);
          expect(again).toEqual(first);
          expect(await members.contact(merchant.merchantId, phone)).toEqual(contact);
          expect(wellFormed(contact)).toBe(true);
          for (const reply of first) {
            expect(outboundSmsSchema.safeParse(reply).success).toBe(true);
            expect(wellFormed(reply.body)).toBe(true);
          }
          const intent = readKeyword(body, dateIn(merchant.timeZone, new Date()), {
            optOutKeywords: merchant.sending.optOutKeywords,
          });
          const context = { lang: intent.lang, merchantName: merchant.name };
          if (body.length > maxInboundTextLength)
            expect(first.map((r) => r.body)).toEqual([replies.tooLong(context)]);
          // The merchant has no keyword apps: help lists the system keywords only.
          if (intent.kind === 'unknown')
            expect(first.map((r) => r.body)).toEqual([replies.help(context, [], merchant.signature)]);
        }),
        { numRuns: 40 },
      );
    },
  );

  it(
    'joins with a birthday in full-width digits, wrapped in direction marks, once however often it arrives',
    slow,
    async () => {
      const birthday = fc
        .date({
          min: new Date('1950-01-01T00:00:00Z'),
          max: new Date('2010-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString().slice(0, 10));
      const mark = fc.constantFrom(
        '',
        ...hostilePieces.rightToLeft.filter((piece) => piece.length === 1),
        '\u200B',
      );
      await fc.assert(
        fc.asyncProperty(
          birthday,
          mark,
          mark,
          fc.constantFrom('-', '/', '年'),
          async (date, before, after, separator) => {
            const [year, month, day] = date.split('-');
            const written =
              separator === '年' ? `${year}年${month}月${day}日` : [year, month, day].join(separator);
            const phone = newPhone();
            const messageId = randomUUID();
            const text = `${before}注册 李娜 ${fullWidth(written)}${after}`;
            const first = await deliver(phone, text, messageId);
            const joined = await members.contact(merchant.merchantId, phone);
            expect(await deliver(phone, text, messageId)).toEqual(first);

            expect(first.map((reply) => reply.body)).toEqual([expect.stringContaining('李娜，欢迎加入')]);
            expect(joined.member).toMatchObject({ name: '李娜', birthday: date });
            expect(await members.contact(merchant.merchantId, phone)).toEqual(joined);
          },
        ),
        { numRuns: 15 },
      );
    },
  );

  it('keeps the text an opt-out or a complaint is proved by whole: no half of an emoji where it is cut', async () => {
    for (const keyword of ['STOP ', '投诉 ']) {
      for (const at of [198, 199, 200]) {
        const phone = newPhone();
        // An emoji across the 200th character, where the proof is cut.
        const body = `${keyword}${'a'.repeat(at - keyword.length)}😀 please`;
        await deliver(phone, body, randomUUID());
        const contact = await members.contact(merchant.merchantId, phone);
        expect(contact.marketing ?? contact.suppression).toBeDefined();
        expect(wellFormed(contact)).toBe(true);
      }
    }
  });
});
