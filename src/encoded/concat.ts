/** Concatenation of encoded batches (the matcher holds each list as one batch). */
import { defined } from '../util/defined.js';
import type { BlockColumn, EncodedBatch } from './batch.js';

/**
 * Where {@link concatBatches} puts the concatenated columns: ordinary memory by default; the
 * parallel matcher passes shared-memory allocators (see `concatShared`).
 */
export interface BatchAllocator {
  readonly u8: (n: number) => Uint8Array;
  readonly u32: (n: number) => Uint32Array;
  /** For blocking-key columns (default: `u32`). */
  readonly blockU32?: (n: number) => Uint32Array;
}

const ORDINARY: BatchAllocator = { u8: (n) => new Uint8Array(n), u32: (n) => new Uint32Array(n) };

function catBytes<T extends Uint8Array | Uint32Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((a, p) => a + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p as never, pos);
    pos += p.length;
  }
  return out;
}

/** The IDs of all batches, in order (a loop: `flatMap` costs several times more per ID). */
function catIds(batches: readonly EncodedBatch[]): string[] {
  const out: string[] = [];
  for (const b of batches) for (const id of b.ids) out.push(id);
  return out;
}

/**
 * One kind of named columns (`blooms`, `hashes` or `sets`) of every batch, concatenated per name in
 * the first batch's order. At module level, not a closure per call: V8 optimised each call's closure
 * anew (docs/scaling.md, "Encoding, round eight").
 */
function catColumns<T extends Uint8Array | Uint32Array>(
  batches: readonly EncodedBatch[],
  kind: 'blooms' | 'hashes' | 'sets',
  make: (n: number) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  const first = batches[0];
  if (first === undefined) return out;
  for (const k of Object.keys(first[kind])) {
    const parts: T[] = [];
    for (const b of batches) parts.push(defined(b[kind][k], `column ${k}`) as T);
    out[k] = catBytes(parts, make);
  }
  return out;
}

/**
 * Concatenates batches of the same schema into one. Without `alloc`, a single batch is returned as
 * it is; with it, the columns are always copied into what `alloc` makes.
 * @example
 * ```ts
 * const all = concatBatches([coc.batch, mcp.batch]);
 * all.length === coc.batch.length + mcp.batch.length; // true
 * ```
 */
export function concatBatches(batches: readonly EncodedBatch[], alloc?: BatchAllocator): EncodedBatch {
  const first = batches[0];
  if (first !== undefined && batches.length === 1 && alloc === undefined) return first;
  const { u8, u32, blockU32 = u32 } = alloc ?? ORDINARY;
  const length = batches.reduce((a, b) => a + b.length, 0);
  const blocks: Record<string, BlockColumn> = {};
  for (const name of first ? Object.keys(first.blocks) : []) {
    const offsets = blockU32(length + 1);
    let row = 0;
    let base = 0;
    for (const b of batches) {
      const col = defined(b.blocks[name], `blocking pass ${name}`);
      for (let i = 0; i < b.length; i++) offsets[++row] = base + (col.offsets[i + 1] ?? 0);
      base += col.keys.length;
    }
    blocks[name] = {
      offsets,
      keys: catBytes(
        batches.map((b) => defined(b.blocks[name], `blocking pass ${name}`).keys),
        blockU32,
      ),
    };
  }
  return {
    length,
    ids: first !== undefined && batches.length === 1 ? first.ids : catIds(batches),
    nameDq: catBytes(
      batches.map((b) => b.nameDq),
      u8,
    ),
    dobDq: catBytes(
      batches.map((b) => b.dobDq),
      u8,
    ),
    ssnDq: catBytes(
      batches.map((b) => b.ssnDq),
      u8,
    ),
    blooms: catColumns(batches, 'blooms', u8),
    hashes: catColumns(batches, 'hashes', u32),
    sets: catColumns(batches, 'sets', u32),
    blocks,
  };
}
