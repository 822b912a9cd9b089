import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env } from '../../shared/env';
import { tables } from '../../shared/resources';
import { membersStore } from '../../shared/store/members';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * The simulated carrier reports every text's outcome on the local sms-events topic, and the
 * delivery-receipts function settles the message record, as End User Messaging and SNS do in AWS.
 */
let local: Local;
let env: Env;

beforeAll(async () => {
  local = await startLocal();
  env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint });
});
afterAll(() => local?.stop());

const merchantId = () => local.runtime.demo.merchant.merchantId;
const carrier = (phone: string, outcome: string) =>
  local.call('POST', '/local/sms/carrier', undefined, { phone, outcome });

/** The message records of texts to the phone, oldest first, once `count` of them carry a receipt. */
async function settledTexts(phone: string, count: number): Promise<Body[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { Items = [] } = await env.dynamo().send(
      new ScanCommand({
        TableName: tables.messages.name,
        FilterExpression: '#to = :phone',
        ExpressionAttributeNames: { '#to': 'to' },
        ExpressionAttributeValues: { ':phone': phone },
        ConsistentRead: true,
      }),
    );
    const settled = Items.filter((item) => item.receipt).sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    if (settled.length >= count) return settled;
    if (Date.now() > deadline)
      throw new Error(`expected ${count} receipts for ${phone}, got ${Items.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('delivery receipts from the simulated carrier', () => {
  it('marks a text the phone received as delivered', async () => {
    const phone = newPhone();
    await local.sms(phone, '注册 张三');
    await local.replies(phone, 1);
    const [welcome] = await settledTexts(phone, 1);
    expect(welcome).toMatchObject({
      merchantId: merchantId(),
      status: 'sent',
      receipt: { status: 'delivered' },
    });
  });

  it('marks a text to a number the carrier fails as undelivered, and keeps it from the phone', async () => {
    const phone = newPhone();
    await local.sms(phone, '注册 李四');
    await local.replies(phone, 1);
    expect(await carrier(phone, 'TEXT_UNREACHABLE')).toMatchObject({ status: 200 });
    await local.sms(phone, '积分');
    const [, balance] = await settledTexts(phone, 2);
    expect(balance).toMatchObject({
      status: 'sent',
      receipt: { status: 'undelivered', reason: 'unreachable' },
    });
    expect(await local.outbox(phone)).toHaveLength(1);

    await carrier(phone, 'TEXT_DELIVERED');
    await local.sms(phone, '积分');
    await local.replies(phone, 2);
  });

  it("records a carrier's spam verdict as the member's complaint, which holds marketing back", async () => {
    const phone = newPhone();
    await local.sms(phone, '注册 王五');
    await local.replies(phone, 1);
    await carrier(phone, 'TEXT_SPAM');
    await local.sms(phone, '积分');
    const [, flagged] = await settledTexts(phone, 2);
    expect(flagged?.receipt).toMatchObject({ status: 'undelivered', reason: 'spam' });
    // The complaint is written after the receipt, in the same invocation.
    await local.runtime.carrier.receiptsSettled();

    const { suppression } = await membersStore(env.dynamo(), tables.members.name).contact(
      merchantId(),
      phone,
    );
    expect(suppression).toMatchObject({
      reason: 'complaint',
      channel: 'provider',
      source: 'TEXT_SPAM',
      ref: flagged?.providerMessageId,
    });
  });

  it('refuses a carrier setting it cannot apply', async () => {
    expect(await carrier(newPhone(), 'TEXT_LOST_IN_SPACE')).toMatchObject({ status: 400 });
    expect(await carrier('not a phone', 'TEXT_SPAM')).toMatchObject({ status: 400 });
  });
});
