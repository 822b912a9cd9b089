import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ensureBrowser } from './browser';
import { signInStaff } from './staff';

const serverScript = new URL('./local-server.ts', import.meta.url);

/**
 * Before the browser tests: the browser, then the local runtime serving a fresh console build, in a
 * process of its own (run by tsx, as `npm start` is), and the demo shop's staff signed in. Its URL
 * reaches the tests as CONSOLE_URL, the staff's session cookies as CONSOLE_SESSIONS.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureBrowser();
  const server = spawn(process.execPath, ['--import', 'tsx', serverScript.pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    server.once('exit', (code) =>
      reject(new Error(`the local runtime for the browser tests stopped (exit code ${code}): see above`)),
    );
  });
  // Anything it prints later (a function's error) shows with the tests' output.
  lines.on('line', (line) => console.log(line));
  process.env.CONSOLE_URL = url;
  process.env.CONSOLE_SESSIONS = JSON.stringify(await signInStaff(url));
  return async () => {
    if (server.exitCode !== null) return;
    server.kill('SIGTERM');
    await once(server, 'exit');
  };
}
