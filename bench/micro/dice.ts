/**
 * Dice kernel micro-benchmarks: each kernel kind (WebAssembly with 64-bit popcnt, WebAssembly SIMD,
 * JS) on the three calls matching is made of — popcounts of a column, the gather of blocked scoring
 * (one filter against scattered candidates) and the pruned all-pairs scan — over random filters.
 */
import { type ScanInit, scanQueries } from '../../src/block/scan-task.js';
import { createDiceKernel, type DiceKernelKind, diceKernelAvailable } from '../../src/kernel/dice.js';
import { DiceKernels, type FilterColumn } from '../../src/kernel/filters.js';
import { KernelMemory } from '../../src/kernel/memory.js';
import { fillRandom } from '../lib/random-filters.js';
import type { MicroSuite, MicroTask } from './suite.js';

/** 1024-bit filters for the scan (anonlink's benchmark setting); 256-bit for the gather (default schema). */
const SCAN_WORDS = 16;
const GATHER_WORDS = 4;
const RECORDS = 8192;
const QUERIES = 8;
const CANDIDATES = 4096;
const THRESHOLD = 0.8;
const CAPACITY = 16_384;

function column(mem: KernelMemory, n: number, words: number, seed: number): FilterColumn {
  const base = mem.alloc(n * 8 * words);
  const counts = mem.alloc(n * 2);
  fillRandom(mem.u32(base, n * 2 * words), seed);
  createDiceKernel(mem, words, { kind: 'js' }).popcounts(base, 8 * words, n, counts);
  return { base, n, words, stride: 8 * words, counts };
}

/**
 * The Dice kernel suite.
 * @example
 * ```ts
 * const suite = diceSuite();
 * ```
 */
export function diceSuite(): MicroSuite {
  // Shared, as matching uses it (scanQueries takes a handle that worker threads could attach).
  const memory = KernelMemory.create({ bytes: 16 << 20, shared: true });
  const queries = column(memory, QUERIES, SCAN_WORDS, 1);
  const records = column(memory, RECORDS, SCAN_WORDS, 2);
  const gather = column(memory, RECORDS, GATHER_WORDS, 3);
  const scratch = {
    blockQueries: QUERIES,
    cmin: memory.alloc(QUERIES * (64 * SCAN_WORDS + 1) * 2),
    outIdx: memory.alloc(CAPACITY * 4),
    outCnt: memory.alloc(CAPACITY * 2),
    capacity: CAPACITY,
  };
  const idx = memory.alloc(CANDIDATES * 4);
  const ids = memory.u32(idx, CANDIDATES);
  for (let x = 0; x < CANDIDATES; x++) ids[x] = (x * 2654435761) % RECORDS;
  const out = memory.alloc(RECORDS * 2);

  const kinds = (['wasm', 'wasm-simd', 'js'] as const).filter((k) => diceKernelAvailable(k, SCAN_WORDS));
  const tasks: MicroTask[] = [];
  const found = new Map<DiceKernelKind, number>();
  for (const kind of kinds) {
    const scanKernel = createDiceKernel(memory, SCAN_WORDS, { kind });
    const gatherKernel = createDiceKernel(memory, GATHER_WORDS, { kind });
    const init: ScanInit = {
      memory: memory.handle(),
      kind,
      queries,
      records,
      threshold: THRESHOLD,
      scratch,
    };
    const kernels = new DiceKernels(memory, { kind });
    // Every kind must find the same pairs, or the rates compare different work.
    found.set(kind, scanQueries(kernels, init, 0, QUERIES).found);
    tasks.push(
      {
        name: `popcounts ${kind}`,
        fn: () => scanKernel.popcounts(records.base, records.stride, RECORDS, out),
        items: RECORDS,
      },
      {
        name: `gather ${kind}`,
        fn: () => gatherKernel.andCounts(gather.base, gather.base, gather.stride, idx, CANDIDATES, out),
        items: CANDIDATES,
        unit: 'pairs',
      },
      {
        name: `scan ${kind}`,
        fn: () => scanQueries(kernels, init, 0, QUERIES),
        items: QUERIES * RECORDS,
        unit: 'pairs',
      },
    );
  }
  if (new Set(found.values()).size !== 1) throw new Error('the Dice kernels disagree on the pairs found');
  const ratios = kinds
    .filter((k) => k !== 'js')
    .flatMap((k) =>
      ['popcounts', 'gather', 'scan'].map((op) => ({ faster: `${op} ${k}`, than: `${op} js` })),
    );
  return {
    name: 'dice',
    what:
      `Dice kernel: popcounts of ${RECORDS} 1024-bit filters; gather of ${CANDIDATES} 256-bit candidates; ` +
      `scan of ${QUERIES} queries × ${RECORDS} records at Dice ≥ ${THRESHOLD} (random filters)`,
    unit: 'filters',
    tasks,
    ratios,
  };
}
