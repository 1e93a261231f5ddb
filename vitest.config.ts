import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Headless-Chromium tests run with `npm run test:browser` (vitest.browser.config.ts), so that
    // `npm test` works on a machine without a browser.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
