import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { MerchantApiDeps } from '../../../functions/merchant-api/deps';
import { createHandler } from '../../../functions/merchant-api/handler';
import type { Response } from '../../../functions/merchant-api/http';
import { apiGatewayEvent } from '../../../local/local-http-api';
import { lambdaContext } from '../../../local/local-lambda';
import { newApiKey } from '../../../shared/domain/api-keys';
import { apiThrottle } from '../../../shared/store/api-throttle';
import { directoryStore } from '../../../shared/store/directory';
import { newMerchant, testEnv } from '../../support';

/**
 * The merchant API's per-key limit, in process against DynamoDB Local: a small limit and a clock
 * held still, so every request falls in one window and the count is exact.
 */
const env = testEnv();
const directory = directoryStore(env.dynamo(), env.table('directory'));
const limit = 5;

function apiAt(now: () => Date) {
  // Listing keys reads only the directory: the other stores are never reached.
  const deps = {
    directory,
    apiThrottle: apiThrottle(env.dynamo(), env.table('sendLimits'), { perSecond: limit }),
    clock: now,
  } as unknown as MerchantApiDeps;
  const handler = createHandler(deps);
  return async (apiKey: string) => {
    const request = {
      method: 'GET',
      headers: { authorization: `Bearer ${apiKey}` },
      socket: {},
    } as unknown as IncomingMessage;
    const event = apiGatewayEvent(request, new URL('http://localhost/v1/api-keys'), Buffer.from(''));
    if (!event) throw new Error('GET /v1/api-keys is not routed');
    const response = (await handler(event, lambdaContext('merchant-api', 10))) as Response;
    return { ...response, body: JSON.parse(String(response.body)) };
  };
}

describe('per-key throttling of the merchant API', () => {
  it('answers exactly the requests over the limit in one second with 429 and Retry-After', async () => {
    const { apiKey } = await newMerchant(env);
    const call = apiAt(() => new Date('2027-03-01T08:00:00.250Z'));
    const over = 3;
    const answers = await Promise.all(Array.from({ length: limit + over }, () => call(apiKey)));
    const refused = answers.filter((answer) => answer.statusCode === 429);
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(limit);
    expect(refused).toHaveLength(over);
    for (const answer of refused) {
      expect(answer.headers).toMatchObject({ 'retry-after': '1' });
      expect(answer.body.error).toEqual({
        code: 'throttled',
        message: `this API key may make ${limit} requests a second; try again in 750 ms`,
      });
    }
  });

  it('counts each key on its own, and starts again in the next second', async () => {
    const { merchant, apiKey } = await newMerchant(env);
    const second = newApiKey();
    await directory.addApiKey(merchant.merchantId, second.stored, new Date());
    let now = new Date('2027-03-01T08:00:00.000Z');
    const call = apiAt(() => now);
    for (let i = 0; i < limit; i++) expect((await call(apiKey)).statusCode).toBe(200);
    expect((await call(apiKey)).statusCode).toBe(429);
    expect((await call(second.apiKey)).statusCode).toBe(200);
    now = new Date('2027-03-01T08:00:01.000Z');
    expect((await call(apiKey)).statusCode).toBe(200);
  });

  it('does not count requests with a wrong secret against the key', async () => {
    const { apiKey } = await newMerchant(env);
    const call = apiAt(() => new Date('2027-03-01T09:00:00.000Z'));
    const forged = `${apiKey.slice(0, -2)}${apiKey.endsWith('AA') ? 'BB' : 'AA'}`;
    for (let i = 0; i < limit + 1; i++) expect((await call(forged)).statusCode).toBe(401);
    expect((await call(apiKey)).statusCode).toBe(200);
  });
});
