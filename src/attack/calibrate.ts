/**
 * Dice thresholds for hardened filters. The default comparisons' Dice levels (see
 * {@link diceThresholds}) are tuned on plain filters; BLIP, XOR folding, balancing and diffusion move
 * every pair's Dice (balanced filters agree on their complement half, diffused ones are half full),
 * so a fair measurement of a hardening also tries thresholds mapped to its scale: for each plain
 * threshold t, the median hardened Dice of name pairs whose plain Dice is about t.
 */

import type { ComparisonSpec, LevelCondition } from '../compare/comparisons.js';
import { RecordEncoder } from '../encode/encoder.js';
import { DEFAULT_SCHEMA } from '../encoded/default-schema.js';
import { type Hardening, type LinkageSchema, parseLinkageSchema } from '../encoded/schema.js';
import { at, defined } from '../util/defined.js';

/**
 * Maps plain-filter Dice thresholds to a hardening's scale, measured on name pairs (each name with
 * one-edit variants of itself and with every other name that shares a q-gram).
 * @example
 * ```ts
 * calibrateDice({ blip: 0.05 }, censusFirstNames().values.slice(0, 800), [0.88, 0.7, 0.5]);
 * // Map { 0.88 => 0.8…, 0.7 => 0.6…, 0.5 => 0.4… }
 * ```
 */
export function calibrateDice(
  hardening: Partial<Hardening>,
  names: readonly string[],
  thresholds: readonly number[],
  opts: { key?: Uint8Array; window?: number } = {},
): Map<number, number> {
  const key = opts.key ?? crypto.getRandomValues(new Uint8Array(32));
  const window = opts.window ?? 0.03;
  const values = [...new Set(names.flatMap((n) => [n, ...variants(n)]))];
  const plain = encodeNames(key, parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening: {} }), values);
  const hard = encodeNames(key, parseLinkageSchema({ ...DEFAULT_SCHEMA, hardening }), values);
  const pairs = similarPairs(values);
  const samples = thresholds.map(() => [] as number[]);
  for (const [a, b] of pairs) {
    const d = dice(plain, a, b);
    thresholds.forEach((t, i) => {
      if (Math.abs(d - t) <= window) at(samples, i).push(dice(hard, a, b));
    });
  }
  return new Map(thresholds.map((t, i) => [t, median(at(samples, i)) ?? t]));
}

/**
 * The distinct Dice thresholds used by a set of comparisons, highest first.
 * @example
 * ```ts
 * diceThresholds(DEFAULT_COMPARISONS); // e.g. [0.88, 0.7, 0.5]
 * ```
 */
export function diceThresholds(comparisons: readonly ComparisonSpec[]): number[] {
  const out = new Set<number>();
  const visit = (c: LevelCondition): void => {
    if (c.type === 'dice' || c.type === 'crossDice') out.add(c.min);
    else if (c.type === 'all') c.of.forEach(visit);
  };
  for (const c of comparisons) for (const l of c.levels) visit(l.when);
  return [...out].sort((a, b) => b - a);
}

/**
 * The comparisons with every Dice threshold replaced through `map` (thresholds not in it are kept).
 * @example
 * ```ts
 * const comps = withDiceThresholds(DEFAULT_COMPARISONS, new Map([[0.88, 0.8]]));
 * ```
 */
export function withDiceThresholds(
  comparisons: readonly ComparisonSpec[],
  map: ReadonlyMap<number, number>,
): ComparisonSpec[] {
  const swap = (c: LevelCondition): LevelCondition => {
    if (c.type === 'dice' || c.type === 'crossDice') return { ...c, min: round(map.get(c.min) ?? c.min) };
    if (c.type === 'all') return { ...c, of: c.of.map(swap) };
    return c;
  };
  return comparisons.map((c) => ({ ...c, levels: c.levels.map((l) => ({ ...l, when: swap(l.when) })) }));
}

interface Encoded {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly ones: Int32Array;
}

function encodeNames(key: Uint8Array, schema: LinkageSchema, values: readonly string[]): Encoded {
  const enc = new RecordEncoder(key, { party: 'coc', schema });
  const batch = enc.encodeBatch(
    values.map((v, i) => ({
      id: String(i),
      firstName: v,
      nameDataQuality: 1,
      dobDataQuality: 99,
      ssnDataQuality: 99,
    })),
  );
  enc.dispose();
  const bytes = defined(batch.blooms.firstBloom, 'firstBloom column');
  const width = bytes.length / Math.max(values.length, 1);
  const ones = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++)
    for (let j = 0; j < width; j++) ones[i] = (ones[i] ?? 0) + popcount8(bytes[i * width + j] ?? 0);
  return { bytes, width, ones };
}

function dice(e: Encoded, a: number, b: number): number {
  let both = 0;
  for (let j = 0; j < e.width; j++)
    both += popcount8((e.bytes[a * e.width + j] ?? 0) & (e.bytes[b * e.width + j] ?? 0));
  const sum = (e.ones[a] ?? 0) + (e.ones[b] ?? 0);
  return sum === 0 ? 0 : (2 * both) / sum;
}

function popcount8(x: number): number {
  let v = x - ((x >> 1) & 0x55);
  v = (v & 0x33) + ((v >> 2) & 0x33);
  return (v + (v >> 4)) & 0x0f;
}

/** One-edit variants: each deletion, and each adjacent transposition. */
function variants(name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < name.length; i++) {
    if (name.length > 2) out.push(name.slice(0, i) + name.slice(i + 1));
    if (i + 1 < name.length) out.push(name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2));
  }
  return out;
}

/** Index pairs of values that share at least one bigram (all others have plain Dice near 0). */
function similarPairs(values: readonly string[]): [number, number][] {
  const byGram = new Map<string, number[]>();
  values.forEach((v, i) => {
    for (let j = 0; j + 2 <= v.length; j++) {
      const g = v.slice(j, j + 2);
      const list = byGram.get(g);
      if (list) {
        if (list[list.length - 1] !== i) list.push(i);
      } else byGram.set(g, [i]);
    }
  });
  const seen = new Set<number>();
  const out: [number, number][] = [];
  for (const list of byGram.values()) {
    for (let x = 0; x < list.length && x < 400; x++) {
      for (let y = x + 1; y < list.length && y < 400; y++) {
        const a = at(list, x);
        const b = at(list, y);
        const id = a * values.length + b;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push([a, b]);
      }
    }
  }
  return out;
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
