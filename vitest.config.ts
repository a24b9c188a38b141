import { defineConfig } from 'vitest/config';
import { GuideSuitesLast } from './suites/support/sequencer.ts';
import { suiteSlots } from './suites/support/slots.ts';

export default defineConfig({
  // The examples import the library by its package name, as a user's suite does.
  resolve: { alias: { 'n8n-authlab': new URL('./src/index.ts', import.meta.url).pathname } },
  test: {
    include: ['suites/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['suites/support/global-setup.ts'],
    // One worker, shared module state: one catalogue engine runs every guide suite's scenarios,
    // stacks side by side, started with the first file; the guide suites run last and collect.
    setupFiles: ['suites/support/engine-setup.ts'],
    sequence: { sequencer: GuideSuitesLast },
    pool: 'forks',
    fileParallelism: false,
    isolate: false,
    // The heavy files' tests (checks, labs, compose exports) run side by side within their file, next to
    // the engine's stacks: no more at once than the slots they share (suites/support/slots.ts), so a
    // test's timeout starts when it gets one.
    maxConcurrency: suiteSlots(),
    testTimeout: 10 * 60_000,
    hookTimeout: 60 * 60_000,
    // The time summary last: its one line ends the log a CI system keeps the tail of.
    reporters: ['default', 'junit', './suites/support/time-summary.ts'],
    // Not in authlab-reports/, the default --out of `authlab run`: the test run's own JUnit is not a run's report.
    outputFile: { junit: 'test-results/vitest-junit.xml' },
  },
});
