import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ensureBrowser } from './browser';

const serverScript = new URL('./local-server.ts', import.meta.url);

/**
 * Before the browser tests: the browser, then the local runtime serving a fresh console build, in a
 * process of its own (run by tsx, as `npm start` is). Its URL reaches the tests as CONSOLE_URL, the
 * phone its owner signs in with as CONSOLE_OWNER_PHONE.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureBrowser();
  const server = spawn(process.execPath, ['--import', 'tsx', serverScript.pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout });
  const { url, ownerPhone } = await new Promise<{ url: string; ownerPhone: string }>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line)));
    server.once('exit', (code) =>
      reject(new Error(`the local runtime for the browser tests stopped (exit code ${code}): see above`)),
    );
  });
  // Anything it prints later (a function's error) shows with the tests' output.
  lines.on('line', (line) => console.log(line));
  process.env.CONSOLE_URL = url;
  process.env.CONSOLE_OWNER_PHONE = ownerPhone;
  return async () => {
    if (server.exitCode !== null) return;
    server.kill('SIGTERM');
    await once(server, 'exit');
  };
}
