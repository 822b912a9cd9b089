import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { directoryStore } from '../../../shared/store/directory';
import { testEnv } from '../../support';

const env = testEnv();
const directory = directoryStore(env.dynamo(), env.table('directory'));
const merchantCli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/merchant.ts', ...args], {
    env: {
      ...process.env,
      TABLE_DIRECTORY: env.table('directory'),
      AWS_ENDPOINT_URL_DYNAMODB: env.get('AWS_ENDPOINT_URL_DYNAMODB'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    },
  });

describe('npm run merchant', () => {
  it('onboards a merchant whose printed key authenticates, then adds a second key', async () => {
    const id = `cli-${randomUUID().slice(0, 8)}`;
    const number = `+86106${Date.now().toString().slice(-9)}`;
    const created = await merchantCli(
      'create',
      '--id',
      id,
      '--name',
      '咖啡馆',
      '--signature',
      '【咖啡馆】',
      '--number',
      number,
    );
    const key = /API key (\S+)/.exec(created.stdout)?.[1] ?? '';
    expect((await directory.merchantByApiKey(key))?.merchantId).toBe(id);
    expect((await directory.merchantByNumber(number))?.name).toBe('咖啡馆');

    const added = await merchantCli('add-key', '--id', id);
    const second = /API key for \S+: (\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(second).not.toBe(key);
    expect((await directory.merchantByApiKey(second))?.merchantId).toBe(id);
  });

  it('refuses an invalid merchant with the reasons and creates nothing', async () => {
    const attempt = merchantCli(
      'create',
      '--id',
      'Bad Id',
      '--name',
      'x',
      '--signature',
      'x',
      '--number',
      '123',
    );
    await expect(attempt).rejects.toMatchObject({
      stderr: expect.stringContaining('merchant id: 2-40 lowercase'),
    });
    expect(await directory.merchant('Bad Id')).toBeUndefined();
  });
});
