import type { IncomingMessage } from 'node:http';
import { depsFromEnv, type MerchantApiDeps } from '../../../functions/merchant-api/deps';
import { createHandler } from '../../../functions/merchant-api/handler';
import type { Response } from '../../../functions/merchant-api/http';
import { apiGatewayEvent } from '../../../local/local-http-api';
import { lambdaContext } from '../../../local/local-lambda';
import { codeInSignInText } from '../../../shared/domain/sign-in';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { apiThrottle } from '../../../shared/store/api-throttle';
import { functionTestEnv } from '../../support';

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the handler under test; assertions check its shape.
  body: any;
  cookies: string[];
}

/**
 * The merchant API in process on DynamoDB Local, with a clock the test moves and the texts it queues
 * kept: what signing in needs, without the rest of the runtime.
 */
export function apiInProcess(start = new Date('2027-03-01T02:00:00.000Z')) {
  const env = functionTestEnv('merchant-api');
  const texts: OutboundSms[] = [];
  const clock = { now: start };
  const deps: MerchantApiDeps = {
    ...depsFromEnv(env),
    // The clock stands still between the test's moves: every request would fall in one second.
    apiThrottle: apiThrottle(env.dynamo(), env.table('sendLimits'), { perSecond: 1_000_000 }),
    outbound: {
      enqueue: async (sms) => void texts.push(sms),
      enqueueMany: async (many) => void texts.push(...many),
    },
    clock: () => clock.now,
  };
  const handler = createHandler(deps);

  async function call(
    method: string,
    path: string,
    { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const request = { method, headers, socket: {} } as unknown as IncomingMessage;
    const raw = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    const event = apiGatewayEvent(request, new URL(`http://localhost${path}`), raw);
    if (!event) throw new Error(`no route ${method} ${path}`);
    const response = (await handler(event, lambdaContext('merchant-api', 10))) as Response;
    return {
      status: Number(response.statusCode),
      body: response.body ? JSON.parse(String(response.body)) : undefined,
      cookies: response.cookies ?? [],
    };
  }

  /** The newest sign-in code texted to the phone. */
  function codeTo(phone: string): string | undefined {
    const text = texts.filter((sms) => sms.to === phone).at(-1);
    return text && codeInSignInText(text.body);
  }

  /** Signs the phone in: the session's cookie, as a browser sends it back (`mcrm_session=…`). */
  async function signIn(phone: string): Promise<string> {
    const asked = await call('POST', '/v1/auth/code', { body: { phone } });
    if (asked.status !== 202) throw new Error(`no code: ${JSON.stringify(asked.body)}`);
    const opened = await call('POST', '/v1/auth/session', { body: { phone, code: codeTo(phone) } });
    const cookie = opened.cookies[0]?.split(';')[0];
    if (opened.status !== 201 || !cookie) throw new Error(`not signed in: ${JSON.stringify(opened.body)}`);
    return cookie;
  }

  /** A call as the console makes it: the session cookie, and the CSRF header on a change. */
  const asStaff = (cookie: string, method: string, path: string, body?: unknown) =>
    call(method, path, { body, headers: { cookie, ...(method === 'GET' ? {} : { 'x-mcrm-csrf': '1' }) } });
  const withKey = (apiKey: string, method: string, path: string, body?: unknown) =>
    call(method, path, { body, headers: { authorization: `Bearer ${apiKey}` } });

  return { env, deps, texts, clock, call, codeTo, signIn, asStaff, withKey };
}
