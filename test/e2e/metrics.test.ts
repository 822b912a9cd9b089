import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * The functions' metrics as CloudWatch would read them from their EMF lines: the local runtime takes
 * the lines the handlers print and sums them at GET /local/metrics. The runtime is this file's own,
 * so every count here comes from the texts and calls below.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

const metrics = async (): Promise<Body> => (await local.call('GET', '/local/metrics')).body.metrics;

/** The metrics once `ready` holds of them: receipts and flushes land a moment after the texts. */
async function metricsWhen(ready: (metrics: Body) => boolean): Promise<Body> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = await metrics();
    if (ready(now) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /local/metrics', () => {
  it('counts texts in by intent, texts out by outcome and category, their parts and cost, and ledger postings', async () => {
    expect(await metrics()).toEqual({});
    const joins = newPhone();
    const unreachable = newPhone();
    await local.call('POST', '/local/sms/carrier', undefined, {
      phone: unreachable,
      outcome: 'TEXT_UNREACHABLE',
    });

    await local.sms(joins, '注册 张三');
    await local.replies(joins, 1);
    await local.sms(unreachable, '注册 李四');
    await local.sms(joins, '帮助');
    await local.replies(joins, 2);
    const earned = await local.call(
      'POST',
      `/v1/members/${encodeURIComponent(joins)}/points`,
      local.runtime.demo.apiKey,
      { purchaseCents: 8800, reason: 'order 1' },
      { 'idempotency-key': 'metrics-order-1' },
    );
    expect(earned.status).toBe(201);

    const counted = await metricsWhen(
      (m) => m.TextsDelivered?.total >= 2 && m.TextsFailed?.total >= 1 && m.LedgerOperations?.total >= 1,
    );
    expect(counted.InboundTexts).toEqual({ total: 3, by: { intent: { join: 2, help: 1 } } });
    expect(counted.TextsSent).toEqual({ total: 3, by: { category: { service: 3 } } });
    expect(counted.TextsDelivered).toEqual({ total: 2, by: { category: { service: 2 } } });
    expect(counted.TextsFailed).toEqual({
      total: 1,
      by: { category: { service: 1 }, stage: { carrier: 1 } },
    });
    expect(counted.TextParts.total).toBeGreaterThanOrEqual(3);
    const { pricePerPartFen } = local.runtime.demo.merchant.sending;
    expect(counted.TextCostFen.total).toBeCloseTo(counted.TextParts.total * pricePerPartFen);
    expect(counted.TextCostFen.by.category.service).toBe(counted.TextCostFen.total);
    expect(counted.LedgerOperations).toEqual({
      total: 1,
      by: { type: { earn: 1 }, outcome: { applied: 1 } },
    });
    expect(counted.Errors).toBeUndefined();
  });
});
