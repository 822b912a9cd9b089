/**
 * Onboards a merchant in the local runtime (by default: the one `npm start` runs, or its data in
 * .data/ when it is not running) or in a deployed stack (or any DynamoDB the environment points at):
 *   npm run merchant -- list-keys --id demo
 *   TABLE_DIRECTORY=<DirectoryTableName output> npm run merchant -- create --id shop-1 \
 *     --name "Shop" --signature "【Shop】" --number +8610690001 [--country CN] [--time-zone Asia/Shanghai]
 *   TABLE_DIRECTORY=… npm run merchant -- add-key --id shop-1 [--name "POS"]
 *   TABLE_DIRECTORY=… npm run merchant -- list-keys --id shop-1
 *   TABLE_DIRECTORY=… npm run merchant -- revoke-key --id shop-1 --key <key id>
 * The API key is printed once and stored only as a salted hash. Unlike the API, revoke-key may
 * revoke a merchant's last active key (a leaked key must go at once); add-key gives it a new one.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoDBLocal } from '../local/dynamodb-local';
import { announcedRuntime, localDataDir } from '../local/runtime-file';
import { createTables } from '../local/tables';
import { keyIdSchema, keyNameSchema, newApiKey } from '../shared/domain/api-keys';
import { isTimeZone } from '../shared/domain/time';
import { Env } from '../shared/env';
import { tables } from '../shared/resources';
import { merchantSchema } from '../shared/schemas/merchant';
import { directoryStore } from '../shared/store/directory';

const usage =
  'usage: npm run merchant -- create|add-key|list-keys|revoke-key --id <merchant id> [...]; see scripts/merchant.ts';

/** What the script refuses to do, and why: printed, with exit code 1. */
class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}

function fail(message: string): never {
  throw new Refusal(message);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        id: { type: 'string' },
        name: { type: 'string' },
        signature: { type: 'string' },
        number: { type: 'string' },
        key: { type: 'string' },
        country: { type: 'string', default: 'CN' },
        'time-zone': { type: 'string', default: 'Asia/Shanghai' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message.split('. ')[0]}\n${usage}`);
  }
}

/** Stops the DynamoDB Local this script started, if it started one. */
let stopLocal = async () => undefined;

/**
 * The Directory table: the one the environment names, else the local runtime's, as `npm start` keeps
 * it: through the running runtime's DynamoDB Local, or one started here on its data when none runs.
 */
async function directoryEnv(): Promise<Env> {
  if (process.env[tables.directory.envVar] !== undefined) return new Env(process.env);
  let endpoint = announcedRuntime(localDataDir)?.dynamoEndpoint;
  if (!endpoint || !(await answers(endpoint))) {
    const dynamo = await startDynamoDBLocal({ dataDir: join(localDataDir, 'dynamodb') });
    stopLocal = async () => void (await dynamo.stop());
    endpoint = dynamo.endpoint;
    // As `npm start` does: a fresh .data/ has no tables yet.
    await createTables(new Env({ AWS_ENDPOINT_URL_DYNAMODB: endpoint }).dynamoClient());
  }
  return new Env({ AWS_ENDPOINT_URL_DYNAMODB: endpoint, [tables.directory.envVar]: tables.directory.name });
}

/** A runtime that stopped without tidying up (killed) leaves its file: nothing listens there. */
const answers = (endpoint: string) =>
  fetch(endpoint).then(
    () => true,
    () => false,
  );

async function main() {
  const { values, positionals } = readArgs();

  const env = await directoryEnv().catch((error: Error) =>
    fail(`${error.message}\nor set ${tables.directory.envVar} to the stack's DirectoryTableName output`),
  );
  if (!env.optional(tables.directory.envVar)) {
    fail(`set ${tables.directory.envVar} to the stack's DirectoryTableName output\n${usage}`);
  }
  const directory = directoryStore(env.dynamo(), env.table('directory'));
  const { apiKey, stored } = newApiKey();

  async function existingMerchant(): Promise<string> {
    if (!values.id || !(await directory.merchant(values.id)))
      fail(`no merchant ${values.id ?? '(give --id)'}`);
    return values.id;
  }

  switch (positionals[0]) {
    case 'create': {
      const merchant = merchantSchema.safeParse({
        merchantId: values.id,
        name: values.name,
        signature: values.signature,
        senderNumber: values.number,
        defaultCountry: values.country,
        timeZone: values['time-zone'],
        createdAt: new Date().toISOString(),
      });
      if (!merchant.success)
        fail(merchant.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
      if (!isTimeZone(merchant.data.timeZone)) fail(`time zone ${merchant.data.timeZone} is not known`);
      if (!(await directory.createMerchant(merchant.data, stored))) {
        fail(`merchant ${merchant.data.merchantId} or number ${merchant.data.senderNumber} already exists`);
      }
      console.log(
        `created ${merchant.data.merchantId}; number ${merchant.data.senderNumber}; API key ${apiKey}`,
      );
      break;
    }
    case 'add-key': {
      const id = await existingMerchant();
      const name = values.name === undefined ? undefined : keyNameSchema.safeParse(values.name);
      if (name && !name.success) fail(name.error.issues.map((i) => i.message).join('\n'));
      await directory.addApiKey(id, stored, new Date(), name?.data);
      console.log(`new API key for ${id}: ${apiKey}`);
      break;
    }
    case 'list-keys': {
      const id = await existingMerchant();
      let cursor: string | undefined;
      do {
        const page = await directory.apiKeys(id, { limit: 100, cursor });
        for (const key of page.keys) {
          const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
          const ending = key.lastFour ? `…${key.lastFour}` : '';
          console.log([key.keyId, ending, key.name ?? '', `made ${key.createdAt}`, state].join('\t'));
        }
        cursor = page.cursor;
      } while (cursor);
      break;
    }
    case 'revoke-key': {
      const id = await existingMerchant();
      const keyId = keyIdSchema.safeParse(values.key);
      if (!keyId.success) fail(`give --key <key id> (${keyId.error.issues[0]?.message})`);
      const outcome = await directory.revokeApiKey(id, keyId.data, new Date());
      if (outcome.status === 'not-found') fail(`${id} has no key ${keyId.data}`);
      if (outcome.status === 'keeper-revoked') fail(`key ${keyId.data} was not revoked`);
      console.log(`key ${keyId.data} of ${id} revoked ${outcome.key.revokedAt}`);
      if ((await directory.activeApiKeyIds(id)).length === 0)
        console.log(`${id} has no active key now; give it one with add-key`);
      break;
    }
    default:
      fail(usage);
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await stopLocal();
}
