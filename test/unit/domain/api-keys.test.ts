import { describe, expect, it } from 'vitest';
import {
  keysToKeep,
  msUntilNextWindow,
  newApiKey,
  readApiKey,
  secretMatches,
  throttleWindow,
} from '../../../shared/domain/api-keys';

describe('API keys', () => {
  it('stores only a salted hash that matches the issued key and nothing else', () => {
    const { apiKey, stored } = newApiKey();
    const parts = readApiKey(apiKey);
    const secret = parts?.secret ?? '';
    expect(secret).not.toBe('');
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(parts?.keyId).toBe(stored.keyId);
    expect(secretMatches(secret, stored)).toBe(true);
    // The secret with its last character changed (to another one, whatever it was).
    const other = secret.endsWith('x') ? 'y' : 'x';
    expect(secretMatches(`${secret.slice(0, -1)}${other}`, stored)).toBe(false);
  });

  it('gives two keys different salts, so equal secrets would not share a hash', () => {
    expect(newApiKey().stored.salt).not.toBe(newApiKey().stored.salt);
  });

  it.each([
    '',
    'mcrm_',
    'Bearer x',
    'mcrm_0123456789abcdef_short',
    `mcrm_0123456789ABCDEF_${'a'.repeat(43)}`,
  ])('does not read %j as a key', (text) => {
    expect(readApiKey(text)).toBeUndefined();
  });

  it('keeps the last four characters of the key, to tell keys apart, and not the rest of the secret', () => {
    const { apiKey, stored } = newApiKey();
    expect(stored.lastFour).toBe(apiKey.slice(-4));
    expect(JSON.stringify(stored)).not.toContain(readApiKey(apiKey)?.secret.slice(0, 8));
  });

  it("keeps the caller's key active when it revokes another key", () => {
    expect(keysToKeep('old', 'caller', [])).toEqual(['caller']);
  });

  it('lets a key revoke itself only while another stays active, trying each in turn', () => {
    expect(keysToKeep('caller', 'caller', ['caller', 'pos', 'app'])).toEqual(['pos', 'app']);
    expect(keysToKeep('caller', 'caller', ['caller'])).toEqual([]);
  });
});

describe('per-key request windows', () => {
  it('counts requests per whole second, and a refused one may go again when the next opens', () => {
    const early = new Date('2027-03-01T08:00:00.000Z');
    const late = new Date('2027-03-01T08:00:00.999Z');
    expect(throttleWindow(late)).toBe(throttleWindow(early));
    expect(throttleWindow(new Date('2027-03-01T08:00:01.000Z'))).toBe(throttleWindow(early) + 1);
    expect(msUntilNextWindow(early)).toBe(1000);
    expect(msUntilNextWindow(late)).toBe(1);
  });
});
