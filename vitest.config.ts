import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The AWS SDK is pinned to a release that supports Node 20; its notice about later releases is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The files that run for minutes, longest first. The merchant API's fuzzing compares the merchant's
 * data before and after each refused request by scanning the shared DynamoDB Local: it goes early,
 * before the other files have filled it.
 */
const longRunning = [
  'test/e2e/campaigns.test.ts',
  'test/fuzz/merchant-api.test.ts',
  'test/e2e/faults.test.ts',
];

/**
 * Starts the files that run for minutes first, so the others fill the remaining workers around them
 * instead of one of them starting last and running on alone.
 */
class LongRunningFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = longRunning.findIndex((path) => file.moduleId.endsWith(path));
      return at === -1 ? longRunning.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

/** What every file runs with, whichever of the projects below it belongs to. */
const common = {
  setupFiles: ['test/setup/metrics.ts'],
  env: {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  },
  // A guard against a test that hangs, not a speed check: on two cores shared by three files and
  // DynamoDB Local, a test that takes 5 s alone can take several times that.
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

// One DynamoDB Local for the whole run; each test uses its own merchant, as tenants do.
const dynamodb = 'test/setup/dynamodb.ts';

/** Files that replace a module (vi.mock): only a fresh worker loads the replacement. */
const mocking = ['test/unit/merchant-api/openapi.test.ts'];

export default defineConfig({
  test: {
    // Files mostly wait on DynamoDB Local, the local queues or a rate limiter, not on this process's
    // CPU: three at once keep two cores busy (the default, one fewer than the cores, runs them in turn).
    maxWorkers: 3,
    sequence: { sequencer: LongRunningFirst },
    projects: [
      {
        // Functions, stores and domain rules, each file with stores and clients of its own: a worker
        // runs one file after another on the modules it has loaded, rather than loading the AWS SDK,
        // zod schemas and handlers again for each of the 109 files (the unit files alone took half the CPU).
        test: {
          ...common,
          name: 'modules',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: mocking,
          globalSetup: [dynamodb],
          isolate: false,
        },
      },
      {
        // Whole runtimes, fuzzing, the synthesized stack and replaced modules: each file in a fresh worker.
        test: {
          ...common,
          name: 'runtime',
          include: ['test/e2e/**/*.test.ts', 'test/fuzz/**/*.test.ts', 'test/infra/**/*.test.ts', ...mocking],
          // The infra tests synthesize the stack, which deploys the built console.
          globalSetup: [dynamodb, 'test/setup/console.ts'],
        },
      },
    ],
  },
});
