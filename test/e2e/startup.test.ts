import { createServer } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Runtime, startRuntime } from '../../local/runtime';

/** A port free a moment ago: the runtime must listen on a known port for a request to race its start. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let runtime: Runtime | undefined;
afterAll(() => runtime?.stop());

describe('npm start while it is starting', () => {
  it('answers 503 with Retry-After until the handlers are ready, then serves', async () => {
    const port = await freePort();
    const starting = startRuntime({
      port,
      dynamoEndpoint: inject('dynamoEndpoint'),
      visibilityTimeoutSeconds: 2,
    });
    const url = `http://127.0.0.1:${port}/local/metrics`;
    let early: Response | undefined;
    const deadline = Date.now() + 30_000;
    while (!early && Date.now() < deadline) {
      early = await fetch(url).catch(() => undefined);
      if (!early) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    runtime = await starting;
    expect(early?.status).toBe(503);
    expect(early?.headers.get('retry-after')).toBe('1');
    expect(await early?.json()).toEqual({
      error: { code: 'starting', message: 'the server is starting; try again in a moment' },
    });
    const ready = await fetch(url);
    expect(ready.status).toBe(200);
  });
});
