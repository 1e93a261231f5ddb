import { configDefaults, defineConfig } from 'vitest/config';

/**
 * `npm run test:slow`: whole-pipeline suites kept out of `npm test` — linkage quality from ground
 * truth and the built CLI (`*.slow.test.ts`, beside the fast tests of the same code) — and the
 * tests that drive headless Chromium (/usr/bin/chromium, see .ci/run), project `browser`
 * (`npm run test:browser`).
 */
export default defineConfig({
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    // A private TMPDIR per run; the run fails when a test leaves a temporary folder behind.
    globalSetup: ['test/helpers/tmp-guard.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One file at a time: each of these fills the machine's cores (worker threads, a build, a
    // Chromium) on its own, and a CI machine has few.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'slow',
          include: ['test/**/*.slow.test.ts'],
          exclude: [...configDefaults.exclude, 'test/browser/**'],
        },
      },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'] } },
    ],
  },
});
