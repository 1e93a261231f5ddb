import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the tests that drive headless Chromium (/usr/bin/chromium, see .ci/run). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time: a CI machine has few cores and each Chromium is heavy.
    fileParallelism: false,
  },
});
