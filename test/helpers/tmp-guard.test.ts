import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import setup, { GUARD_ENV } from './tmp-guard.js';

describe('the temporary-folder guard of the test runs', () => {
  // These tests stand for a run of their own: the guard of the run they are part of steps aside.
  let outer: string | undefined;
  beforeEach(() => {
    outer = process.env[GUARD_ENV];
    delete process.env[GUARD_ENV];
  });
  afterEach(() => {
    if (outer === undefined) delete process.env[GUARD_ENV];
    else process.env[GUARD_ENV] = outer;
  });

  it('is set up once per run: a second project reuses the first one’s folder', () => {
    const teardown = setup();
    const dir = tmpdir();
    const again = setup();
    expect(tmpdir()).toBe(dir);
    again();
    expect(tmpdir()).toBe(dir);
    expect(teardown).not.toThrow();
  });

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
