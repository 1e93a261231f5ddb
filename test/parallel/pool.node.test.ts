/**
 * The worker runtime from source: a pool serves the role it was started as, typed by that role;
 * a worker loads only its role's modules; errors cross the thread boundary with their kind and
 * code; a stopped worker fails every pending task. The fixture entry (fixtures/worker.node.ts) is
 * loaded through tsx, as bloomlink's own entry is from source.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { WorkerEntry } from '../../src/parallel/entry.node.js';
import type { RoleMap } from '../../src/parallel/protocol.js';
import type { TestRoles } from './fixtures/worker.node.js';

const ENTRY = new WorkerEntry<TestRoles>(new URL('./fixtures/worker.node.ts', import.meta.url));

describe('WorkerPool', () => {
  it('runs tasks on the role it was started as, copying both ways: no buffer of either thread is detached', async () => {
    const pool = await ENTRY.start('double', 2, () => ({ factor: 2 }));
    try {
      expect(pool.size).toBe(2);
      const inputs = Array.from({ length: 8 }, (_, i) => Float64Array.of(i, i + 0.5));
      const results = await Promise.all(inputs.map((a) => pool.run(a)));
      expectTypeOf(results[0]!.values).toEqualTypeOf<Float64Array>();
      results.forEach((r, i) => {
        expect([...r.values]).toEqual([2 * i, 2 * i + 1]);
      });
      // The task was copied: this thread's buffer is still attached.
      expect(inputs.every((a) => a.byteLength === 16)).toBe(true);
      expectTypeOf(pool.run).parameter(0).toEqualTypeOf<Float64Array>();
    } finally {
      await pool.close();
    }
    // The answer was copied: the worker's array is still attached when it runs its next task.
    const one = await ENTRY.start('double', 1, () => ({ factor: 2 }));
    try {
      expect((await one.run(Float64Array.of(1, 2, 3))).previousBytes).toBe(-1);
      expect((await one.run(Float64Array.of(4))).previousBytes).toBe(24);
    } finally {
      await one.close();
    }
  });

  it('loads only the role a worker is asked to be', async () => {
    const pool = await ENTRY.start('double', 1, () => ({ factor: 1 }));
    try {
      expect((await pool.run(Float64Array.of(1))).evaluated).toEqual(['double']);
    } finally {
      await pool.close();
    }
  });

  it('rejects the start with the error init threw, code kept', async () => {
    const start = ENTRY.start('fail', 2, () => ({ failInit: true }));
    await expect(start).rejects.toBeInstanceOf(BloomlinkError);
    await expect(start).rejects.toMatchObject({ code: 'FILE_CORRUPT', message: 'init failed' });
  });

  it('rejects the start of a role the entry does not have, inherited names included', async () => {
    const untyped = new WorkerEntry<RoleMap>(ENTRY.url);
    for (const role of ['nope', 'toString'])
      await expect(untyped.start(role, 1, () => null as never)).rejects.toThrow(
        new TypeError(`unknown worker role ${role}`),
      );
  });

  it('rejects a task with the error it threw and goes on serving', async () => {
    const pool = await ENTRY.start('fail', 1, () => ({ failInit: false }));
    try {
      await expect(pool.run('range')).rejects.toThrow(new RangeError('task failed'));
      expect(await pool.run('ok')).toBe('ok');
    } finally {
      await pool.close();
    }
  });

  it('fails the running and the queued tasks, and later ones, when a worker stops', async () => {
    const pool = await ENTRY.start('fail', 1, () => ({ failInit: false }));
    try {
      const running = pool.run('exit');
      const queued = pool.run('ok');
      await expect(running).rejects.toThrow('a worker thread stopped (exit code 3)');
      await expect(queued).rejects.toThrow('a worker thread stopped (exit code 3)');
      await expect(pool.run('ok')).rejects.toThrow('a worker thread stopped');
    } finally {
      await pool.close();
    }
  });

  it('with tasks pipelined to each worker, answers each task with its own result or error, in any order awaited', async () => {
    const pool = (await ENTRY.start('double', 2, () => ({ factor: 3 }))).pipeline(3);
    try {
      const inputs = Array.from({ length: 11 }, (_, i) => Float64Array.of(i));
      const results = await Promise.all(inputs.map((a) => pool.run(a)));
      expect(results.map((r) => r.values[0])).toEqual(inputs.map((_, i) => 3 * i));
    } finally {
      await pool.close();
    }
    const failing = (await ENTRY.start('fail', 1, () => ({ failInit: false }))).pipeline(4);
    try {
      const runs = (['ok', 'range', 'ok', 'range', 'ok'] as const).map((t) => failing.run(t));
      const settled = await Promise.allSettled(runs);
      expect(settled.map((r) => r.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(settled[1]).toMatchObject({ reason: new RangeError('task failed') });
    } finally {
      await failing.close();
    }
  });

  it('with tasks pipelined, a task that cannot be posted is rejected and takes no other task’s answer', async () => {
    const pool = (await ENTRY.start('double', 1, () => ({ factor: 5 }))).pipeline(3);
    try {
      const ok = (i: number) => pool.run(Float64Array.of(i));
      // A function cannot be cloned: postMessage throws for that task alone.
      const bad = pool.run((() => 1) as unknown as Float64Array);
      const runs = [ok(1), bad, ok(2), ok(3)];
      const settled = await Promise.allSettled(runs);
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(
        settled
          .filter((r) => r.status === 'fulfilled')
          .map((r) => (r.value as { values: Float64Array }).values[0]),
      ).toEqual([5, 10, 15]);
    } finally {
      await pool.close();
    }
  });

  it('with tasks pipelined, fails every task sent to a worker that stops, and the queued ones', async () => {
    const pool = (await ENTRY.start('fail', 1, () => ({ failInit: false }))).pipeline(2);
    try {
      const runs = (['exit', 'ok', 'ok', 'ok'] as const).map((t) => pool.run(t));
      for (const r of runs) await expect(r).rejects.toThrow('a worker thread stopped (exit code 3)');
    } finally {
      await pool.close();
    }
    expect(() => pool.pipeline(0)).toThrow(RangeError);
  });

  it('needs a positive whole number of threads', async () => {
    await expect(ENTRY.start('double', 0, () => ({ factor: 1 }))).rejects.toThrow(RangeError);
  });
});
