import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * A running local runtime says, in its data folder, where its DynamoDB Local listens (on a port it
 * picked): the tools beside it (`npm run merchant`) then work against it without table settings.
 */
const runtimeFile = (dataDir: string) => join(dataDir, 'local-runtime.json');

const runtimeInfoSchema = z.object({ url: z.string(), dynamoEndpoint: z.string() });
export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;

/** The folder `npm start` keeps its data in. */
export const localDataDir = '.data';

/** Writes the runtime's file; the returned function removes it again, as the runtime stops. */
export function announceRuntime(dataDir: string, info: RuntimeInfo): () => Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(runtimeFile(dataDir), `${JSON.stringify(info)}\n`);
  return async () => rmSync(runtimeFile(dataDir), { force: true });
}

/** The runtime announced in `dataDir`, if one was started there and has not stopped. */
export function announcedRuntime(dataDir: string): RuntimeInfo | undefined {
  try {
    return runtimeInfoSchema.parse(JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8')));
  } catch {
    return undefined;
  }
}
