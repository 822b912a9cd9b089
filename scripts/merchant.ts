/**
 * Onboards a merchant in a deployed stack (or any DynamoDB the environment points at):
 *   TABLE_DIRECTORY=<DirectoryTableName output> npm run merchant -- create --id shop-1 \
 *     --name "Shop" --signature "【Shop】" --number +8610690001 [--country CN] [--time-zone Asia/Shanghai]
 *   TABLE_DIRECTORY=… npm run merchant -- add-key --id shop-1
 * The API key is printed once and stored only as a salted hash.
 */
import { parseArgs } from 'node:util';
import { newApiKey } from '../shared/domain/api-keys';
import { isTimeZone } from '../shared/domain/time';
import { Env } from '../shared/env';
import { merchantSchema } from '../shared/schemas/merchant';
import { directoryStore } from '../shared/store/directory';

const { values, positionals } = parseArgs({
  options: {
    id: { type: 'string' },
    name: { type: 'string' },
    signature: { type: 'string' },
    number: { type: 'string' },
    country: { type: 'string', default: 'CN' },
    'time-zone': { type: 'string', default: 'Asia/Shanghai' },
  },
  allowPositionals: true,
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const env = new Env(process.env);
const directory = directoryStore(env.dynamo(), env.table('directory'));
const { apiKey, stored } = newApiKey();

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
    if (!values.id || !(await directory.merchant(values.id)))
      fail(`no merchant ${values.id ?? '(give --id)'}`);
    await directory.addApiKey(values.id, stored, new Date());
    console.log(`new API key for ${values.id}: ${apiKey}`);
    break;
  }
  default:
    fail('usage: npm run merchant -- create|add-key --id <merchant id> [...]; see scripts/merchant.ts');
}
