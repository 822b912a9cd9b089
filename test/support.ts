import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { newApiKey } from '../shared/domain/api-keys';
import { Env } from '../shared/env';
import { tables } from '../shared/resources';
import { type Merchant, merchantSchema } from '../shared/schemas/merchant';
import { directoryStore } from '../shared/store/directory';

/** Clients for the run's DynamoDB Local, with the local table names. */
export function testEnv(extra: Record<string, string> = {}): Env {
  return new Env({
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    ...Object.fromEntries(Object.values(tables).map((table) => [table.envVar, table.name])),
    ...extra,
  });
}

/** A merchant of its own for each test: tests never see each other's data. */
export async function newMerchant(env = testEnv()): Promise<{ merchant: Merchant; apiKey: string }> {
  const suffix = randomUUID().slice(0, 8);
  const merchant: Merchant = merchantSchema.parse({
    merchantId: `m-${suffix}`,
    name: '测试商户',
    signature: '【测试商户】',
    senderNumber: `+86106${digits(9)}`,
    defaultCountry: 'CN',
    timeZone: 'Asia/Shanghai',
    createdAt: new Date().toISOString(),
  });
  const { apiKey, stored } = newApiKey();
  if (!(await directoryStore(env.dynamo(), env.table('directory')).createMerchant(merchant, stored))) {
    throw new Error(`test merchant ${merchant.merchantId} could not be created`);
  }
  return { merchant, apiKey };
}

/** A mobile number no other test uses. */
export function newPhone(): string {
  return `+86139${digits(8)}`;
}

function digits(count: number): string {
  return Array.from({ length: count }, () => Math.floor(Math.random() * 10)).join('');
}
