import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startRuntime } from '../../../local/runtime';
import { announcedRuntime } from '../../../local/runtime-file';
import { directoryStore } from '../../../shared/store/directory';
import { testEnv } from '../../support';
import { merchantCli } from './merchant-cli';

const env = testEnv();
const directory = directoryStore(env.dynamo(), env.table('directory'));
const cli = merchantCli(env);

describe('npm run merchant', () => {
  it('onboards a merchant whose printed key authenticates, then adds a second key', async () => {
    const id = `cli-${randomUUID().slice(0, 8)}`;
    const number = `+86106${Date.now().toString().slice(-9)}`;
    const created = await cli(
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

    const added = await cli('add-key', '--id', id);
    const second = /API key for \S+: (\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(second).not.toBe(key);
    expect((await directory.merchantByApiKey(second))?.merchantId).toBe(id);
  });

  it('refuses an invalid merchant with the reasons and creates nothing', async () => {
    const attempt = cli('create', '--id', 'Bad Id', '--name', 'x', '--signature', 'x', '--number', '123');
    await expect(attempt).rejects.toMatchObject({
      stderr: expect.stringContaining('merchant id: 2-40 lowercase'),
    });
    expect(await directory.merchant('Bad Id')).toBeUndefined();
  });

  it('answers an unknown option or a missing table setting with what to do, not a stack trace', async () => {
    const unknown = cli('list-keys', '--id', 'shop-1', '--bogus');
    await expect(unknown).rejects.toMatchObject({
      stderr: expect.stringMatching(/^Unknown option '--bogus'\nusage: npm run merchant -- create\|add-key/),
    });
    const unset = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/merchant.ts', 'list-keys'],
      {
        env: { ...process.env, TABLE_DIRECTORY: '' },
      },
    );
    await expect(unset).rejects.toMatchObject({
      stderr: expect.stringMatching(/^set TABLE_DIRECTORY to the stack's DirectoryTableName output\nusage:/),
    });
  });

  it('works against the local runtime without table settings, as npm start keeps it', async () => {
    // npm start's .data/ in a folder of its own, the runtime on the tests' DynamoDB Local.
    const folder = mkdtempSync(join(tmpdir(), 'mcrm-merchant-'));
    const dataDir = join(folder, '.data');
    const runtime = await startRuntime({
      port: 0,
      dataDir,
      dynamoEndpoint: env.get('AWS_ENDPOINT_URL_DYNAMODB'),
      demo: {
        merchantId: `demo-${randomUUID().slice(0, 8)}`,
        senderNumber: `+86107${Date.now().toString().slice(-9)}`,
      },
    });
    try {
      const id = `cli-${randomUUID().slice(0, 8)}`;
      const number = `+86106${Date.now().toString().slice(-9)}`;
      const { TABLE_DIRECTORY: _unset, ...rest } = process.env;
      const made = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          import.meta.resolve('tsx'),
          resolve('scripts/merchant.ts'),
          'create',
          '--id',
          id,
          '--name',
          '茶馆',
          '--signature',
          '【茶馆】',
          '--number',
          number,
        ],
        { cwd: folder, env: rest },
      );
      expect(made.stdout).toContain(`created ${id}`);
      expect((await directory.merchant(id))?.name).toBe('茶馆');
    } finally {
      await runtime.stop();
    }
    // Stopped, it no longer says where it listens.
    expect(announcedRuntime(dataDir)).toBeUndefined();
    // A runtime to start and stop, and a script to run: more than a unit of work.
  }, 60_000);
});
