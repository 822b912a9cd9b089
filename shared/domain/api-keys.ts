import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Merchant API keys look like `mcrm_<key id>_<secret>`. Only the id is looked up; the secret is
 * kept as a salted SHA-256 (it is 256 random bits, so a slow hash adds nothing) and compared in
 * constant time.
 */
export interface StoredKey {
  keyId: string;
  salt: string;
  hash: string;
}

const keyPattern = /^mcrm_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { apiKey: string; stored: StoredKey } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64url');
  return { apiKey: `mcrm_${keyId}_${secret}`, stored: { keyId, salt, hash: hashSecret(secret, salt) } };
}

export function readApiKey(apiKey: string): { keyId: string; secret: string } | undefined {
  const match = keyPattern.exec(apiKey);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : undefined;
}

export function secretMatches(secret: string, stored: StoredKey): boolean {
  const expected = Buffer.from(stored.hash, 'base64url');
  const actual = Buffer.from(hashSecret(secret, stored.salt), 'base64url');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hashSecret(secret: string, salt: string): string {
  return createHash('sha256').update(salt).update(secret).digest('base64url');
}
