import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { securityHeaders } from '../console/headers';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite names every file under assets/ by its content's hash: a changed file is a new name.
const immutable = 'public, max-age=31536000, immutable';
/**
 * What tells the console it runs on the local runtime, put into every index.html this server sends:
 * it then offers what only exists here (the phone simulator over /local/sms/*). CloudFront serves
 * the build's own index.html from S3, which has no such mark.
 */
export const localRuntimeMark = '<meta name="mcrm-runtime" content="local">';

const marked = (html: Buffer): Buffer => {
  const text = html.toString('utf8');
  const head = /<head[^>]*>/i.exec(text);
  const at = head ? head.index + head[0].length : (/^<!doctype html>/i.exec(text)?.[0].length ?? 0);
  return Buffer.from(`${text.slice(0, at)}${localRuntimeMark}${text.slice(at)}`);
};

// The page that names the current assets: asked again on every load, so a deployment shows at once.
const revalidate = 'no-cache';

/**
 * Serves the built console from `dir` as CloudFront does: its files, and index.html for any other
 * path without an extension (a page of the single-page app, which its router shows), marked as the
 * local runtime's (`localRuntimeMark`). Answers false
 * for what it does not serve, such as a missing file with an extension or another method. The page
 * may also send files to `uploadOrigins` (where import files are uploaded: S3, or its local stand-in).
 */
export function consoleFiles(dir: string, uploadOrigins: readonly string[] = []) {
  const root = normalize(dir) + sep;
  const headers = securityHeaders(uploadOrigins);
  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return false;
    }
    const file = normalize(join(root, path));
    // Outside the build, or a dotfile such as the record of its inputs: not part of the site.
    if (
      !file.startsWith(root) ||
      file
        .slice(root.length)
        .split(sep)
        .some((part) => part.startsWith('.'))
    ) {
      return false;
    }
    const found = await stat(file).then(
      (stats) => stats.isFile(),
      () => false,
    );
    if (!found && extname(path) !== '') return false;
    const served = found ? file : join(root, 'index.html');
    const read = await readFile(served);
    const body = extname(served) === '.html' ? marked(read) : read;
    response.writeHead(200, {
      ...headers,
      'content-type': contentTypes[extname(served)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': served.startsWith(join(root, 'assets') + sep) ? immutable : revalidate,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  };
}
