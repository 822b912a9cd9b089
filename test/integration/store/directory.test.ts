import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { newApiKey, readApiKey } from '../../../shared/domain/api-keys';
import { directoryStore } from '../../../shared/store/directory';
import { newMerchant, testEnv } from '../../support';

const env = testEnv();
const directory = directoryStore(env.dynamo(), env.table('directory'));

describe('directory store', () => {
  it('finds a merchant by its number and by its API key', async () => {
    const { merchant, apiKey } = await newMerchant(env);
    expect(await directory.merchantByNumber(merchant.senderNumber)).toEqual(merchant);
    expect(await directory.merchantByApiKey(apiKey)).toEqual(merchant);
  });

  it('refuses a key with a wrong secret, an unknown id, or a revoked key', async () => {
    const { merchant, apiKey } = await newMerchant(env);
    const wrongSecret = `${apiKey.slice(0, -2)}${apiKey.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await directory.merchantByApiKey(wrongSecret)).toBeUndefined();
    expect(await directory.merchantByApiKey(newApiKey().apiKey)).toBeUndefined();

    const rotated = newApiKey();
    await directory.addApiKey(merchant.merchantId, rotated.stored, new Date());
    expect(await directory.merchantByApiKey(rotated.apiKey)).toEqual(merchant);
    await env.dynamo().send(
      new UpdateCommand({
        TableName: env.table('directory'),
        Key: { pk: `APIKEY#${readApiKey(apiKey)?.keyId}` },
        UpdateExpression: 'SET revokedAt = :now',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
    expect(await directory.merchantByApiKey(apiKey)).toBeUndefined();
    expect(await directory.merchantByApiKey(rotated.apiKey)).toEqual(merchant);
  });

  it('never gives one number or merchant id to two merchants', async () => {
    const { merchant } = await newMerchant(env);
    const taken = { ...merchant, merchantId: `${merchant.merchantId}-2` };
    expect(await directory.createMerchant(taken, newApiKey().stored)).toBe(false);
    expect(await directory.merchant(taken.merchantId)).toBeUndefined();
  });
});
