import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { faultDraws, faultyProvider, throttleDynamo } from '../../../local/faults';
import type { OutgoingText } from '../../../shared/sms/provider';
import { testEnv } from '../../support';

/** The local runtime's fault hooks: reproducible draws, and faults shaped as the real ones. */
const text: OutgoingText = { from: '+8610690000', to: '+8613900000001', body: '你好', category: 'service' };

describe('fault hooks', () => {
  it('draw the same faults from the same seed, and others from another', () => {
    const sequence = (seed: number) => {
      const draws = faultDraws(seed);
      return [draws.of('a'), draws.of('b'), draws.next(), draws.next()];
    };
    expect(sequence(1)).toEqual(sequence(1));
    expect(sequence(2)).not.toEqual(sequence(1));
    expect(sequence(1).every((draw) => draw >= 0 && draw < 1)).toBe(true);
  });

  it('fail or time out provider calls as retryable errors, by the text and its attempt', async () => {
    const carried: OutgoingText[] = [];
    const provider = {
      async send(t: OutgoingText) {
        carried.push(t);
        return { providerMessageId: 'p-1' };
      },
    };
    const draws = faultDraws(3);
    const failing = faultyProvider(provider, { failRate: 1 }, draws);
    await expect(failing.send(text)).rejects.toMatchObject({ name: 'SmsProviderError', retryable: true });
    const timingOut = faultyProvider(provider, { timeoutRate: 1, timeoutMs: 10 }, draws);
    await expect(timingOut.send(text)).rejects.toThrow('timeout: the provider did not answer in 10 ms');
    expect(carried).toEqual([]);
    expect(draws.injected).toMatchObject({ providerFailures: 1, providerTimeouts: 1 });
    expect(await faultyProvider(provider, {}, draws).send(text)).toEqual({ providerMessageId: 'p-1' });
  });

  it('refuse DynamoDB calls as throttled, writing nothing', async () => {
    const env = testEnv();
    const draws = faultDraws(4);
    throttleDynamo(env.dynamoClient(), 1, draws);
    const Key = { pk: `fault-${randomUUID()}` };
    const put = env.dynamo().send(new PutCommand({ TableName: env.table('messages'), Item: Key }));
    await expect(put).rejects.toMatchObject({
      name: expect.stringMatching(/^(ProvisionedThroughputExceededException|ThrottlingException)$/),
      $fault: 'client',
    });
    const sound = testEnv();
    const { Item } = await sound
      .dynamo()
      .send(new GetCommand({ TableName: sound.table('messages'), Key, ConsistentRead: true }));
    expect(Item).toBeUndefined();
    expect(draws.injected.throttles).toBe(1);
  });
});
