import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import setup from './tmp-guard.js';

describe('the temporary-folder guard of the test runs', () => {
  it('gives the run its own TMPDIR and fails the run when something is left in it', () => {
    const before = { tmp: process.env.TMPDIR, exitCode: process.exitCode };
    const teardown = setup();
    const dir = tmpdir();
    try {
      expect(dir).toMatch(/bloomlink-test-run-/);
      mkdirSync(join(dir, 'bloomlink-left-behind'));
      expect(teardown).toThrow(/left 1 entries .*bloomlink-left-behind/);
      expect(process.exitCode).toBe(1);
      expect(existsSync(dir)).toBe(false);
      expect(process.env.TMPDIR).toBe(before.tmp);
    } finally {
      process.exitCode = before.exitCode;
    }
  });

  it("passes when the tests cleaned up (a tool's own cache, tsx-<uid>, may stay until the end)", () => {
    const teardown = setup();
    const dir = tmpdir();
    mkdirSync(join(dir, 'tsx-1000'));
    expect(teardown).not.toThrow();
    expect(existsSync(dir)).toBe(false);
  });
});
