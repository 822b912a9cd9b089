import { describe, expect, it } from 'vitest';
import { newApiKey, readApiKey } from '../../../shared/domain/api-keys';
import { directoryStore } from '../../../shared/store/directory';
import { newMerchant, testEnv } from '../../support';

const env = testEnv();
const directory = directoryStore(env.dynamo(), env.table('directory'));
const keyIdOf = (apiKey: string) => readApiKey(apiKey)?.keyId ?? '';

/** A merchant with its first key and a second one named POS. */
async function shopWithTwoKeys() {
  const { merchant, apiKey } = await newMerchant(env);
  const pos = newApiKey();
  await directory.addApiKey(merchant.merchantId, pos.stored, new Date('2027-03-01T08:00:00.000Z'), 'POS');
  return { merchant, first: keyIdOf(apiKey), firstKey: apiKey, pos: pos.stored.keyId, posKey: pos.apiKey };
}

describe('directory store', () => {
  it('finds a merchant by its number and by its API key', async () => {
    const { merchant, apiKey } = await newMerchant(env);
    expect(await directory.merchantByNumber(merchant.senderNumber)).toEqual(merchant);
    expect(await directory.merchantByApiKey(apiKey)).toEqual(merchant);
  });

  it('refuses a key with a wrong secret, an unknown id, or a revoked key', async () => {
    const { merchant, first, firstKey, posKey } = await shopWithTwoKeys();
    const wrongSecret = `${firstKey.slice(0, -2)}${firstKey.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await directory.merchantByApiKey(wrongSecret)).toBeUndefined();
    expect(await directory.merchantByApiKey(newApiKey().apiKey)).toBeUndefined();

    expect(await directory.merchantByApiKey(posKey)).toEqual(merchant);
    await directory.revokeApiKey(merchant.merchantId, first, new Date());
    expect(await directory.merchantByApiKey(firstKey)).toBeUndefined();
    expect(await directory.merchantByApiKey(posKey)).toEqual(merchant);
  });

  it('reads a key strongly consistently, so a key revoked a moment ago is refused at once', async () => {
    const { apiKey } = await newMerchant(env);
    const reads: Record<string, unknown>[] = [];
    const db = env.dynamo();
    const recording = {
      send: (command: { input: Record<string, unknown> }) => {
        reads.push(command.input);
        return db.send(command as never);
      },
    } as unknown as typeof db;
    await directoryStore(recording, env.table('directory')).merchantByApiKey(apiKey);
    expect(
      reads.find((input) => String((input.Key as { pk?: string })?.pk).startsWith('APIKEY#')),
    ).toMatchObject({
      ConsistentRead: true,
    });
  });

  it('never gives one number or merchant id to two merchants', async () => {
    const { merchant } = await newMerchant(env);
    const taken = { ...merchant, merchantId: `${merchant.merchantId}-2` };
    expect(await directory.createMerchant(taken, newApiKey().stored)).toBe(false);
    expect(await directory.merchant(taken.merchantId)).toBeUndefined();
  });
});

describe("a merchant's API keys", () => {
  it("lists the merchant's keys, revoked ones too, with no secret, salt or hash, and no other merchant's", async () => {
    const { merchant, first, firstKey, pos, posKey } = await shopWithTwoKeys();
    await shopWithTwoKeys();
    const revokedAt = new Date('2027-03-02T08:00:00.000Z');
    await directory.revokeApiKey(merchant.merchantId, first, revokedAt);

    const { keys, cursor } = await directory.apiKeys(merchant.merchantId, { limit: 10 });
    expect(cursor).toBeUndefined();
    expect(keys).toEqual(
      expect.arrayContaining([
        {
          keyId: first,
          lastFour: firstKey.slice(-4),
          createdAt: merchant.createdAt,
          revokedAt: revokedAt.toISOString(),
        },
        { keyId: pos, name: 'POS', lastFour: posKey.slice(-4), createdAt: '2027-03-01T08:00:00.000Z' },
      ]),
    );
    expect(keys).toHaveLength(2);
    expect(await directory.activeApiKeyIds(merchant.merchantId)).toEqual([pos]);
  });

  it('lists a page at a time, in key id order', async () => {
    const { merchant, first, pos } = await shopWithTwoKeys();
    const one = await directory.apiKeys(merchant.merchantId, { limit: 1 });
    expect(one.cursor).toBe(one.keys[0]?.keyId);
    const rest = await directory.apiKeys(merchant.merchantId, { limit: 10, cursor: one.cursor });
    expect([...one.keys, ...rest.keys].map((key) => key.keyId)).toEqual([first, pos].sort());
  });

  it("refuses to revoke another merchant's key, and changes nothing", async () => {
    const { merchant } = await shopWithTwoKeys();
    const other = await shopWithTwoKeys();
    const outcome = await directory.revokeApiKey(merchant.merchantId, other.pos, new Date());
    expect(outcome).toEqual({ status: 'not-found' });
    expect(await directory.merchantByApiKey(other.posKey)).toEqual(other.merchant);
  });

  it('keeps the first revocation time when a key is revoked again', async () => {
    const { merchant, pos } = await shopWithTwoKeys();
    const first = await directory.revokeApiKey(
      merchant.merchantId,
      pos,
      new Date('2027-03-02T08:00:00.000Z'),
    );
    const again = await directory.revokeApiKey(
      merchant.merchantId,
      pos,
      new Date('2027-03-03T08:00:00.000Z'),
    );
    expect(first).toMatchObject({ status: 'revoked', key: { revokedAt: '2027-03-02T08:00:00.000Z' } });
    expect(again).toMatchObject({
      status: 'already-revoked',
      key: { revokedAt: '2027-03-02T08:00:00.000Z' },
    });
  });

  it('revokes a key only while the key to keep is active', async () => {
    const { merchant, first, firstKey, pos, posKey } = await shopWithTwoKeys();
    await directory.revokeApiKey(merchant.merchantId, pos, new Date());
    const outcome = await directory.revokeApiKey(merchant.merchantId, first, new Date(), pos);
    expect(outcome).toEqual({ status: 'keeper-revoked' });
    expect(await directory.merchantByApiKey(firstKey)).toEqual(merchant);
    expect(await directory.merchantByApiKey(posKey)).toBeUndefined();
  });

  it('lets only one of two keys revoking each other at once succeed: one stays active', async () => {
    for (let round = 0; round < 5; round++) {
      const { merchant, first, pos } = await shopWithTwoKeys();
      const outcomes = await Promise.all([
        directory.revokeApiKey(merchant.merchantId, first, new Date(), pos),
        directory.revokeApiKey(merchant.merchantId, pos, new Date(), first),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'revoked')).toHaveLength(1);
      expect(await directory.activeApiKeyIds(merchant.merchantId)).toHaveLength(1);
    }
  });
});
