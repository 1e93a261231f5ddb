/**
 * Keyed Bloom filters of single values, with the schema's hardening applied (diffusion, Rule 90,
 * balancing, XOR-folding, BLIP, in that order). Taps, permutations and BLIP flips are keyed per key
 * group and width, not per feature: features of one group (first and last name) must stay
 * comparable with each other (swapped names).
 */

import type { FeatureSpec, LinkageSchema } from '../encoded/schema.js';
import { defined } from '../util/defined.js';
import {
  balance,
  blip,
  diffuseSparse,
  diffusionTaps,
  type InvertedTaps,
  invertTaps,
  KeyedStream,
  keyedPermutation,
  rule90,
  setBit,
  xorFold,
} from './harden.js';
import type { HashQueue } from './hash-queue.js';
import type { KeyedHash } from './hmac.js';
import { tokenise } from './tokens.js';

/**
 * A Bloom feature of a schema.
 * @example
 * ```ts
 * const f = DEFAULT_SCHEMA.features.find((x): x is BloomSpec => x.kind === 'bloom');
 * ```
 */
export type BloomSpec = Extract<FeatureSpec, { kind: 'bloom' }>;

/** Distinct token messages kept per keyed hash before the cache starts again (8 words each). */
const TOKEN_CACHE_LIMIT = 1 << 16;

/**
 * The digests of token messages already computed under one keyed hash: a name's q-grams repeat
 * across names (a few thousand distinct bigrams), so nearly every token of a name not seen before
 * was seen in another. Key-derived words held for the run only, wiped by `dispose`.
 */
class TokenDigests {
  readonly index = new Map<string, number>();
  words = new Int32Array(8 * 1024);
  n = 0;

  /** Stores message's 8 words (from `from[at .. at + 8)`); starts again when full. */
  put(message: string, from: Int32Array, at: number): void {
    if (this.index.has(message)) return;
    if (this.n === TOKEN_CACHE_LIMIT) {
      this.index.clear();
      this.n = 0;
    }
    const to = 8 * this.n;
    if (to + 8 > this.words.length) {
      const grown = new Int32Array(Math.min(2 * this.words.length, 8 * TOKEN_CACHE_LIMIT));
      grown.set(this.words);
      this.words.fill(0);
      this.words = grown;
    }
    for (let k = 0; k < 8; k++) this.words[to + k] = from[at + k] ?? 0;
    this.index.set(message, to);
    this.n++;
  }
}

/**
 * Makes the Bloom filters of a schema's features.
 * @example
 * ```ts
 * const maker = new BloomMaker(schema, (group) => groupHash.get(group)!, hardenHash, new HashQueue());
 * const bits = maker.make(schema.features[0] as BloomSpec, 'ANN', '');
 * ```
 */
export class BloomMaker {
  /** Per Bloom feature: its diffusion taps, inverted (see `diffuseSparse`). */
  private readonly taps = new Map<string, InvertedTaps>();
  private readonly perms = new Map<string, Uint32Array>();
  private words = new Int32Array(256);
  private fresh = new Int32Array(256);
  /** Per keyed hash: the digests of token messages computed so far. */
  private readonly digests = new Map<KeyedHash, TokenDigests>();

  /**
   * @param schema - the schema (its hardening applies to every filter)
   * @param groupHash - the keyed hash of a key group
   * @param hardenHash - the keyed hash the hardening's keyed choices are drawn from
   * @param queue - computes the filters' digests
   */
  constructor(
    private readonly schema: LinkageSchema,
    private readonly groupHash: (keyGroup: string) => KeyedHash,
    private readonly hardenHash: KeyedHash,
    private readonly queue: HashQueue,
  ) {
    const hd = schema.hardening;
    for (const f of schema.features) {
      if (f.kind !== 'bloom') continue;
      if (hd.diffusion)
        this.taps.set(
          f.name,
          invertTaps(
            diffusionTaps(
              new KeyedStream(hardenHash, `taps:${f.keyGroup}:${f.bits}`),
              f.bits,
              hd.diffusion.t,
            ),
            f.bits,
            hd.diffusion.t,
          ),
        );
      if (hd.balance)
        this.perms.set(
          f.name,
          keyedPermutation(new KeyedStream(hardenHash, `perm:${f.keyGroup}:${f.bits}`), 2 * f.bits),
        );
    }
  }

  /**
   * The hardened filter of `value` (salted with `salt` when the schema salts; '' otherwise). Runs
   * `queue`'s pending requests first: the filter's digests go through it in one batch.
   */
  make(f: BloomSpec, value: string, salt: string): Uint8Array {
    const hd = this.schema.hardening;
    const h = this.groupHash(f.keyGroup);
    let bits: Uint8Array = new Uint8Array(f.bits / 8);
    // Two bit positions per digest word (its high and low 16 bits), as many digests as k needs.
    const rounds = Math.ceil(f.k / 16);
    const messages: string[] = [];
    for (const token of tokenise(value, f.tokens)) {
      const msg = hd.salt ? `${salt}\u001f${token}` : token;
      for (let round = 0; round < rounds; round++) messages.push(round === 0 ? msg : `${msg}\u0000${round}`);
    }
    if (this.words.length < 8 * messages.length) this.words = new Int32Array(16 * messages.length);
    const words = this.words;
    this.digestAll(h, messages, words);
    for (let m = 0; m < messages.length; m += rounds) {
      for (let done = 0, w = 8 * m; done < f.k; w++) {
        const word = words[w] ?? 0;
        setBit(bits, (word >>> 16) % f.bits);
        if (++done < f.k) {
          setBit(bits, (word & 0xffff) % f.bits);
          done++;
        }
      }
    }
    if (hd.diffusion)
      bits = diffuseSparse(bits, defined(this.taps.get(f.name), 'diffusion taps of a feature'));
    if (hd.rule90) bits = rule90(bits);
    if (hd.balance)
      bits = balance(bits, defined(this.perms.get(f.name), 'balancing permutation of a feature'));
    for (let i = 0; i < hd.xorFolds; i++) bits = xorFold(bits);
    if (hd.blip > 0)
      bits = blip(
        bits,
        hd.blip,
        new KeyedStream(this.hardenHash, `blip:${f.keyGroup}:${salt}\u001f${value}`),
      );
    return bits;
  }

  /**
   * `queue.digestAll` of the messages, each message's digest computed once per keyed hash: cached
   * ones are copied, the others computed in one batch and kept.
   */
  private digestAll(h: KeyedHash, messages: readonly string[], words: Int32Array): void {
    let cache = this.digests.get(h);
    if (cache === undefined) {
      cache = new TokenDigests();
      this.digests.set(h, cache);
    }
    const missing: string[] = [];
    const missingAt: number[] = [];
    const cached = cache.words;
    for (let m = 0; m < messages.length; m++) {
      const message = messages[m] ?? '';
      const at = cache.index.get(message);
      if (at === undefined) {
        missing.push(message);
        missingAt.push(m);
      } else for (let k = 0, to = 8 * m; k < 8; k++) words[to + k] = cached[at + k] ?? 0;
    }
    if (missing.length === 0) return;
    if (this.fresh.length < 8 * missing.length) this.fresh = new Int32Array(16 * missing.length);
    const fresh = this.fresh;
    this.queue.digestAll(h, missing, fresh);
    for (let i = 0; i < missing.length; i++) {
      const to = 8 * (missingAt[i] ?? 0);
      for (let k = 0; k < 8; k++) words[to + k] = fresh[8 * i + k] ?? 0;
      cache.put(missing[i] ?? '', fresh, 8 * i);
    }
  }

  /** Wipes the cached token digests (key-derived). */
  dispose(): void {
    for (const c of this.digests.values()) {
      c.words.fill(0);
      c.index.clear();
    }
    this.digests.clear();
    this.words.fill(0);
    this.fresh.fill(0);
  }
}
