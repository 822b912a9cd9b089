import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces of a deployed function in TypeScript files and lines, paid for on the first error
 * instead of on every cold start. infra/bundling.ts injects this module into every bundle and writes
 * the bundle's source map beside it with no sourceMappingURL comment, so Node does not read the map
 * when the bundle loads (`--enable-source-maps` reads and parses the whole map, megabytes, before the
 * handler's first line runs). The first time an error's stack is formatted, the map is read, and each
 * frame in the bundle is written as its original file, line and column, as `--enable-source-maps`
 * writes it. Outside a bundle (tests, the local runtime) this module is not loaded.
 */

/** The bundle this module was bundled into: its map is the file beside it. */
const bundleUrl = import.meta.url;

let sourceMap: SourceMap | null | undefined;

/** The bundle's source map with its sources as absolute URLs, read once; null when there is none. */
function bundleSourceMap(): SourceMap | null {
  if (sourceMap !== undefined) return sourceMap;
  try {
    const mapUrl = `${bundleUrl}.map`;
    const payload = JSON.parse(readFileSync(fileURLToPath(mapUrl), 'utf8'));
    payload.sources = (payload.sources as string[]).map((source) => new URL(source, mapUrl).href);
    sourceMap = new SourceMap(payload);
  } catch {
    sourceMap = null;
  }
  return sourceMap;
}

/** Node's own errors (`TypeError [ERR_INVALID_ARG_TYPE]: …`) carry their code in the first line. */
function isNodeError(error: object): error is Error & { code: string } {
  for (let o: object | null = error; o !== null; o = Object.getPrototypeOf(o)) {
    if (Object.getOwnPropertySymbols(o).some((symbol) => symbol.description === 'kIsNodeError')) return true;
  }
  return false;
}

/** The frame as Node's `--enable-source-maps` writes it, or undefined when the map has no entry for it. */
function mappedFrame(map: SourceMap, site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined) {
  const entry = map.findEntry((site.getLineNumber() ?? 0) - 1, (site.getColumnNumber() ?? 0) - 1);
  if (!('originalSource' in entry) || entry.originalSource === undefined) return undefined;
  const { originalSource, originalLine, originalColumn } = entry;
  // The name in the TypeScript: the enclosing function's, else the one its caller in the bundle called.
  const enclosing = map.findEntry(
    (site.getEnclosingLineNumber() ?? 0) - 1,
    (site.getEnclosingColumnNumber() ?? 0) - 1,
  );
  const callerEntry =
    caller && caller.getFileName() === site.getFileName()
      ? map.findEntry((caller.getLineNumber() ?? 0) - 1, (caller.getColumnNumber() ?? 0) - 1)
      : undefined;
  const name =
    ('name' in enclosing && enclosing.name) || (callerEntry && 'name' in callerEntry && callerEntry.name);
  const typeName = site.getTypeName();
  const bundledName = `${typeName !== null && typeName !== 'global' ? `${typeName}.` : ''}${site.getFunctionName() ?? site.getMethodName() ?? '<anonymous>'}`;
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  const file = originalSource.startsWith('file://') ? fileURLToPath(originalSource) : originalSource;
  return `${prefix}${name || bundledName} (${file}:${originalLine + 1}:${originalColumn + 1})`;
}

Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => {
  const first = isNodeError(error)
    ? `${error.name} [${error.code}]: ${error.message}`
    : Error.prototype.toString.call(error);
  const frames = sites.map((site, i) => {
    try {
      if (site.getFileName() === bundleUrl) {
        const map = bundleSourceMap();
        const mapped = map && mappedFrame(map, site, sites[i + 1]);
        if (mapped) return mapped;
      }
    } catch {
      // A frame the map cannot place is written as the bundle has it.
    }
    return String(site);
  });
  return [first, ...frames].join('\n    at ');
};
