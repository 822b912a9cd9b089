import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './console/e2e/setup/browser';

/** The console's browser tests, against the local runtime the global setup starts. */
export default defineConfig({
  testDir: 'console/e2e',
  outputDir: 'console/e2e/.out/results',
  globalSetup: './console/e2e/setup/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  retries: 1,
  // Two cores shared with the local runtime and its DynamoDB Local: a page can take a few seconds.
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: [['list'], ['html', { outputFolder: 'console/e2e/.out/report', open: 'never' }]],
  use: {
    baseURL: process.env.CONSOLE_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    viewport: { width: 1280, height: 800 },
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
  },
});
