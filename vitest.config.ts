import { configDefaults, defineConfig } from 'vitest/config';

/**
 * `npm test`: the fast tests. Whole-pipeline suites (`*.slow.test.ts`: linkage quality, the built
 * CLI) and the headless-Chromium tests (test/browser/) run with `npm run test:slow`
 * (vitest.slow.config.ts), so that `npm test` is quick and works on a machine without a browser.
 */
const SLOW = ['test/**/*.slow.test.ts', 'test/browser/**'];

/**
 * Files that replace a module with `vi.mock`. Without isolation a mocked module would stay in the
 * module cache for the files after it, so these run in a fresh module graph each.
 */
const MOCKING = [
  'test/cli/commands-faults.test.ts',
  'test/read/source.node.permission.test.ts',
  'test/encode/encoder-self-root.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    setupFiles: ['test/helpers/setup.ts'],
    // A private TMPDIR per run; the run fails when a test leaves a temporary folder behind.
    globalSetup: ['test/helpers/tmp-guard.ts'],
    // Threads start faster than forked processes; the tests that start their own worker threads
    // work the same from a thread.
    pool: 'threads',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SLOW, ...MOCKING],
          // One module graph for all files in a worker: importing the library (Arrow, zod, the
          // kernels) once per worker instead of once per file saves more than a third of the run.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
});
