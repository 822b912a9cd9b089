import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandler as outboxPublisher } from '../../functions/outbox-publisher/handler';
import { lambdaContext } from '../../local/local-lambda';
import { addEmf, type MetricTotals, readEmfLine, tapMetrics } from '../../local/local-metrics';
import { count, flushMetrics, metricNames, metricsNamespace, publishMetrics } from '../../shared/metrics';
import { functions } from '../../shared/resources';

/** The EMF lines written while `run` runs, as CloudWatch reads them from a function's log. */
function emfLinesOf(run: () => void) {
  const write = vi.spyOn(process.stdout, 'write');
  try {
    run();
    return write.mock.calls
      .flatMap(([chunk]) => String(chunk).split('\n'))
      .map(readEmfLine)
      .filter((emf) => emf !== undefined);
  } finally {
    write.mockRestore();
  }
}

afterEach(() => flushMetrics());

describe('metrics as CloudWatch EMF', () => {
  it('writes one line per set of dimensions, each metric under the service alone and with its dimensions', () => {
    const lines = emfLinesOf(() => {
      count(metricNames.textsSent, { category: 'service' });
      count(metricNames.textsSent, { category: 'service' });
      count(metricNames.textParts, { category: 'service' }, 3);
      count(metricNames.textsSent, { category: 'marketing' });
      count(metricNames.campaignMembersQueued, {}, 10);
      count(metricNames.errors, {}, 0);
      flushMetrics();
    });
    expect(lines).toHaveLength(3);
    const [service, marketing, plain] = lines;
    expect(service?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: metricsNamespace,
      Dimensions: [['service', 'category'], ['service']],
      Metrics: [
        { Name: 'TextsSent', Unit: 'Count' },
        { Name: 'TextParts', Unit: 'Count' },
      ],
    });
    expect(service).toMatchObject({ category: 'service', TextsSent: 2, TextParts: 3 });
    expect(marketing).toMatchObject({ category: 'marketing', TextsSent: 1 });
    expect(plain?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(plain).toMatchObject({ CampaignMembersQueued: 10 });
    expect(plain).not.toHaveProperty('Errors');
    // Flushed: nothing is written twice.
    expect(emfLinesOf(flushMetrics)).toEqual([]);
  });

  it('writes the lines Powertools for AWS Lambda writes for the same metrics, but for their time', () => {
    const counted = () => {
      count(metricNames.textsSent, { category: 'service' });
      count(metricNames.textParts, { category: 'service' }, 3);
      count(metricNames.textsFailed, { category: 'marketing', stage: 'provider' });
      count(metricNames.errors);
    };
    const ours = emfLinesOf(() => {
      counted();
      flushMetrics();
    });
    // The same counts through Powertools Metrics, grouped as flushMetrics groups them.
    const powertools = new Metrics({ namespace: metricsNamespace });
    const theirs = emfLinesOf(() => {
      for (const [dimensions, metrics] of [
        [{ category: 'service' }, { TextsSent: 1, TextParts: 3 }],
        [{ category: 'marketing', stage: 'provider' }, { TextsFailed: 1 }],
        [{}, { Errors: 1 }],
      ] as const) {
        if (Object.keys(dimensions).length > 0) {
          powertools.addDimensions({});
          for (const [name, value] of Object.entries(dimensions)) powertools.addDimension(name, value);
        }
        for (const [name, value] of Object.entries(metrics))
          powertools.addMetric(name, MetricUnit.Count, value);
        powertools.publishStoredMetrics();
      }
    });
    const timeless = (lines: typeof ours) =>
      lines.map((line) => JSON.stringify({ ...line, _aws: { ...line._aws, Timestamp: 0 } }));
    expect(ours).toHaveLength(3);
    expect(timeless(ours)).toEqual(timeless(theirs));
  });

  it('counts a failed invocation, and an answer of 5xx, in Errors; a 4xx is no error', async () => {
    const middleware = publishMetrics();
    const written: unknown[] = [];
    const write = vi.spyOn(process.stdout, 'write');
    // biome-ignore lint/suspicious/noExplicitAny: a middy request, only the fields the middleware reads.
    const request = (response?: unknown) => ({ response, error: new Error('boom') }) as any;
    await middleware.onError?.(request());
    await middleware.onError?.(request({ statusCode: 500 }));
    await middleware.onError?.(request({ statusCode: 404 }));
    await middleware.after?.(request({ statusCode: 503 }));
    await middleware.after?.(request({ statusCode: 200 }));
    for (const [chunk] of write.mock.calls) written.push(...String(chunk).split('\n').map(readEmfLine));
    write.mockRestore();
    const totals: MetricTotals = {};
    for (const emf of written) if (emf) addEmf(totals, emf as NonNullable<ReturnType<typeof readEmfLine>>);
    expect(totals).toEqual({ Errors: { total: 3, by: {} } });
  });
});

describe('the local tap', () => {
  it('sums the lines printed by metric and dimension value, and keeps them out of the output', () => {
    const tap = tapMetrics();
    try {
      count(metricNames.inboundTexts, { intent: 'join' });
      count(metricNames.inboundTexts, { intent: 'help' }, 2);
      flushMetrics();
      expect(tap.totals()).toEqual({ InboundTexts: { total: 3, by: { intent: { join: 1, help: 2 } } } });
      tap.reset();
      expect(tap.totals()).toEqual({});
    } finally {
      tap.stop();
    }
  });

  it('reads only EMF documents', () => {
    expect(readEmfLine('{"level":"INFO","message":"hello"}')).toBeUndefined();
    expect(readEmfLine('{"_aws": not json')).toBeUndefined();
    expect(readEmfLine('plain text')).toBeUndefined();
  });
});

describe('every function', () => {
  it.each(Object.entries(functions))('%s writes its metrics when each invocation ends', (_, { entry }) => {
    expect(readFileSync(`${dirname(entry)}/handler.ts`, 'utf8')).toContain('.use(publishMetrics())');
  });

  it('counts a chunk of events the bus refused in Errors, though the batch answers normally', async () => {
    const tap = tapMetrics();
    try {
      const handler = outboxPublisher({
        events: {
          publish: async () => {
            throw new Error('bus unavailable');
          },
        },
        balanceOf: async () => undefined,
      });
      const item = { detailType: 'member.joined', detail: { eventId: 'e-1', merchantId: 'm-1' } };
      const event = {
        Records: [
          {
            eventName: 'INSERT',
            dynamodb: { SequenceNumber: '1', NewImage: marshall(item) },
          },
        ],
      } as unknown as DynamoDBStreamEvent;
      expect(await handler(event, lambdaContext('outbox-publisher', 30))).toEqual({
        batchItemFailures: [{ itemIdentifier: '1' }],
      });
      expect(tap.totals()).toEqual({ Errors: { total: 1, by: {} } });
    } finally {
      tap.stop();
    }
  });
});
