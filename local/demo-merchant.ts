import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newApiKey } from '../shared/domain/api-keys';
import { type Merchant, merchantSchema } from '../shared/schemas/merchant';
import type { DirectoryStore } from '../shared/store/directory';
import type { StaffStore } from '../shared/store/staff';

export interface DemoMerchant {
  merchant: Merchant;
  apiKey: string;
  /** The phone the demo merchant's owner signs in to the console with. */
  ownerPhone: string;
}

export const defaultDemo = { merchantId: 'demo', senderNumber: '+861069000000' };

/** The demo owner's phone: a number no test customer uses (they are +86138…). */
export const demoOwnerPhone = '+8613900000000';

/**
 * The merchant a fresh local runtime starts with, and its owner, who signs in with `demoOwnerPhone`.
 * Its API key is stored hashed like any other; the plain key is kept beside the local data
 * (git-ignored) so it can be shown on every start.
 */
export async function ensureDemoMerchant(
  directory: DirectoryStore,
  staff: StaffStore,
  options: { dataDir?: string; merchantId: string; senderNumber: string },
): Promise<DemoMerchant> {
  const { merchant, apiKey } = await ensureMerchant(directory, options);
  // Added once: a second start finds the phone taken (by this owner, or by whoever the owner made it).
  await staff.add(merchant.merchantId, { phone: demoOwnerPhone, name: '店主', role: 'owner' }, new Date());
  return { merchant, apiKey, ownerPhone: demoOwnerPhone };
}

async function ensureMerchant(
  directory: DirectoryStore,
  options: { dataDir?: string; merchantId: string; senderNumber: string },
): Promise<Omit<DemoMerchant, 'ownerPhone'>> {
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
