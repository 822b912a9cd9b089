import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-schema';
import { apiErrorOf, ConnectionLost } from './errors';
import { signedOut } from './session';

/**
 * Sent with every change. A page on another site can make the browser post a form here with the
 * session cookie, but cannot add a header without a CORS preflight this origin never grants, so
 * the API can refuse a cookie session's change that lacks it.
 */
const csrfHeader = 'x-mcrm-csrf';
const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

const session: Middleware = {
  onRequest({ request }) {
    if (!readOnly.has(request.method)) request.headers.set(csrfHeader, '1');
    return request;
  },
  onResponse({ response }) {
    // The session ended (expired, or signed out elsewhere): the sign-in page shows instead.
    if (response.status === 401) signedOut();
    return response;
  },
};

/** The one client for the merchant API, typed by path from its OpenAPI document; same origin, cookies. */
export const api = createClient<paths>({ credentials: 'same-origin' });
api.use(session);

/**
 * The answer's body, or throws: `ApiError` with the API's own message when it refused,
 * `ConnectionLost` when it could not be reached.
 */
export async function answer<Data>(
  call: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ConnectionLost((error as Error).message, { cause: error });
  }
  if (!result.response.ok) throw apiErrorOf(result.response.status, result.error);
  return result.data as Data;
}
