import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    globalSetup: ['suites/support/global-setup.ts'],
    // One worker, shared module state: the stacks booted for one suite file serve the next.
    pool: 'forks',
    fileParallelism: false,
    isolate: false,
    testTimeout: 10 * 60_000,
    hookTimeout: 60 * 60_000,
    reporters: ['default', 'junit'],
    outputFile: { junit: 'authlab-reports/vitest-junit.xml' },
  },
});
