/**
 * The browser tests' server, started by their global setup in a process of its own: a fresh console
 * build and the local runtime in memory on a free port, serving it beside the API, with the demo
 * shop's retention history written in (retention-history.ts). Prints `{"url"}` once listening; stops
 * on SIGTERM.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { consoleDist, ensureConsoleBuilt } = await import('../../build');
const { startRuntime } = await import('../../../local/runtime');
const { seedRetentionHistory } = await import('./retention-history');

await ensureConsoleBuilt();
const runtime = await startRuntime({ port: 0, quickJit: true, consoleDir: consoleDist });
await seedRetentionHistory(runtime.url, runtime.dynamoEndpoint);
process.stdout.write(`${JSON.stringify({ url: runtime.url })}\n`);
process.once('SIGTERM', async () => {
  await runtime.stop();
  process.exit(0);
});

export {};
