import { describe, expect, it } from 'vitest';
import { newApiKey, readApiKey, secretMatches } from '../../../shared/domain/api-keys';

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
});
