/**
 * The batch form (src/compare/) gives exactly the levels of the readable per-pair reference
 * (reference.ts): on the default comparisons, where every condition type decides some pairs, and on
 * random comparisons built from every condition type over the sample's encoded features, with random
 * data-quality codes, random null rules (`nullWhen`) and random pairs; and in clear-text mode, on the
 * string levels. Sex is null beside a shared first-name variant (issue #13).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, sampleDataset } from '../../bench/lib/eval.js';
import { CandidateGenerator } from '../../src/block/blocking.js';
import { clearTextComparisons } from '../../src/compare/clear-comparisons.js';
import { compileBatchComparisons } from '../../src/compare/compare.js';
import {
  type ComparisonSpec,
  DEFAULT_COMPARISONS,
  type DqField,
  type LevelCondition,
} from '../../src/compare/comparisons.js';
import { NULL_LEVEL } from '../../src/compare/patterns.js';
import { clearTextEncoder } from '../../src/encode/clear.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { BatchLevels, buildBatchScoring } from '../../src/model/score.js';
import { referenceLevel } from './reference.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

let sample: Dataset;
let coc: EncodedBatch;
let mcp: EncodedBatch;
/** Blocked candidates of each CoC record: pairs that agree on something, unlike most random ones. */
let blocked: Uint32Array[];

beforeAll(async () => {
  const ds: Dataset = await sampleDataset();
  sample = ds;
  coc = new RecordEncoder(KEY, { party: 'coc' }).encodeBatch(ds.coc.slice(0, 300));
  mcp = new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, 1500));
  const gen = new CandidateGenerator(coc, mcp);
  blocked = Array.from({ length: coc.length }, (_, i) => {
    const c = gen.candidates(i);
    return c.right.slice(0, c.count);
  });
});

/** Feature pairs the default schema derives from one another, so that pairs agree on them. */
const NATURAL_CROSSES: [string, string][] = [
  ['dob', 'dobSwapped'],
  ['dob', 'dobNextDay'],
  ['dobYear', 'dobYearPrev'],
  ['first', 'middle'],
  ['first', 'last'],
];
const NATURAL_PARTS: [string, string][] = [
  ['first', 'firstParts'],
  ['last', 'lastParts'],
  ['first', 'lastParts'],
];

/**
 * Conjunctions that blocked pairs do satisfy (the default DOB 'year ± 1' level is rare: a one-digit
 * year change is caught earlier, by the one-digit-off level).
 */
const CONJUNCTIONS: ComparisonSpec = {
  name: 'Conjunctions',
  requires: [],
  levels: [
    {
      label: 'same sex, similar last name',
      when: {
        type: 'all',
        of: [
          { type: 'exact', feature: 'sex' },
          { type: 'dice', feature: 'lastBloom', min: 0.7 },
        ],
      },
    },
    {
      label: 'same year, a shared first-name variant',
      when: {
        type: 'all',
        of: [
          { type: 'exact', feature: 'dobYear' },
          { type: 'overlap', feature: 'firstVariants' },
        ],
      },
    },
    { label: 'else', when: { type: 'else' } },
  ],
};

/**
 * The batch levels of each comparison for left record i and candidates J: the JS form's condition
 * loops with a Dice kernel of `kind`, or (`kernel`) BatchLevels with the compiled level kernel,
 * which must then compute every comparison without string levels.
 */
function batchLevels(
  specs: readonly ComparisonSpec[],
  left: EncodedBatch,
  right: EncodedBatch,
  kind: 'js' | 'wasm' | 'wasm-simd' | 'kernel',
): (i: number, J: Uint32Array) => Uint8Array[] {
  if (kind === 'kernel') {
    const levels = new BatchLevels(
      specs,
      left,
      right,
      buildBatchScoring(specs, left, right, { kind: 'wasm' }),
    );
    const strings = specs.map((s) =>
      s.levels.some((lv) =>
        JSON.stringify(lv.when).match(/"type":"(jaroWinkler|crossJaroWinkler|levenshtein)"/),
      ),
    );
    expect(levels.compiled).toEqual(strings.map((s) => !s));
    return (i, J) => {
      const outs = specs.map(() => new Uint8Array(J.length));
      for (let from = 0; from < J.length; from += levels.capacity) {
        const n = Math.min(levels.capacity, J.length - from);
        levels.run(i, J, from, n);
        levels.out.forEach((o, k) => {
          outs[k]!.set(o.subarray(0, n), from);
        });
      }
      return outs;
    };
  }
  const setup = buildBatchScoring(specs, left, right, { kind });
  const batch = compileBatchComparisons(specs, left, right, setup.rows, setup.dice);
  return (i, J) => {
    setup.dice.prepare(i, J, J.length);
    return batch.map((b) => {
      const out = new Uint8Array(J.length);
      b.levels(i, J, J.length, out);
      return out;
    });
  };
}

/** The condition type that decided each non-null level, for coverage. */
function decidingType(spec: ComparisonSpec, level: number): LevelCondition['type'] {
  return spec.levels[level % spec.levels.length]!.when.type;
}

describe('batch form = per-pair reference', () => {
  it.each(['wasm', 'kernel'] as const)(
    'on the default comparisons and conjunctions, every condition type deciding some pairs (%s)',
    (kind) => {
      const specs = [...DEFAULT_COMPARISONS, CONJUNCTIONS];
      const levels = batchLevels(specs, coc, mcp, kind);
      const decided = new Set<string>();
      const mismatches: string[] = [];
      for (let i = 0; i < coc.length; i++) {
        const J = Uint32Array.from([
          ...blocked[i]!,
          ...Array.from({ length: 20 }, (_, x) => (i * 53 + x * 71) % mcp.length),
        ]);
        levels(i, J).forEach((out, k) => {
          const spec = specs[k]!;
          for (let x = 0; x < J.length; x++) {
            const want = referenceLevel(spec, coc, i, mcp, J[x]!);
            if (out[x] !== want) mismatches.push(`${spec.name} ${i}/${J[x]}: ${out[x]} ≠ ${want}`);
            if (want !== NULL_LEVEL) decided.add(decidingType(spec, want));
          }
        });
      }
      expect(mismatches).toEqual([]);
      expect([...decided].sort()).toEqual(
        ['all', 'cross', 'crossDice', 'dice', 'else', 'exact', 'overlap', 'partOf'].sort(),
      );
    },
  );

  it.each(['js', 'kernel'] as const)(
    'Sex is null beside a shared first-name variant and counts elsewhere (issue #13, %s)',
    (kind) => {
      const first = DEFAULT_COMPARISONS.findIndex((c) => c.name === 'FirstName');
      const sex = DEFAULT_COMPARISONS.findIndex((c) => c.name === 'Sex');
      const n = DEFAULT_COMPARISONS[first]!.levels.length;
      const levels = batchLevels(DEFAULT_COMPARISONS, coc, mcp, kind);
      let shared = 0;
      let sexBesideShared = 0;
      let sexElsewhere = 0;
      for (let i = 0; i < coc.length; i++) {
        const J = blocked[i]!;
        const out = levels(i, J);
        for (let x = 0; x < J.length; x++) {
          const f = out[first]![x]!;
          const s = out[sex]![x]!;
          // Levels 0 and 1 of FirstName: exact and nickname (a shared variant), either data quality.
          if (f !== NULL_LEVEL && f % n < 2) {
            shared++;
            if (s !== NULL_LEVEL) sexBesideShared++;
          } else if (s !== NULL_LEVEL) sexElsewhere++;
        }
      }
      expect(shared).toBeGreaterThan(0);
      expect(sexBesideShared).toBe(0);
      expect(sexElsewhere).toBeGreaterThan(0);
    },
  );

  it('on random comparisons of every condition type, data-quality codes and pairs', () => {
    const hashes = Object.keys(coc.hashes);
    const sets = Object.keys(coc.sets);
    const blooms = Object.keys(coc.blooms);
    const hash = fc.constantFrom(...hashes);
    const set = fc.constantFrom(...sets);
    const bloom = fc.constantFrom(...blooms);
    // Thresholds include the defaults and exact Dice values of small popcounts (boundaries).
    const min = fc.oneof(
      fc.constantFrom(0, 0.5, 0.7, 0.88, 1, 2 / 3, 14 / 25),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    const { cond } = fc.letrec<{ cond: LevelCondition }>((tie) => ({
      cond: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ type: fc.constant('exact' as const), feature: hash }),
        fc
          .oneof(fc.tuple(hash, hash), fc.constantFrom(...NATURAL_CROSSES))
          .map(([a, b]) => ({ type: 'cross' as const, a, b })),
        fc.record({ type: fc.constant('overlap' as const), feature: set }),
        fc
          .oneof(fc.tuple(hash, set), fc.constantFrom(...NATURAL_PARTS))
          .map(([whole, parts]) => ({ type: 'partOf' as const, whole, parts })),
        fc.record({ type: fc.constant('dice' as const), feature: bloom, min }),
        fc.record({ type: fc.constant('crossDice' as const), a: bloom, b: bloom, min, both: fc.boolean() }),
        fc.record({ type: fc.constant('all' as const), of: fc.array(tie('cond'), { maxLength: 3 }) }),
        fc.constant({ type: 'else' as const }),
      ),
    }));
    const spec = fc.record(
      {
        name: fc.constant('random'),
        requires: fc.subarray([...hashes, ...sets, ...blooms], { maxLength: 2 }),
        dq: fc.constantFrom<DqField>('name', 'dob', 'ssn'),
        splitByDq: fc.boolean(),
        nullWhen: cond,
        levels: fc.array(fc.record({ label: fc.constant('level'), when: cond }), {
          minLength: 1,
          maxLength: 6,
        }),
      },
      { requiredKeys: ['name', 'requires', 'levels'] },
    ) as fc.Arbitrary<ComparisonSpec>;
    // Data-quality codes: the sample's, or random ones including 2 (split) and 8/9/99 (null).
    const codes = (n: number) =>
      fc.uint8Array({ minLength: n, maxLength: n }).map((a) => a.map((v) => [1, 1, 2, 8, 9, 99][v % 6]!));
    const dq = (n: number) => fc.option(fc.record({ nameDq: codes(n), dobDq: codes(n), ssnDq: codes(n) }));
    fc.assert(
      fc.property(
        fc.array(spec, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('js' as const, 'wasm' as const, 'wasm-simd' as const, 'kernel' as const),
        dq(coc.length),
        dq(mcp.length),
        fc.array(fc.nat(coc.length - 1), { minLength: 1, maxLength: 24 }),
        fc.array(fc.nat(mcp.length - 1), { maxLength: 20 }),
        (specs, kind, dqL, dqR, lefts, randoms) => {
          const left = dqL ? { ...coc, ...dqL } : coc;
          const right = dqR ? { ...mcp, ...dqR } : mcp;
          const levels = batchLevels(specs, left, right, kind);
          for (const i of lefts) {
            const J = Uint32Array.from([...blocked[i]!.subarray(0, 30), ...randoms]);
            levels(i, J).forEach((out, k) => {
              for (let x = 0; x < J.length; x++)
                expect(out[x], `comparison ${k}, pair ${i}/${J[x]}`).toBe(
                  referenceLevel(specs[k]!, left, i, right, J[x]!),
                );
            });
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('in clear-text mode: the string levels of clearTextComparisons and random string levels', () => {
    const ds = sample;
    const left = clearTextEncoder('coc').encodeBatch(ds.coc.slice(0, 300));
    const right = clearTextEncoder('mcp').encodeBatch(ds.mcp.slice(0, 1500));
    const gen = new CandidateGenerator(left, right);
    const cands = Array.from({ length: left.length }, (_, i) => {
      const c = gen.candidates(i);
      return Uint32Array.from([
        ...c.right.slice(0, Math.min(c.count, 30)),
        ...Array.from({ length: 10 }, (_, x) => (i * 53 + x * 71) % right.length),
      ]);
    });
    const check = (specs: readonly ComparisonSpec[], decided?: Set<string>, kind: 'js' | 'kernel' = 'js') => {
      const levels = batchLevels(specs, left, right, kind);
      const mismatches: string[] = [];
      for (let i = 0; i < left.length; i++) {
        const J = cands[i]!;
        levels(i, J).forEach((out, k) => {
          const spec = specs[k]!;
          for (let x = 0; x < J.length; x++) {
            const want = referenceLevel(spec, left, i, right, J[x]!);
            if (out[x] !== want) mismatches.push(`${spec.name} ${i}/${J[x]}: ${out[x]} ≠ ${want}`);
            if (want !== NULL_LEVEL) decided?.add(decidingType(spec, want));
          }
        });
      }
      return mismatches;
    };
    const decided = new Set<string>();
    expect(check(clearTextComparisons(), decided)).toEqual([]);
    // Mixed: the string comparisons stay with the JS form, the others run in the compiled kernel.
    expect(check(clearTextComparisons(), undefined, 'kernel')).toEqual([]);
    expect(decided).toContain('jaroWinkler');
    expect(decided).toContain('levenshtein');
    const feature = fc.constantFrom('firstText', 'middleText', 'lastText');
    const level = fc.oneof(
      fc.record({
        type: fc.constant('jaroWinkler' as const),
        feature,
        min: fc.oneof(fc.constantFrom(0, 0.88, 0.94, 1), fc.double({ min: 0, max: 1, noNaN: true })),
      }),
      fc.record({ type: fc.constant('levenshtein' as const), feature, max: fc.nat(3) }),
      fc.record({
        type: fc.constant('crossJaroWinkler' as const),
        a: feature,
        b: feature,
        min: fc.oneof(fc.constantFrom(0.88, 0.94), fc.double({ min: 0, max: 1, noNaN: true })),
        both: fc.boolean(),
      }),
      fc.constant({ type: 'else' as const }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ label: fc.constant('level'), when: level }), { minLength: 1, maxLength: 4 }),
        (levels) => {
          expect(check([{ name: 'random', requires: [], levels }])).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
  });
});
