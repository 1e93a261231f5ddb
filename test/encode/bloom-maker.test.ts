/**
 * The Bloom maker's per-keyed-hash cache of token digests: driven past its limit (it starts again
 * when full), every filter stays the one computed without the cache's help.
 */
import { describe, expect, it } from 'vitest';
import { BloomMaker, type BloomSpec } from '../../src/encode/bloom-maker.js';
import { HashQueue } from '../../src/encode/hash-queue.js';
import { KeyedHash } from '../../src/encode/hmac.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';

const key = new Uint8Array(32).map((_, i) => i * 7 + 3);
const feature = DEFAULT_SCHEMA.features.find((f): f is BloomSpec => f.kind === 'bloom') as BloomSpec;
function maker(): BloomMaker {
  const h = new KeyedHash(key);
  return new BloomMaker(DEFAULT_SCHEMA, () => h, new KeyedHash(key.map((b) => b ^ 0x5c)), new HashQueue());
}
/** Private state read for the test: the number of digests each keyed hash's cache holds. */
const held = (m: BloomMaker) =>
  [...(m as unknown as { digests: Map<unknown, { n: number }> }).digests.values()].map((c) => c.n);

describe('BloomMaker token digest cache', () => {
  it('gives the same filters past its limit of 65,536 digests, across its restart and after it', () => {
    // Two-character values from 20,000 CJK characters: each brings about one new q-gram, so 50,000
    // values overflow the cache (padded bigrams: '_a', 'ab', 'b_').
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const values = Array.from({ length: 50_000 }, () =>
      String.fromCodePoint(0x4e00 + (next() % 20_000), 0x4e00 + (next() % 20_000)),
    );
    const a = maker();
    const forward = values.map((v) => a.make(feature, v, ''));
    // The cache restarted: it holds fewer digests than the distinct q-grams it was given.
    const distinct = new Set(values.flatMap((v) => [`_${v[0]}`, v, `${v[1]}_`])).size;
    expect(distinct).toBeGreaterThan(1 << 16);
    // (Without a restart it would hold every one of them.)
    const [n] = held(a);
    expect(n).toBeLessThanOrEqual(1 << 16);
    expect(n).toBeLessThan(distinct);
    // Values made before the restart (their digests gone from the cache) and after it, made again.
    for (const i of [0, 1, 500, 30_000, 49_999])
      expect(a.make(feature, values[i] as string, '')).toEqual(forward[i]);
    // A second maker in the reverse order restarts at other places: the same filters.
    const b = maker();
    for (let i = values.length - 1; i >= 0; i--) {
      const got = b.make(feature, values[i] as string, '');
      if (i % 97 === 0 || i < 10 || i > values.length - 10) expect(got).toEqual(forward[i]);
    }
    // And each of a sample from a fresh maker, with nothing cached.
    for (const i of [3, 25_000, 47_777])
      expect(maker().make(feature, values[i] as string, '')).toEqual(forward[i]);
  }, 120_000);
});
