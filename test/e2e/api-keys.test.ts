import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxActiveKeys, readApiKey } from '../../shared/domain/api-keys';
import { type Local, startLocal } from './support';

/** A merchant's own keys through the local runtime: made, listed, rotated and revoked over HTTP. */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

const keyIdOf = (apiKey: string) => readApiKey(apiKey)?.keyId ?? '';

describe('API keys', () => {
  it('makes a key whose secret is shown once and which works at once; the list never shows a secret', async () => {
    const { key } = await local.newShop();
    const made = await local.call('POST', '/v1/api-keys', key, { name: '收银台' });
    expect(made.status).toBe(201);
    const { apiKey } = made.body;
    expect(made.body.key).toMatchObject({
      keyId: keyIdOf(apiKey),
      name: '收银台',
      lastFour: apiKey.slice(-4),
    });
    expect((await local.call('GET', '/v1/members', apiKey)).status).toBe(200);

    const listed = await local.call('GET', '/v1/api-keys', apiKey);
    expect(listed.status).toBe(200);
    expect(listed.body.keys.map((k: { keyId: string }) => k.keyId).sort()).toEqual(
      [keyIdOf(key), keyIdOf(apiKey)].sort(),
    );
    const text = JSON.stringify(listed.body);
    for (const secret of [key, apiKey].map((k) => readApiKey(k)?.secret ?? ''))
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(salt|hash|apiKey|merchantId)"/);
  });

  it('rotates: the old key is refused from the very next request, and listed as revoked', async () => {
    const { key: old } = await local.newShop();
    const { apiKey: fresh } = (await local.call('POST', '/v1/api-keys', old, { name: 'v2' })).body;
    const revoked = await local.call('DELETE', `/v1/api-keys/${keyIdOf(old)}`, fresh);
    expect(revoked.status).toBe(200);
    expect(revoked.body.key.revokedAt).toEqual(expect.any(String));

    const next = await local.call('GET', '/v1/members', old);
    expect(next.status).toBe(401);
    expect(next.body.error.message).toContain('unknown or revoked');
    const listed = (await local.call('GET', '/v1/api-keys', fresh)).body.keys;
    expect(listed.find((k: { keyId: string }) => k.keyId === keyIdOf(old))?.revokedAt).toBe(
      revoked.body.key.revokedAt,
    );
  });

  it('lets a key revoke itself while another stays active, but never the last active key', async () => {
    const { key: first } = await local.newShop();
    const { apiKey: second } = (await local.call('POST', '/v1/api-keys', first, {})).body;
    expect((await local.call('DELETE', `/v1/api-keys/${keyIdOf(first)}`, first)).status).toBe(200);
    expect((await local.call('GET', '/v1/api-keys', first)).status).toBe(401);

    const before = await local.snapshot();
    const last = await local.call('DELETE', `/v1/api-keys/${keyIdOf(second)}`, second);
    expect(last.status).toBe(409);
    expect(last.body.error).toMatchObject({ code: 'last_active_key' });
    expect(last.body.error.message).toContain('lock you out');
    expect(await local.snapshot()).toBe(before);
    expect((await local.call('GET', '/v1/api-keys', second)).status).toBe(200);
  });

  it("answers 404 for another merchant's key id, an unknown one or a malformed one, and revokes nothing", async () => {
    const { key } = await local.newShop();
    const { key: theirs } = await local.newShop();
    const before = await local.snapshot();
    for (const keyId of [keyIdOf(theirs), '0123456789abcdef', 'not-a-key-id']) {
      const answer = await local.call('DELETE', `/v1/api-keys/${keyId}`, key);
      expect(answer.status, keyId).toBe(404);
      expect(answer.body.error.code).toBe('api_key_not_found');
    }
    expect(await local.snapshot()).toBe(before);
    expect((await local.call('GET', '/v1/members', theirs)).status).toBe(200);
  });

  it('refuses a bad name, an unknown field, and a key past the most active keys allowed', async () => {
    const { key } = await local.newShop();
    const before = await local.snapshot();
    for (const body of [{ name: ' ' }, { name: 'x'.repeat(61) }, { name: 'POS', merchantId: 'other' }]) {
      const answer = await local.call('POST', '/v1/api-keys', key, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_body');
    }
    expect(await local.snapshot()).toBe(before);

    for (let made = 1; made < maxActiveKeys; made++) {
      expect((await local.call('POST', '/v1/api-keys', key, { name: `till ${made}` })).status).toBe(201);
    }
    const tooMany = await local.call('POST', '/v1/api-keys', key, {});
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.message).toContain(`${maxActiveKeys} active API keys`);
  });
});
