import type middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import {
  type AuthDeps,
  authenticateCaller,
  type MerchantApiContext,
} from '../../../functions/merchant-api/auth';
import { HttpError, json, type Request, type Response } from '../../../functions/merchant-api/http';
import { routeRoles } from '../../../functions/merchant-api/route-roles';
import { newApiKey, readApiKey } from '../../../shared/domain/api-keys';
import { merchantSchema } from '../../../shared/schemas/merchant';

const merchant = merchantSchema.parse({
  merchantId: 'shop-auth',
  name: '测试商户',
  signature: '【测试商户】',
  senderNumber: '+8610690000',
  defaultCountry: 'CN',
  timeZone: 'Asia/Shanghai',
  createdAt: '2026-01-01T00:00:00.000Z',
});
const { apiKey } = newApiKey();
const keyId = readApiKey(apiKey)?.keyId;
const now = new Date('2027-03-01T08:00:00.250Z');

/** The directory knows one key; the throttle admits, refuses or cannot be reached. */
function depsWith(throttle: 'admits' | 'refuses' | 'unreachable') {
  const asked = { directory: 0, throttle: [] as string[] };
  const deps: AuthDeps = {
    directory: {
      async merchantByApiKey(key) {
        asked.directory++;
        return key === apiKey ? merchant : undefined;
      },
      merchant: async () => undefined,
    },
    // No sessions here: test/integration/functions/merchant-api-sessions.test.ts signs staff in.
    staff: { get: async () => undefined },
    signIn: {
      session: async () => undefined,
      touchSession: async () => undefined,
      endSession: async () => undefined,
    },
    apiThrottle: {
      perSecond: 50,
      async admit(merchantId, id) {
        asked.throttle.push(`${merchantId}/${id}`);
        if (throttle === 'unreachable') throw new Error('the SendLimits table is unreachable');
        return throttle === 'admits';
      },
    },
    clock: () => now,
  };
  return { deps, asked };
}

type MiddyRequest = middy.Request<Request, Response, Error, MerchantApiContext>;

/** The request as middy hands it to a `before` phase: no response yet, unless an earlier phase set one. */
function middyRequest(routeKey: string, authorization?: string, response?: Response): MiddyRequest {
  return {
    event: { routeKey, headers: authorization ? { authorization } : {} } as unknown as Request,
    context: {} as MerchantApiContext,
    response,
    error: null,
    internal: {},
  } as MiddyRequest;
}

async function authenticateBefore(deps: AuthDeps, request: MiddyRequest) {
  const phase = authenticateCaller(deps, routeRoles).before;
  if (!phase) throw new Error('authenticateCaller has no before phase');
  return phase(request);
}

async function refusal(deps: AuthDeps, request: MiddyRequest) {
  const error = await authenticateBefore(deps, request).catch((thrown: unknown) => thrown);
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return { status: error.status, code: error.code };
}

describe('authenticateCaller, before the route', () => {
  it('puts the merchant and the key acting for it where the route reads them', async () => {
    const { deps, asked } = depsWith('admits');
    const request = middyRequest('GET /v1/members', `Bearer ${apiKey}`);
    expect(await authenticateBefore(deps, request)).toBeUndefined();
    expect(request.context.caller).toEqual({ merchant, role: 'owner', actor: { kind: 'api-key', keyId } });
    expect(asked.throttle).toEqual([`${merchant.merchantId}/${keyId}`]);
  });

  it('lets a public route through without a key, and gives it no caller', async () => {
    const { deps, asked } = depsWith('admits');
    const request = middyRequest('GET /v1/openapi.json');
    expect(await authenticateBefore(deps, request)).toBeUndefined();
    expect(request.context.caller).toBeUndefined();
    expect(asked.directory).toBe(0);
  });

  it('answers 404 for a route the API does not have, before reading any key', async () => {
    const { deps, asked } = depsWith('admits');
    // API Gateway's catch-all route, as a path no route declares arrives.
    const request = middyRequest('$default', `Bearer ${apiKey}`);
    request.event.requestContext = {
      http: { method: 'GET', path: '/v1/nothing-here' },
    } as Request['requestContext'];
    expect(await refusal(deps, request)).toEqual({ status: 404, code: 'route_not_found' });
    const error = await authenticateBefore(deps, request).catch((thrown: HttpError) => thrown);
    expect((error as HttpError).message).toContain('GET /v1/nothing-here');
    expect(asked.directory).toBe(0);
  });

  it.each([
    ['no Authorization header', undefined, 'missing_api_key'],
    ['a header that is not a bearer token', `Basic ${apiKey}`, 'invalid_api_key'],
    ['a token that is not an API key', 'Bearer not-a-key', 'invalid_api_key'],
    ['a key the directory does not know', `Bearer ${newApiKey().apiKey}`, 'invalid_api_key'],
  ])('answers 401 for %s, and counts nothing against any key', async (_case, authorization, code) => {
    const { deps, asked } = depsWith('admits');
    const request = middyRequest('GET /v1/members', authorization);
    expect(await refusal(deps, request)).toEqual({ status: 401, code });
    expect(asked.throttle).toEqual([]);
    expect(request.context.caller).toBeUndefined();
  });

  it('answers 429 with Retry-After when the key is over its limit, and the route does not run', async () => {
    const { deps } = depsWith('refuses');
    const request = middyRequest('GET /v1/members', `Bearer ${apiKey}`);
    const answer = (await authenticateBefore(deps, request)) as Response;
    expect(answer.statusCode).toBe(429);
    expect(answer.headers).toEqual({ 'content-type': 'application/json', 'retry-after': '1' });
    expect(JSON.parse(String(answer.body))).toEqual({
      error: {
        code: 'throttled',
        message: 'this API key may make 50 requests a second; try again in 750 ms',
      },
    });
    expect(request.context.caller).toBeUndefined();
  });

  it('lets the request through when the request counter cannot be reached', async () => {
    const { deps, asked } = depsWith('unreachable');
    const request = middyRequest('GET /v1/members', `Bearer ${apiKey}`);
    expect(await authenticateBefore(deps, request)).toBeUndefined();
    expect(asked.throttle).toHaveLength(1);
    expect(request.context.caller?.merchant).toEqual(merchant);
  });

  it('leaves a response an earlier middleware set alone', async () => {
    const { deps, asked } = depsWith('refuses');
    const earlier = json(503, { error: { code: 'maintenance', message: 'back soon' } });
    const request = middyRequest('GET /v1/members', undefined, earlier);
    expect(await authenticateBefore(deps, request)).toBeUndefined();
    expect(request.response).toBe(earlier);
    expect(asked).toEqual({ directory: 0, throttle: [] });
  });
});
