import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../console/headers';

const uploads = 'http://127.0.0.1:4566';

import { consoleFiles, localRuntimeMark } from '../../../local/console-files';

/** A built console as Vite writes it, served as `npm start` serves it: what it does not serve is a 404. */
let parent: string;
let server: Server;
let base: string;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'console-'));
  const dir = join(parent, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-Ab12.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-Ab12.css'), 'body{}');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, '.inputs'), 'hash');
  writeFileSync(join(parent, 'outside.txt'), 'secret');
  const serve = consoleFiles(dir, [uploads]);
  server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!(await serve(request, response, url))) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(parent, { recursive: true, force: true });
});

describe('consoleFiles', () => {
  it.each(['/', '/members', '/members/+8613800138000', '/sign-in?next=%2F'])(
    'answers %s with index.html, asked again on every load',
    async (path) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const html = await response.text();
      expect(html).toContain('<div id="root">');
      // The console offers the phone simulator only where this mark is: never from CloudFront's copy.
      expect(html).toContain(localRuntimeMark);
    },
  );

  it.each([
    ['/assets/index-Ab12.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/index-Ab12.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/favicon.svg', 'image/svg+xml', 'no-cache'],
  ])('serves %s as %s, cached as %s', async (path, contentType, cacheControl) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('cache-control')).toBe(cacheControl);
  });

  it('sends the security headers CloudFront sends', async () => {
    const { headers } = await fetch(`${base}/`);
    expect(headers.get('content-security-policy')).toBe(contentSecurityPolicy([uploads]));
    expect(headers.get('content-security-policy')).toContain(`connect-src 'self' ${uploads};`);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${base}/assets/index-Ab12.js`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('14');
    expect(await response.text()).toBe('');
  });

  it.each([
    ['a missing file with an extension', '/assets/gone-Zz99.js'],
    ['the record of the build inputs', '/.inputs'],
    ['a file outside the build', '/..%2Foutside.txt'],
    ['a malformed escape', '/%E0%A4%A'],
  ])('does not serve %s', async (_what, path) => {
    expect((await fetch(`${base}${path}`)).status).toBe(404);
  });

  it('serves nothing but GET and HEAD', async () => {
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });
});
