import { defineConfig } from 'vitest/config';

// The AWS SDK is pinned to a release that supports Node 20; its notice about later releases is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local for the whole run; each test uses its own merchant, as tenants do.
    globalSetup: ['test/setup/dynamodb.ts'],
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    // Files mostly wait on DynamoDB Local, the local queues or a rate limiter, not on this process's
    // CPU: three at once keep two cores busy (the default, one fewer than the cores, runs them in turn).
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
});
