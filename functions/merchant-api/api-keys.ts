import * as z from 'zod';
import {
  type ApiKey,
  apiKeySchema,
  keyIdSchema,
  keyNameSchema,
  keysToKeep,
  maxActiveKeys,
  newApiKey,
  readApiKey,
} from '../../shared/domain/api-keys';
import type { Merchant } from '../../shared/schemas/merchant';
import type { DirectoryStore, RevokeOutcome } from '../../shared/store/directory';
import {
  bearerToken,
  HttpError,
  json,
  pageQuery,
  parseBody,
  parseQuery,
  type Request,
  type Response,
} from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * The merchant's own API keys: make one (its secret is shown once, only its salted hash is kept),
 * list them, revoke one. Rotation is a new key, then the old one revoked; a revoked key is refused
 * from the next request on.
 */

export interface ApiKeyRoutesDeps {
  directory: Pick<DirectoryStore, 'addApiKey' | 'apiKeys' | 'activeApiKeyIds' | 'revokeApiKey'>;
  clock: () => Date;
}

export const newApiKeySchema = z.strictObject({ name: keyNameSchema.optional() });
export const apiKeysQuerySchema = z.strictObject(pageQuery(keyIdSchema, 50));

const keyAnswerSchema = z.object({ key: apiKeySchema });
const createdAnswerSchema = keyAnswerSchema.extend({ apiKey: z.string() });
const keysPageSchema = z.object({ keys: z.array(apiKeySchema), cursor: keyIdSchema.optional() });

const notFound = () => new HttpError(404, 'api_key_not_found', 'you have no API key with this id');

/** The id of the key the request was made with (authentication has accepted it). */
function callerKeyId(request: Request): string | undefined {
  const apiKey = bearerToken(request);
  return apiKey ? readApiKey(apiKey)?.keyId : undefined;
}

/**
 * `POST /v1/api-keys`. Takes no idempotency key: the secret is never stored, so a retry could not
 * show it again; it makes another key, and the one whose answer was lost is listed to be revoked.
 */
export async function createApiKey(
  request: Request,
  merchant: Merchant,
  deps: ApiKeyRoutesDeps,
): Promise<Response> {
  const { name } = parseBody(request, newApiKeySchema);
  // A cap against a runaway script, not a guarantee: two requests at once may both pass it.
  const active = await deps.directory.activeApiKeyIds(merchant.merchantId);
  if (active.length >= maxActiveKeys) {
    throw new HttpError(
      409,
      'too_many_keys',
      `you have ${active.length} active API keys, the most allowed; revoke one you no longer use first`,
    );
  }
  const { apiKey, stored } = newApiKey();
  const now = deps.clock();
  await deps.directory.addApiKey(merchant.merchantId, stored, now, name);
  const key: ApiKey = {
    keyId: stored.keyId,
    ...(name ? { name } : {}),
    lastFour: stored.lastFour,
    createdAt: now.toISOString(),
  };
  return json(201, { apiKey, key } satisfies z.infer<typeof createdAnswerSchema>);
}

/** `GET /v1/api-keys`: every key, revoked ones too, without secrets. */
export async function listApiKeys(
  request: Request,
  merchant: Merchant,
  deps: ApiKeyRoutesDeps,
): Promise<Response> {
  const page = await deps.directory.apiKeys(merchant.merchantId, parseQuery(request, apiKeysQuerySchema));
  return json(200, page satisfies z.infer<typeof keysPageSchema>);
}

/**
 * `DELETE /v1/api-keys/{keyId}`: refused from the next request on. The merchant's last active key
 * stays: revoking it would leave no key to make another with.
 */
export async function revokeApiKey(
  request: Request,
  merchant: Merchant,
  deps: ApiKeyRoutesDeps,
): Promise<Response> {
  const target = keyIdSchema.safeParse(request.pathParameters?.keyId);
  if (!target.success) throw notFound();
  const keyId = target.data;
  const caller = callerKeyId(request);
  const active = keyId === caller ? await deps.directory.activeApiKeyIds(merchant.merchantId) : [];
  const now = deps.clock();
  // A staff member signed in to the console is not locked out by revoking every key: they can make
  // another there. Only a caller using a key must keep one.
  const keepers = caller === undefined ? [undefined] : keysToKeep(keyId, caller, active);
  for (const keeping of keepers) {
    const outcome: RevokeOutcome = await deps.directory.revokeApiKey(
      merchant.merchantId,
      keyId,
      now,
      keeping,
    );
    if (outcome.status === 'not-found') throw notFound();
    // Another request revoked the key kept at the same moment: try the next active one.
    if (outcome.status === 'keeper-revoked') continue;
    return json(200, { key: outcome.key } satisfies z.infer<typeof keyAnswerSchema>);
  }
  throw new HttpError(
    409,
    'last_active_key',
    'this is your only active API key: revoking it would lock you out; make another key first',
  );
}

const key = { keyId: 'The key id: the 16 characters after `mcrm_` in the key, as listed' };

export const apiKeyRouteDocs: RouteDocsFor<'/v1/api-keys'> = {
  'POST /v1/api-keys': {
    summary: 'Make an API key',
    description:
      'A new key for your shop, with an optional `name` (the till or app that will use it). The ' +
      'answer carries the key itself (`apiKey`): it is shown this once and kept only as a salted hash. ' +
      `You may hold ${maxActiveKeys} active keys. To rotate a key, make a new one, move your systems to ` +
      'it, then revoke the old one. Takes no idempotency key: a retry makes another key; revoke the ' +
      'one whose answer you never got (it is listed, with its name).',
    body: newApiKeySchema,
    responses: { 201: { description: 'The key, shown once', body: createdAnswerSchema } },
    errors: { 400: anyOf(invalidBody), 409: `You already have ${maxActiveKeys} active keys` },
  },
  'GET /v1/api-keys': {
    summary: 'List API keys',
    description:
      'Your keys in key id order, revoked ones too (with `revokedAt`): id, name, last four ' +
      'characters and when each was made; never a secret. A key made a moment ago may take a second ' +
      'to be listed. Pass `cursor` to read on.',
    query: apiKeysQuerySchema,
    responses: { 200: { description: 'A page of keys', body: keysPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'DELETE /v1/api-keys/{keyId}': {
    summary: 'Revoke an API key',
    description:
      'The key is refused from the next request on, by every server. Revoking a revoked key changes ' +
      'nothing. You may revoke the key you call with, as long as another of your keys stays active. ' +
      'Signed in to the console, you may revoke any key: you can make another there.',
    pathParameters: key,
    responses: { 200: { description: 'The key, with `revokedAt`', body: keyAnswerSchema } },
    errors: {
      404: 'You have no key with the id',
      409: 'You call with your only active key: revoking it would lock you out',
    },
  },
};
