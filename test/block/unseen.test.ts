/**
 * The estimate of the true pairs blocking never compares: which passes' keys agree on a pair
 * (`passMasks`), and the truncated product model (`unseenShare`) on simulated true pairs whose
 * fields' part agreements are drawn independently from known distributions, so the share that no
 * pass catches is known exactly; the fit sees only the caught pairs.
 */
import { describe, expect, it } from 'vitest';
import { buildPassIndex } from '../../src/block/blocking.js';
import { passMasks, passMasksIndexed, unseenShare } from '../../src/block/unseen.js';
import type { BlockColumn } from '../../src/encoded/batch.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import type { BlockingPassSpec, BlockPart } from '../../src/encoded/schema.js';
import { Random } from '../../src/util/prng.js';

const col = (keys: number[][]): BlockColumn => {
  const offsets = [0];
  for (const k of keys) offsets.push((offsets.at(-1) ?? 0) + k.length);
  return { offsets: Uint32Array.from(offsets), keys: Uint32Array.from(keys.flat()) };
};

describe('passMasks', () => {
  it('sets the bit of each pass whose key lists meet, and no other', () => {
    const coc = { a: col([[1, 2], [3], []]), b: col([[7], [8], [9]]) };
    const plan = { a: col([[2], [4], [1]]), b: col([[7], [9], [8]]) };
    const m = passMasks(['a', 'b'], coc, plan, [0, 0, 1, 2, 1], [0, 1, 1, 2, 2]);
    expect(Array.from(m)).toEqual([0b11, 0b00, 0b00, 0b00, 0b10]);
  });

  it('gives each pair its own mask when many pairs are read in plan-record order', () => {
    // Above 2^15 pairs the pairs are visited sorted by plan record: the masks must not move.
    let seed = 11;
    const next = (m: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % m;
    };
    const keysOf = (n: number) =>
      Array.from({ length: n }, () => Array.from({ length: next(3) }, () => next(5)));
    const cocKeys = [keysOf(500), keysOf(500)];
    const planKeys = [keysOf(300_000), keysOf(300_000)];
    const coc = { a: col(cocKeys[0]!), b: col(cocKeys[1]!) };
    const plan = { a: col(planKeys[0]!), b: col(planKeys[1]!) };
    const n = 40_000;
    const left = Array.from({ length: n }, () => next(500));
    const right = Array.from({ length: n }, () => next(300_000));
    const m = passMasks(['a', 'b'], coc, plan, left, right);
    // The same masks from the plan's pass indexes (`b`'s index first: found by name).
    const indexes = [buildPassIndex('b', plan.b), buildPassIndex('a', plan.a)];
    expect(Array.from(passMasksIndexed(['a', 'b'], coc, indexes, left, right))).toEqual(Array.from(m));
    expect(Array.from(passMasksIndexed(['a', 'b'], coc, indexes.slice(0, 1), left, right))).toEqual(
      Array.from(m, (x) => x & 0b10),
    );
    for (let k = 0; k < n; k++) {
      let want = 0;
      for (const p of [0, 1])
        if (cocKeys[p]![left[k]!]!.some((x) => planKeys[p]![right[k]!]!.includes(x))) want |= 1 << p;
      expect(m[k]).toBe(want);
    }
  });

  it('leaves a pass one batch lacks unset, and refuses more than 31 passes', () => {
    const coc = { a: col([[1]]) };
    const plan = { b: col([[1]]) };
    expect(Array.from(passMasks(['a', 'b'], coc, plan, [0], [0]))).toEqual([0]);
    expect(() =>
      passMasks(
        Array.from({ length: 32 }, (_, i) => `p${i}`),
        coc,
        plan,
        [],
        [],
      ),
    ).toThrow(RangeError);
  });
});

/** Simulated true pairs: independent fields, each with a distribution over its parts' joint agreement. */
function simulate(
  passes: readonly BlockingPassSpec[],
  theta: Map<string, [BlockPart[], number[]]>,
  n: number,
  seed: number,
) {
  const rng = new Random(seed);
  const draw = (p: readonly number[]): number => {
    let x = rng.next();
    for (let s = 0; s < p.length; s++) {
      x -= p[s] ?? 0;
      if (x < 0) return s;
    }
    return p.length - 1;
  };
  const masks: number[] = [];
  let empty = 0;
  for (let k = 0; k < n; k++) {
    const agree = new Set<BlockPart>();
    for (const [parts, p] of theta.values()) {
      const s = draw(p);
      parts.forEach((part, b) => {
        if (s & (1 << b)) agree.add(part);
      });
    }
    let m = 0;
    passes.forEach((pass, p) => {
      if (pass.parts.every((part) => agree.has(part))) m |= 1 << p;
    });
    if (m === 0) empty++;
    else masks.push(m);
  }
  return { masks, empty };
}

/** P(no pass fires) under the product distribution, by enumeration. */
function exactEmpty(
  passes: readonly BlockingPassSpec[],
  theta: Map<string, [BlockPart[], number[]]>,
): number {
  const fields = [...theta.values()];
  let total = 0;
  const rec = (f: number, agree: Set<BlockPart>, p: number): void => {
    const field = fields[f];
    if (!field) {
      if (!passes.some((pass) => pass.parts.every((part) => agree.has(part)))) total += p;
      return;
    }
    const [parts, probs] = field;
    probs.forEach((q, s) => {
      const next = new Set(agree);
      parts.forEach((part, b) => {
        if (s & (1 << b)) next.add(part);
      });
      rec(f + 1, next, p * q);
    });
  };
  rec(0, new Set(), 1);
  return total;
}

describe('unseenShare', () => {
  // The default passes' name and DOB parts; the SSN and ID passes never fire (no SSN, no IDs).
  const passes = DEFAULT_SCHEMA.blocking;
  const name: BlockPart[] = ['lastPartSoundex', 'firstInitial', 'nameSoundexPair', 'firstCanonicalSoundex'];
  const dob: BlockPart[] = ['dobYear', 'dobOrSwapped', 'dob'];
  /** Name states over 4 bits (16), DOB states over 3 bits: the consistent ones only. */
  const nameP = new Array(16).fill(0);
  // all agree, surname lost, first name lost, both lost, initial only
  nameP[0b1111] = 0.7;
  nameP[0b1010] = 0.1;
  nameP[0b0001] = 0.08;
  nameP[0b0000] = 0.06;
  nameP[0b0010] = 0.06;
  const dobP = new Array(8).fill(0);
  dobP[0b111] = 0.85;
  dobP[0b011] = 0.03;
  dobP[0b001] = 0.04;
  dobP[0b000] = 0.08;
  const theta = new Map<string, [BlockPart[], number[]]>([
    ['name', [name, nameP]],
    ['dob', [dob, dobP]],
  ]);

  it('recovers the share of true pairs no pass catches from the caught ones alone', () => {
    const truth = exactEmpty(passes, theta);
    expect(truth).toBeGreaterThan(0.01);
    const n = 40_000;
    const sim = simulate(passes, theta, n, 5);
    const est = unseenShare(passes, sim.masks, new Array(sim.masks.length).fill(1));
    expect(est).toBeDefined();
    if (!est) return;
    expect(est.converged).toBe(true);
    // Binomial error of the simulated empty share, and of the fit from n pairs: a few of each.
    const sd = Math.sqrt((truth * (1 - truth)) / n);
    expect(Math.abs(est.share - truth)).toBeLessThanOrEqual(6 * sd);
    expect(est.weight).toBe(sim.masks.length);
    expect(est.fields.map((f) => f.field).sort()).toEqual(['dob', 'memberId', 'name', 'ssn']);
  });

  it('does not depend on the order of the pairs, and weights count as repeated pairs', () => {
    const sim = simulate(passes, theta, 3_000, 9);
    const w = sim.masks.map((_, k) => (k % 3 === 0 ? 0.5 : 1));
    const a = unseenShare(passes, sim.masks, w);
    const order = sim.masks.map((_, k) => k).reverse();
    const b = unseenShare(
      passes,
      order.map((k) => sim.masks[k] ?? 0),
      order.map((k) => w[k] ?? 0),
    );
    expect(b?.share).toBe(a?.share);
    // Doubling every weight changes nothing.
    expect(
      unseenShare(
        passes,
        sim.masks,
        w.map((x) => 2 * x),
      )?.share,
    ).toBeCloseTo(a?.share ?? Number.NaN, 9);
  });

  it('is undefined without weight, and refuses arrays of different lengths', () => {
    expect(unseenShare(passes, [1, 2], [0, 0])).toBeUndefined();
    expect(unseenShare(passes, [], [])).toBeUndefined();
    expect(() => unseenShare(passes, [1], [])).toThrow(RangeError);
  });

  it('is undefined when a field every pass keys on hides the empty cell (not identifiable)', () => {
    const one: BlockingPassSpec[] = [{ name: 'dob', parts: ['dob'] }];
    expect(unseenShare(one, [1, 1, 1], [1, 1, 1])).toBeUndefined();
    const two: BlockingPassSpec[] = [
      { name: 'a', parts: ['dob', 'firstInitial'] },
      { name: 'b', parts: ['dobYear', 'lastSoundex'] },
    ];
    expect(unseenShare(two, [1, 2, 3], [1, 1, 1])).toBeUndefined();
  });

  it('is near 0 when two passes on separate fields catch almost every pair', () => {
    const two: BlockingPassSpec[] = [
      { name: 'a', parts: ['dob'] },
      { name: 'b', parts: ['lastSoundex'] },
    ];
    // 980 pairs caught by both, 10 by each alone: P(miss one) ≈ 0.01 each, P(miss both) ≈ 1e-4.
    const masks = [...new Array(980).fill(3), ...new Array(10).fill(1), ...new Array(10).fill(2)];
    const est = unseenShare(two, masks, new Array(masks.length).fill(1));
    expect(est?.share).toBeGreaterThan(0);
    expect(est?.share).toBeCloseTo((10 / 990) * (10 / 990), 5);
  });
});
