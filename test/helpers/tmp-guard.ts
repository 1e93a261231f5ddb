/**
 * vitest globalSetup (vitest.config.ts, vitest.slow.config.ts): every test run gets a temporary
 * folder of its own as TMPDIR (so os.tmpdir() in the tests, their worker threads and the processes
 * they start points there), and the run FAILS if a test left anything in it: each test that makes a
 * temporary folder must remove it (afterAll, onTestFinished, finally). The folder is removed at the
 * end either way, so a leak never reaches the machine's /tmp. A private folder, not a count of
 * bloomlink-* entries in /tmp: other runs on the same machine create and remove theirs meanwhile.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set to the run's folder while it is TMPDIR: each vitest project calls the global setup again. */
export const GUARD_ENV = 'BLOOMLINK_TEST_TMPDIR';

/** Tools' own caches, which they keep on purpose (tsx's compile cache of the CLI runs, per user). */
const TOOL_CACHES = [/^tsx-\d+$/];

/**
 * Sets TMPDIR to a fresh folder; the returned teardown lists what is left in it and fails the run.
 * @example
 * ```ts
 * const teardown = setup(); // vitest calls both
 * teardown(); // throws when a test left a temporary folder
 * ```
 */
export default function setup(): () => void {
  // A second project of the same run: the first one's folder and check serve it.
  if (process.env[GUARD_ENV] !== undefined && process.env[GUARD_ENV] === process.env.TMPDIR) return () => {};
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'bloomlink-test-run-'));
  process.env.TMPDIR = dir;
  process.env[GUARD_ENV] = dir;
  return () => {
    delete process.env[GUARD_ENV];
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = readdirSync(dir)
      .filter((name) => !TOOL_CACHES.some((re) => re.test(name)))
      .sort();
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest reports a teardown error but still exits 0: set the exit status too.
      process.exitCode = 1;
      throw new Error(
        `tests left ${left.length} entries in their temporary folder (remove each in afterAll, onTestFinished or finally): ${left.slice(0, 20).join(', ')}`,
      );
    }
  };
}
