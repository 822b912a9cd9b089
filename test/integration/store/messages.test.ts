import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { messagesStore } from '../../../shared/store/messages';
import { newPhone, testEnv } from '../../support';

const env = testEnv();
const messages = messagesStore(env.dynamo(), env.table('messages'));
const sms = (): OutboundSms => ({
  messageId: `reply:${Math.random()}`,
  merchantId: 'shop-m',
  to: newPhone(),
  body: '您好',
  category: 'service',
});
const record = async (text: OutboundSms) =>
  (
    await env
      .dynamo()
      .send(new GetCommand({ TableName: env.table('messages'), Key: { pk: `shop-m#${text.messageId}` } }))
  ).Item;

describe('messages store: the send-once guard', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('lets one sender claim a message; a sent message is never claimed again', async () => {
    const text = sms();
    expect(await messages.claim(text, now, 60)).toBe(true);
    expect(await messages.claim(text, later(1), 60)).toBe(false);
    await messages.sent(text, 'provider-1', { encoding: 'UCS-2', units: 2, segments: 1 }, later(2));
    expect(await messages.claim(text, later(3600), 60)).toBe(false);
    expect(await record(text)).toMatchObject({
      status: 'sent',
      providerMessageId: 'provider-1',
      segments: 1,
    });
  });

  it('lets a failed message, or one whose sender died past its lease, be claimed again', async () => {
    const failed = sms();
    await messages.claim(failed, now, 60);
    await messages.failed(failed, 'provider timed out', later(1));
    expect(await messages.claim(failed, later(2), 60)).toBe(true);

    const abandoned = sms();
    await messages.claim(abandoned, now, 60);
    expect(await messages.claim(abandoned, later(59), 60)).toBe(false);
    expect(await messages.claim(abandoned, later(61), 60)).toBe(true);
  });
});
