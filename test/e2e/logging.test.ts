import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler, depsFromEnv } from '../../functions/inbound-sms/handler';
import { lambdaContext } from '../../local/local-lambda';
import { snsEventOf } from '../../local/local-sms-gateway';
import { maskPhone } from '../../shared/domain/phone';
import { Env } from '../../shared/env';
import { logger, maskPhonesIn } from '../../shared/log';
import { buckets, eventBus, functionEnvironment, functions, tables } from '../../shared/resources';
import type { Merchant } from '../../shared/schemas/merchant';
import { membersStore } from '../../shared/store/members';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

// Every level is written here (the other tests run the logger SILENT). The logger reads its level
// when its module loads and goes back to it at each invocation, so it is set before any import.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

/**
 * Everything the process writes to stdout and stderr while the work runs, kept from the test output
 * (the Powertools logger prints its JSON lines there, as in Lambda), and what the code handed the
 * logger before it masked anything: each call site must keep phones and names out on its own.
 */
async function logsOf(work: () => Promise<void>): Promise<{ written: string; handed: string }> {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  const calls = (['debug', 'info', 'warn', 'error', 'critical'] as const).map((level) =>
    vi.spyOn(logger, level),
  );
  try {
    await work();
  } finally {
    streams.forEach((stream, i) => {
      stream.write = writes[i] as typeof stream.write;
    });
  }
  const handed = calls.flatMap((spy) => spy.mock.calls);
  for (const spy of calls) spy.mockRestore();
  const withErrors = (_key: string, value: unknown) =>
    value instanceof Error ? { message: value.message, stack: value.stack } : value;
  return { written: written.join(''), handed: JSON.stringify(handed, withErrors) };
}

describe('the logger', () => {
  const phone = '+8613800138000';

  it('masks every phone number it writes: in the message, in any field, in errors', async () => {
    const { written: logs } = await logsOf(async () => {
      logger.warn(`a text from ${phone}`, {
        member: { recipientPk: `shop-1#${phone}`, national: '13800138000' },
        phones: [phone],
        error: new Error(`no member has the phone ${phone}`),
      });
    });
    expect(logs).toContain('a text from +86****8000');
    expect(logs).toContain('shop-1#+86****8000');
    expect(logs).toContain('138****8000');
    expect(logs).toContain('no member has the phone +86****8000');
    expect(logs).not.toContain('38001380');
  });

  it('leaves ids, times and amounts alone', () => {
    const text =
      'message 01KAB5M1GZ9Y8X7W6V5T4S3R2Q request 550e8400-e29b-41d4-a716-446655440000 ' +
      'order-13800138000 at 2027-01-01T10:00:00.000Z for 12000 cents';
    expect(maskPhonesIn(text)).toBe(text);
  });
});

/** A fixed-offset zone where it is about noon now: the default send window (09:00–20:00) is open. */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

describe('logs of a busy day through the local runtime', () => {
  let local: Local;
  beforeAll(async () => {
    local = await startLocal();
  });
  afterAll(() => local?.stop());

  /**
   * Texts with an unusable sender reach the function only from the provider (the simulator refuses
   * them first), so they are handed to the inbound-sms handler as SNS would.
   */
  function inboundAsSnsDelivers() {
    const env = new Env({
      AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint,
      ...functionEnvironment('inbound-sms', {
        tableName: (key) => tables[key].name,
        // Not routed, so nothing is queued or published.
        queueUrl: () => 'http://127.0.0.1:9/unused',
        bucketName: (key) => buckets[key].name,
        busName: eventBus.name,
        schedulerRoleArn: () => 'unused',
        scheduleTargetArn: () => 'unused',
      }),
    });
    const handler = createHandler(depsFromEnv(env));
    return (from: string, to: string, text: string) =>
      handler(
        snsEventOf(
          {
            originationNumber: from,
            destinationNumber: to,
            messageBody: text,
            inboundMessageId: randomUUID(),
          },
          'arn:aws:sns:local:000000000000:inbound-sms',
        ),
        lambdaContext('inbound-sms', functions['inbound-sms'].timeoutSeconds),
      );
  }

  /** Waits until the carrier's spam verdict on a text to the phone is recorded as a complaint. */
  async function complained(merchantId: string, phone: string): Promise<void> {
    const members = membersStore(
      new Env({ AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint }).dynamo(),
      tables.members.name,
    );
    const deadline = Date.now() + 15_000;
    while ((await members.contact(merchantId, phone)).suppression?.reason !== 'complaint') {
      if (Date.now() > deadline) throw new Error(`no complaint recorded for ${maskPhone(phone)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('holds no member phone number and no member name', async () => {
    // The SMS simulator's routes, for texts by HTTP, answer on this machine only.
    expect(local.runtime.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { merchant, key } = await local.newShop({
      timeZone: zoneAtNoon(),
      sending: { mps: 1000 } as Merchant['sending'],
    });
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      local.call(method, path, key, body, headers);
    const sms = (from: string, text: string) => local.sms(from, text, { to: merchant.senderNumber });
    const [ouyang, quentin, stranger] = [newPhone(), newPhone(), newPhone()];
    const landline = '+861062345678';
    const names = ['欧阳青松', 'Quentin', 'Marlowe'];

    const { written, handed } = await logsOf(async () => {
      expect((await sms(ouyang, '注册 欧阳青松 1990-05-01')).status).toBe(202);
      expect((await sms(quentin, 'JOIN Quentin Marlowe')).status).toBe(202);
      await local.replies(ouyang, 1);
      await local.replies(quentin, 1);

      const earned = await call(
        'POST',
        `/v1/members/${encodeURIComponent(ouyang)}/points`,
        { purchaseCents: 12000, reason: 'order 1' },
        { 'idempotency-key': `order-${randomUUID()}` },
      );
      expect(earned.status).toBe(201);
      await sms(ouyang, '积分');
      await local.replies(ouyang, 2);

      // A campaign whose text carries each member's name.
      const template = await call('POST', '/v1/templates', {
        name: '促销',
        body: '{{name}}，会员专享8折',
        category: 'marketing',
      });
      expect(template.status).toBe(201);
      const campaign = await call('POST', '/v1/campaigns', {
        name: '会员专享',
        templateId: template.body.template.templateId,
        audience: { definition: { field: 'points', op: 'gte', value: 0 } },
        schedule: { kind: 'now' },
      });
      expect(campaign.status).toBe(201);
      const { campaignId } = campaign.body.campaign;
      expect((await call('POST', `/v1/campaigns/${campaignId}/schedule`)).status).toBe(200);
      // The run starts on the merchant API's event: nothing waits for the schedule's minute.
      expect(await local.replies(ouyang, 3)).toContain(
        `${merchant.signature}欧阳青松，会员专享8折 回复TD退订`,
      );
      await local.replies(quentin, 2);

      // A complaint by keyword, naming the member and the phone, and one by the carrier's spam verdict.
      await sms(ouyang, `投诉 短信太多了，我是欧阳青松，电话${ouyang}`);
      await local.replies(ouyang, 4);
      await local.call('POST', '/local/sms/carrier', undefined, { phone: quentin, outcome: 'TEXT_SPAM' });
      await sms(quentin, 'POINTS');
      await complained(merchant.merchantId, quentin);

      // A landline cannot be a member; a number no merchant uses routes nowhere.
      const inbound = inboundAsSnsDelivers();
      await inbound(landline, merchant.senderNumber, '注册 欧阳青松');
      await inbound(stranger, '+861069999999', 'JOIN Quentin Marlowe');
      expect((await local.sms('13800', '积分')).status).toBe(400);

      await local.eventsSettled();
      await local.runtime.carrier.receiptsSettled();
      await local.eventsSettled();
    });

    // Each function on the path spoke, so silence cannot pass for safety.
    for (const logs of [written, handed]) {
      for (const entry of [
        'inbound text answered',
        'inbound text not routed',
        'campaign fan-out',
        'receipt',
        'activity',
      ]) {
        expect(logs).toContain(`"${entry}"`);
      }
      expect(logs).toContain(maskPhone(landline));
      for (const phone of [ouyang, quentin, stranger, landline]) {
        expect(logs).not.toContain(phone);
        expect(logs).not.toContain(phone.slice(3));
      }
      for (const name of names) expect(logs).not.toContain(name);
    }
  });
});
