/**
 * Where each output of a schema lives in a root's cache entry (see root-table.ts): the word offsets
 * of its keyed hashes and hash sets, the byte offsets of its Bloom filters, and the heads of its
 * blocking parts. Computed once per schema; the encoder fills entries and copies outputs by it.
 */
import { bloomBytes } from '../encoded/batch.js';
import { BLOCK_PARTS, type BlockPart, type FeatureSpec, type LinkageSchema } from '../encoded/schema.js';
import { at } from '../util/defined.js';
import { MASK_SETS, PART_INFO, ROOTS, type Root, SOURCE_ROOT } from './sources.js';

/**
 * How an output is stored and copied.
 * @example
 * ```ts
 * if (slot.kind === KIND.hash) column[row] = table.words[start + slot.off]!;
 * ```
 */
export const KIND = {
  /** A Bloom filter, `width` bytes at `off` in the entry's Bloom bytes. */
  bloom: 0,
  /** A keyed hash: one word at `off`. */
  hash: 1,
  /** A hash set: `width` words at `off`, unused ones 0. */
  set: 2,
  /** A hash set of masks (`MASK_SETS`): as `set`. */
  masks: 3,
  /** A salted Bloom filter: depends on two roots, so not stored in an entry. */
  salted: 4,
} as const;

/**
 * One feature's place.
 * @example
 * ```ts
 * const slot: FeatureSlot = { index: 2, spec, kind: KIND.hash, root: 0, off: 1, width: 1 };
 * ```
 */
export interface FeatureSlot {
  /** Index in `schema.features`. */
  readonly index: number;
  readonly spec: FeatureSpec;
  readonly kind: (typeof KIND)[keyof typeof KIND];
  /** Index in `ROOTS` of the feature's source. */
  readonly root: number;
  /** Word offset in the entry (hash, set), byte offset in the entry's Bloom bytes (bloom); −1 for salted. */
  readonly off: number;
  /** Bytes (bloom) or words (set) of the output; 1 for a hash. */
  readonly width: number;
}

/**
 * One root's entry layout: word 0 is the ordinal, then the feature words, then one head per
 * blocking part (the offset, from the entry's start, of the part's `[count, hashes…]` run; the runs
 * follow the fixed words, as their lengths vary).
 * @example
 * ```ts
 * const layout = rootLayouts(DEFAULT_SCHEMA)[ROOTS.indexOf('dob')]!;
 * layout.fixed; // words before the first part run
 * ```
 */
export interface RootLayout {
  readonly root: Root;
  /** The features stored in this root's entries. */
  readonly feats: readonly FeatureSlot[];
  readonly parts: readonly BlockPart[];
  /** Per part of `parts`: the word holding its run's offset. */
  readonly heads: Int32Array;
  /** Words before the part runs. */
  readonly fixed: number;
  /** Bloom bytes per entry. */
  readonly bloomStride: number;
}

/**
 * The blocking parts a schema needs computed (the Soundex pair needs its three components).
 * @example
 * ```ts
 * usedParts(DEFAULT_SCHEMA).has('firstSoundex'); // true: nameSoundexPair uses it
 * ```
 */
export function usedParts(schema: LinkageSchema): Set<BlockPart> {
  const used = new Set(schema.blocking.flatMap((p) => p.parts));
  if (used.has('nameSoundexPair')) {
    used.add('firstSoundex');
    used.add('firstCanonicalSoundex');
    used.add('lastSoundex');
  }
  return used;
}

/**
 * Every feature's slot, by feature index.
 * @example
 * ```ts
 * featureSlots(DEFAULT_SCHEMA)[0]!.kind; // KIND.bloom
 * ```
 */
export function featureSlots(schema: LinkageSchema): FeatureSlot[] {
  const salted = schema.hardening.salt !== null;
  const words = ROOTS.map(() => 1); // word 0: the ordinal
  const bytes = ROOTS.map(() => 0);
  return schema.features.map((spec, index) => {
    const root = ROOTS.indexOf(SOURCE_ROOT[spec.source]);
    if (spec.kind === 'bloom') {
      if (salted)
        return { index, spec, kind: KIND.salted, root, off: -1, width: bloomBytes(schema, spec.bits) };
      const width = bloomBytes(schema, spec.bits);
      const off = at(bytes, root);
      bytes[root] = off + width;
      return { index, spec, kind: KIND.bloom, root, off, width };
    }
    const width = spec.kind === 'hash' ? 1 : spec.max;
    const off = at(words, root);
    words[root] = off + width;
    const kind = spec.kind === 'hash' ? KIND.hash : spec.source in MASK_SETS ? KIND.masks : KIND.set;
    return { index, spec, kind, root, off, width };
  });
}

/**
 * Every root's layout, by `ROOTS` index.
 * @example
 * ```ts
 * rootLayouts(DEFAULT_SCHEMA).map((l) => l.root); // ROOTS
 * ```
 */
export function rootLayouts(schema: LinkageSchema): RootLayout[] {
  const slots = featureSlots(schema);
  const parts = [...usedParts(schema)].sort((a, b) => BLOCK_PARTS.indexOf(a) - BLOCK_PARTS.indexOf(b));
  return ROOTS.map((root, r) => {
    const feats = slots.filter((s) => s.root === r && s.kind !== KIND.salted);
    const words = feats.reduce((n, s) => (s.kind === KIND.bloom ? n : Math.max(n, s.off + s.width)), 1);
    const mine = parts.filter((p) => PART_INFO[p].root === root);
    const bloomStride = feats.reduce((n, s) => (s.kind === KIND.bloom ? Math.max(n, s.off + s.width) : n), 0);
    return {
      root,
      feats,
      parts: mine,
      heads: Int32Array.from(mine, (_, k) => words + k),
      fixed: words + mine.length,
      bloomStride,
    };
  });
}
