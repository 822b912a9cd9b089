import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { newApiKey } from '../../shared/domain/api-keys';
import { secretsIn } from './secrets';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The repository's files as git sees them: tracked ones and new ones not ignored, so a file not yet
 * committed is checked too. Lock files hold only registry URLs and integrity hashes; binaries have no
 * text to read.
 */
function repositoryTexts(): { path: string; text: string }[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return listed
    .split('\0')
    .filter((path) => path && !/(^|\/)(package-lock\.json|[^/]*\.lock)$/.test(path))
    .filter((path) => existsSync(join(repoRoot, path)))
    .map((path) => ({ path, content: readFileSync(join(repoRoot, path)) }))
    .filter(({ content }) => !content.includes(0))
    .map(({ path, content }) => ({ path, text: content.toString('utf8') }));
}

describe('credentials', () => {
  it('are recognised: an API key, an AWS access key id and a private key', () => {
    const { apiKey } = newApiKey();
    // Put together here, so that this file holds no credential-shaped text of its own.
    const accessKeyId = `AKIA${'ABCDEFGHIJKLMNOP'}`;
    const pem = (kind: string) => `-----BEGIN ${kind}KEY-----`;
    const text = [
      `authorization: Bearer ${apiKey}`,
      `aws_access_key_id = ${accessKeyId}`,
      pem('RSA PRIVATE '),
      pem('PRIVATE '),
      pem('PUBLIC '),
      'mcrm_0123456789abcdef_short',
    ].join('\n');
    expect(secretsIn(text)).toEqual([apiKey, accessKeyId, pem('RSA PRIVATE '), pem('PRIVATE ')]);
  });

  it('appear in no file of the repository', () => {
    const files = repositoryTexts();
    expect(files.map((f) => f.path)).toContain('shared/domain/api-keys.ts');
    const found = files.flatMap(({ path, text }) => secretsIn(text).map((secret) => `${path}: ${secret}`));
    expect(found).toEqual([]);
  });
});
