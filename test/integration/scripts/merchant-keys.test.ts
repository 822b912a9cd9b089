import { describe, expect, it } from 'vitest';
import { readApiKey } from '../../../shared/domain/api-keys';
import { directoryStore } from '../../../shared/store/directory';
import { newMerchant, testEnv } from '../../support';
import { merchantCli } from './merchant-cli';

const env = testEnv();
const directory = directoryStore(env.dynamo(), env.table('directory'));
const cli = merchantCli(env);

describe("npm run merchant: a merchant's keys", () => {
  it('adds a named key, lists the keys without secrets, and revokes one, even the last', async () => {
    const { merchant, apiKey } = await newMerchant(env);
    const id = merchant.merchantId;
    const first = readApiKey(apiKey)?.keyId ?? '';
    const added = await cli('add-key', '--id', id, '--name', 'POS');
    const second = /API key for \S+: (\S+)/.exec(added.stdout)?.[1] ?? '';
    const secondId = readApiKey(second)?.keyId ?? '';

    const listed = (await cli('list-keys', '--id', id)).stdout;
    expect(listed).toContain(`${secondId}\t…${second.slice(-4)}\tPOS\t`);
    expect(listed).toContain(`${first}\t…${apiKey.slice(-4)}\t\tmade ${merchant.createdAt}\tactive`);
    expect(listed).not.toContain(readApiKey(second)?.secret);

    const revoked = await cli('revoke-key', '--id', id, '--key', first);
    expect(revoked.stdout).toContain(`key ${first} of ${id} revoked`);
    expect(await directory.merchantByApiKey(apiKey)).toBeUndefined();
    const last = await cli('revoke-key', '--id', id, '--key', secondId);
    expect(last.stdout).toContain('has no active key now; give it one with add-key');
    expect(await directory.merchantByApiKey(second)).toBeUndefined();
    expect((await directory.apiKeys(id, { limit: 10 })).keys.every((key) => key.revokedAt)).toBe(true);
  });

  it("refuses to revoke another merchant's key", async () => {
    const { merchant } = await newMerchant(env);
    const other = await newMerchant(env);
    const theirs = readApiKey(other.apiKey)?.keyId ?? '';
    await expect(cli('revoke-key', '--id', merchant.merchantId, '--key', theirs)).rejects.toMatchObject({
      stderr: expect.stringContaining(`has no key ${theirs}`),
    });
    expect(await directory.merchantByApiKey(other.apiKey)).toEqual(other.merchant);
  });
});
