import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newApiKey } from '../shared/domain/api-keys';
import { type Merchant, merchantSchema } from '../shared/schemas/merchant';
import type { DirectoryStore } from '../shared/store/directory';

export interface DemoMerchant {
  merchant: Merchant;
  apiKey: string;
}

export const defaultDemo = { merchantId: 'demo', senderNumber: '+861069000000' };

/**
 * The merchant a fresh local runtime starts with. Its API key is stored hashed like any other;
 * the plain key is kept beside the local data (git-ignored) so it can be shown on every start.
 */
export async function ensureDemoMerchant(
  directory: DirectoryStore,
  options: { dataDir?: string; merchantId: string; senderNumber: string },
): Promise<DemoMerchant> {
  const keyFile = options.dataDir && join(options.dataDir, `${options.merchantId}-api-key.txt`);
  const existing = await directory.merchant(options.merchantId);
  if (existing && keyFile && existsSync(keyFile)) {
    return { merchant: existing, apiKey: readFileSync(keyFile, 'utf8').trim() };
  }
  const { apiKey, stored } = newApiKey();
  const now = new Date();
  const merchant: Merchant =
    existing ??
    merchantSchema.parse({
      merchantId: options.merchantId,
      name: '示例商户',
      signature: '【示例商户】',
      senderNumber: options.senderNumber,
      defaultCountry: 'CN',
      timeZone: 'Asia/Shanghai',
      createdAt: now.toISOString(),
    });
  if (existing) await directory.addApiKey(merchant.merchantId, stored, now);
  else if (!(await directory.createMerchant(merchant, stored))) {
    throw new Error(
      `the number ${merchant.senderNumber} or merchant ${merchant.merchantId} is already taken`,
    );
  }
  if (keyFile) writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
  return { merchant, apiKey };
}
