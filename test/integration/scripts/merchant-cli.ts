import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Env } from '../../../shared/env';

/** `npm run merchant -- <args>` against the test's DynamoDB Local; resolves with what it printed. */
export function merchantCli(env: Env) {
  return (...args: string[]) =>
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
}
