import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

/**
 * Merchant API keys look like `mcrm_<key id>_<secret>`. Only the id is looked up; the secret is
 * kept as a salted SHA-256 (it is 256 random bits, so a slow hash adds nothing) and compared in
 * constant time.
 */
export interface StoredKey {
  keyId: string;
  salt: string;
  hash: string;
  /** The key's last four characters, so the merchant can tell keys apart; absent on keys made before. */
  lastFour?: string;
}

export const keyIdSchema = lazySchema(() =>
  z.string().regex(/^[a-f0-9]{16}$/, 'key id: 16 characters 0-9 and a-f'),
);

const keyPattern = /^mcrm_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** A key as the merchant sees it listed: never its secret, salt or hash. */
export const apiKeySchema = lazySchema(() =>
  z.object({
    keyId: keyIdSchema,
    name: z.string().optional(),
    lastFour: z.string().optional(),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
  }),
);
export type ApiKey = z.infer<typeof apiKeySchema>;

export const keyNameSchema = lazySchema(() =>
  z.string().trim().min(1, 'name: at least 1 character').max(60, 'name: at most 60 characters'),
);

/**
 * Active keys a merchant may hold at once: enough for one per till, app and integration plus a
 * rotation in progress, and a stop for a script that makes keys in a loop.
 */
export const maxActiveKeys = 10;

/**
 * Requests one key may make in one second (a fixed window, so a burst of this many is allowed at
 * any moment). The same for every merchant; the API stage's own throttle still caps the total.
 */
export const requestsPerSecondPerKey = 50;

export function newApiKey(): { apiKey: string; stored: StoredKey } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64url');
  return {
    apiKey: `mcrm_${keyId}_${secret}`,
    stored: { keyId, salt, hash: hashSecret(secret, salt), lastFour: secret.slice(-4) },
  };
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

/** The one-second window a request falls in (epoch seconds): a key's requests are counted per window. */
export function throttleWindow(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

/** Milliseconds until the next window opens, when a refused request may go again. */
export function msUntilNextWindow(now: Date): number {
  return 1000 - (now.getTime() % 1000);
}

/**
 * Which key must still be active for `target` to be revoked without locking the merchant out: the
 * caller's own key when it revokes another one; otherwise (revoking itself) any other active key,
 * tried in turn. Empty: the caller's key is the last active one.
 */
export function keysToKeep(target: string, caller: string, active: readonly string[]): string[] {
  if (target !== caller) return [caller];
  return active.filter((keyId) => keyId !== target);
}
