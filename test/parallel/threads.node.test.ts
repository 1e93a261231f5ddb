import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultThreads, threadsForWork } from '../../src/parallel/threads.node.js';

describe('threadsForWork', () => {
  it('starts no worker threads below the crossover and all cores from it up', () => {
    expect(defaultThreads()).toBe(Math.max(1, availableParallelism()));
    expect(threadsForWork(0, 100)).toBe(1);
    expect(threadsForWork(99, 100)).toBe(1);
    expect(threadsForWork(100, 100)).toBe(defaultThreads());
    expect(threadsForWork(10 ** 9, 100)).toBe(defaultThreads());
  });
});
