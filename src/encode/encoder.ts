/**
 * The record encoder: normalised sources → keyed Bloom filters, keyed hashes and keyed blocking
 * keys. This is the only module (with key.ts) that holds key material; it derives one HKDF subkey per
 * key group, blocking pass and hardening step, never exposes them, and wipes them on `dispose()`.
 */

import { HmacKernel } from '../kernel/sha256.js';
import type { PersonFields } from '../read/types.js';
import { VERSION } from '../version.js';
import { type BatchBuilder, bloomBytes, type EncodedBatch, type EncodedMeta, type Party } from './batch.js';
import { DEFAULT_SCHEMA } from './default-schema.js';
import {
  balance,
  blip,
  diffuse,
  diffusionTaps,
  KeyedStream,
  keyedPermutation,
  rule90,
  setBit,
  xorFold,
} from './harden.js';
import { KeyedHash } from './hmac.js';
import { deriveSubkey, keyCheck, MIN_KEY_BYTES } from './key.js';
import {
  BLOCK_PARTS,
  type BlockPart,
  type FeatureSpec,
  type LinkageSchema,
  schemaFingerprint,
} from './schema.js';
import {
  MASK_SETS,
  type MaskSet,
  mask,
  PART_INFO,
  type PersonRoots,
  personRoots,
  ROOTS,
  type Root,
  rootSources,
  SOURCE_ROOT,
} from './sources.js';
import { tokenise } from './tokens.js';

const CACHE_LIMIT = 200_000;
/** Lookups after which a root cache that rarely hits is switched off (values of that root are unique: SSNs). */
const CACHE_PROBE = 50_000;
/** Hit rate below which a root is not worth caching: caching unique values only feeds the garbage collector. */
const CACHE_MIN_HIT_RATE = 0.05;

type BloomSpec = Extract<FeatureSpec, { kind: 'bloom' }>;

/** A person to encode: its ID and identifying fields (as the readers produce them). */
export interface PersonToEncode extends PersonFields {
  readonly id: string;
}

/**
 * Everything one root value encodes to: the outputs of the root's features and the component hashes
 * of its blocking parts, each by its position in the root's list (see `featSlot`, `partSlot`).
 * Short arrays, not maps or records: read for every record, and built for every new value.
 */
interface RootOut {
  readonly feats: (number | readonly number[] | Uint8Array | undefined)[];
  readonly parts: (readonly number[] | undefined)[];
  readonly saltValues: Partial<Record<'dobYear' | 'sex', string>>;
}

const EMPTY_PARTS: readonly number[] = [];

/** The outputs of one record's roots, by root index (absent root: undefined). */
type Outs = (RootOut | undefined)[];

const ROOT_INDEX = Object.fromEntries(ROOTS.map((r, k) => [r, k])) as Record<Root, number>;
const PART_INDEX = Object.fromEntries(BLOCK_PARTS.map((p, k) => [p, k])) as Record<BlockPart, number>;
const FIRST = ROOT_INDEX.first;
const LAST = ROOT_INDEX.last;

/** A blocking pass, resolved to indexes: its seed, and per part the root and part to read. */
interface PassPlan {
  readonly name: string;
  readonly seed: number;
  /** Per part: [root index, part index], or [−1, −1] for the first/last Soundex pair. */
  readonly parts: readonly (readonly [number, number])[];
}

/** murmur3's 32-bit block mix, to combine keyed component hashes into a blocking key. */
function mix(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let r = h ^ k;
  r = (r << 13) | (r >>> 19);
  return (Math.imul(r, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0 || 1;
}

/**
 * Encodes persons with a secret key and a linkage schema.
 *
 * Every keyed value is HMAC-SHA256 under an HKDF subkey of the key group (features that must be
 * comparable with each other share a group). Blocking keys combine keyed component hashes with a
 * keyed per-pass seed. Results are cached per root value (a first name, a DOB, …), so repeated
 * values cost one map lookup.
 * @example
 * ```ts
 * import { RecordEncoder, parseKey } from 'bloomlink/encode';
 * const enc = new RecordEncoder(parseKey(keyText), { party: 'coc' });
 * const batch = enc.encodeBatch([{ id: 'C1', firstName: 'Ann', lastName: 'Lee', dob: '1980-02-03',
 *   nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 99 }]);
 * enc.dispose();
 * ```
 */
export class RecordEncoder {
  /** File-level facts to store with the output (no key material; the key check reveals nothing). */
  readonly meta: EncodedMeta;
  private readonly schema: LinkageSchema;
  private readonly groupHash = new Map<string, KeyedHash>();
  private readonly spaceHash = new Map<string, KeyedHash>();
  private readonly passSeed = new Map<string, number>();
  private readonly hardenHash: KeyedHash;
  private readonly perms = new Map<string, Uint32Array>();
  private readonly taps = new Map<string, Uint32Array>();
  private readonly rootCache = new Map<Root, Map<string, RootOut>>();
  private readonly saltedCache = new Map<string, Uint8Array>();
  private readonly rootFeatures = new Map<Root, number[]>();
  private readonly rootParts = new Map<Root, BlockPart[]>();
  private readonly words = new Int32Array(8);
  private disposed = false;
  /** Per root: lookups, hits, and whether caching is on (see CACHE_PROBE). */
  private readonly cacheStats = new Map<Root, { lookups: number; hits: number; on: boolean }>();
  /** Per record scratch, reused: outputs by root, block-key combinations, the keys of a pass. */
  private readonly outs: Outs = ROOTS.map(() => undefined);
  /** Root index of each feature's source, and its position in that root's feature list. */
  private readonly featRoot: Int8Array;
  private readonly featSlot: Int16Array;
  /** Position of each part (BLOCK_PARTS index) in each root's part list, by root · parts + part; −1: none. */
  private readonly partSlot: Int16Array;
  private readonly passPlans: PassPlan[];
  private combA: Int32Array = new Int32Array(64);
  private combB: Int32Array = new Int32Array(64);
  /** The keys of the last `blockKeys` call (its return value says how many). */
  private keysOut: Uint32Array = new Uint32Array(64);
  private readonly batch = new HashBatch();

  constructor(key: Uint8Array, opts: { party: Party; schema?: LinkageSchema }) {
    if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES)
      throw new RangeError('key must be at least 16 bytes');
    this.schema = opts.schema ?? DEFAULT_SCHEMA;
    const fp = schemaFingerprint(this.schema);
    this.meta = {
      format: 'bloomlink-encoded',
      formatVersion: 1,
      libraryVersion: VERSION,
      party: opts.party,
      schema: this.schema,
      schemaFingerprint: fp,
      keyCheck: keyCheck(key),
    };
    const sub = (purpose: string): KeyedHash => {
      const k = deriveSubkey(key, `${purpose}:${fp}`);
      const h = new KeyedHash(k);
      k.fill(0);
      return h;
    };
    for (const r of ROOTS) {
      this.cacheStats.set(r, { lookups: 0, hits: 0, on: true });
      this.rootCache.set(r, new Map());
      this.rootFeatures.set(r, []);
      this.rootParts.set(r, []);
    }
    this.schema.features.forEach((f, i) => {
      if (!this.groupHash.has(f.keyGroup)) this.groupHash.set(f.keyGroup, sub(`group:${f.keyGroup}`));
      if (f.kind === 'bloom' && this.schema.hardening.salt) return; // salted filters depend on two roots
      this.rootFeatures.get(SOURCE_ROOT[f.source])!.push(i);
    });
    const usedParts = new Set(this.schema.blocking.flatMap((p) => p.parts));
    if (usedParts.has('nameSoundexPair')) {
      usedParts.add('firstSoundex');
      usedParts.add('firstCanonicalSoundex');
      usedParts.add('lastSoundex');
    }
    for (const part of usedParts) {
      const info = PART_INFO[part];
      if (info.root !== 'name') this.rootParts.get(info.root)!.push(part);
      if (!this.spaceHash.has(info.space)) this.spaceHash.set(info.space, sub(`blockpart:${info.space}`));
    }
    for (const p of this.schema.blocking) {
      const h = sub(`block:${p.name}`);
      this.passSeed.set(p.name, h.word(p.name));
      h.dispose();
    }
    this.featRoot = Int8Array.from(this.schema.features, (f) => ROOT_INDEX[SOURCE_ROOT[f.source]]);
    this.featSlot = Int16Array.from(this.schema.features, (f, i) =>
      this.rootFeatures.get(SOURCE_ROOT[f.source])!.indexOf(i),
    );
    this.partSlot = new Int16Array(ROOTS.length * BLOCK_PARTS.length).fill(-1);
    ROOTS.forEach((r, k) => {
      this.rootParts.get(r)!.forEach((part, slot) => {
        this.partSlot[k * BLOCK_PARTS.length + PART_INDEX[part]] = slot;
      });
    });
    this.passPlans = this.schema.blocking.map((p) => ({
      name: p.name,
      seed: this.passSeed.get(p.name)!,
      parts: p.parts.map((part): [number, number] => {
        const root = PART_INFO[part].root;
        return root === 'name' ? [-1, -1] : [ROOT_INDEX[root], this.slotOf(ROOT_INDEX[root], part)];
      }),
    }));
    this.hardenHash = sub('hardening');
    const hd = this.schema.hardening;
    // Taps, permutations and BLIP flips are keyed per key group and width, not per feature: features
    // of one group (first and last name) must stay comparable with each other (swapped names).
    for (const f of this.schema.features) {
      if (f.kind !== 'bloom') continue;
      if (hd.diffusion)
        this.taps.set(
          f.name,
          diffusionTaps(
            new KeyedStream(this.hardenHash, `taps:${f.keyGroup}:${f.bits}`),
            f.bits,
            hd.diffusion.t,
          ),
        );
      if (hd.balance)
        this.perms.set(
          f.name,
          keyedPermutation(new KeyedStream(this.hardenHash, `perm:${f.keyGroup}:${f.bits}`), 2 * f.bits),
        );
    }
  }

  /** Encodes persons into a columnar batch. */
  encodeBatch(persons: Iterable<PersonToEncode>): EncodedBatch {
    return this.encodeMany(Array.isArray(persons) ? persons : [...persons]);
  }

  /**
   * Encodes persons into a columnar batch, writing straight into typed columns (the same batch as
   * {@link RecordEncoder.encodeInto} with a `BatchBuilder`, without its per-value arrays).
   */
  encodeMany(persons: readonly PersonToEncode[]): EncodedBatch {
    if (this.disposed) throw new TypeError('encoder was disposed');
    const w = new ColumnWriter(this.schema, persons.length);
    const features = this.schema.features;
    const salted = this.schema.hardening.salt !== null;
    for (let row = 0; row < persons.length; row++) {
      const p = persons[row]!;
      const roots = this.resolveRoots(p);
      const outs = this.outs;
      w.ids[row] = p.id;
      w.nameDq[row] = p.nameDataQuality;
      w.dobDq[row] = p.dobDataQuality;
      w.ssnDq[row] = p.ssnDataQuality;
      for (let i = 0; i < features.length; i++) {
        const f = features[i]!;
        const out = outs[this.featRoot[i]!]?.feats[this.featSlot[i]!];
        // Element loops, not TypedArray#set: the values are a few dozen bytes, below set's call cost.
        if (f.kind === 'bloom') {
          const bits = salted ? this.saltedBloom(f, roots, outs) : (out as Uint8Array | undefined);
          if (bits) {
            const col = w.columns[i] as Uint8Array;
            for (let b = 0, at = row * bits.length; b < bits.length; b++) col[at + b] = bits[b]!;
          }
        } else if (f.kind === 'hash') w.columns[i]![row] = (out as number | undefined) ?? 0;
        else if (out) {
          const col = w.columns[i] as Uint32Array;
          const hs = out as readonly number[];
          for (let k = 0, n = Math.min(hs.length, f.max), at = row * f.max; k < n; k++) col[at + k] = hs[k]!;
        }
      }
      for (let k = 0; k < this.passPlans.length; k++) {
        const nk = this.blockKeys(this.passPlans[k]!, outs);
        w.block(k, this.keysOut, nk);
      }
    }
    return w.finish();
  }

  /** Normalises a person and fills `this.outs` with each root's outputs; returns the root keys. */
  private resolveRoots(p: PersonToEncode): PersonRoots {
    const roots = personRoots(p);
    const outs = this.outs;
    for (let k = 0; k < ROOTS.length; k++) {
      const r = ROOTS[k]!;
      const key = roots[r];
      outs[k] = key === undefined ? undefined : this.root(r, key);
    }
    return roots;
  }

  /** Encodes one person into a batch under construction. */
  encodeInto(p: PersonToEncode, b: BatchBuilder): void {
    if (this.disposed) throw new TypeError('encoder was disposed');
    const roots = this.resolveRoots(p);
    const outs = this.outs;
    b.start(p.id, p.nameDataQuality, p.dobDataQuality, p.ssnDataQuality);
    const features = this.schema.features;
    const salted = this.schema.hardening.salt !== null;
    for (let i = 0; i < features.length; i++) {
      const f = features[i]!;
      const out = outs[this.featRoot[i]!]?.feats[this.featSlot[i]!];
      if (f.kind === 'bloom') {
        if (salted) b.bloom(f.name, this.saltedBloom(f, roots, outs));
        else b.bloom(f.name, out as Uint8Array | undefined);
      } else if (f.kind === 'hash') b.hash(f.name, (out as number | undefined) ?? 0);
      else b.set(f.name, (out as Uint32Array | undefined) ?? EMPTY_PARTS);
    }
    for (const plan of this.passPlans) {
      const nk = this.blockKeys(plan, outs);
      b.block(plan.name, this.keysOut.subarray(0, nk));
    }
  }

  private root(r: Root, key: string): RootOut {
    const cache = this.rootCache.get(r)!;
    const stats = this.cacheStats.get(r)!;
    if (stats.on) {
      const cached = cache.get(key);
      stats.lookups++;
      if (cached) {
        stats.hits++;
        return cached;
      }
      if (stats.lookups === CACHE_PROBE && stats.hits < CACHE_MIN_HIT_RATE * CACHE_PROBE) {
        stats.on = false;
        cache.clear();
      }
    }
    const src = rootSources(r, key);
    const list = this.rootFeatures.get(r)!;
    const feats: RootOut['feats'] = new Array(list.length);
    const partList = this.rootParts.get(r)!;
    const parts: RootOut['parts'] = new Array(partList.length);
    // Every keyed hash this value needs goes into one kernel batch (four HMACs at a time, each under
    // its own key); whatever the batch cannot take is hashed one by one.
    const batch = this.batch;
    batch.begin();
    for (let slot = 0; slot < list.length; slot++) {
      const i = list[slot]!;
      const f = this.schema.features[i]!;
      const h = f.kind === 'bloom' ? undefined : this.groupHash.get(f.keyGroup)!;
      if (f.kind === 'bloom') {
        const v = src.values[f.source];
        if (v !== undefined) feats[slot] = this.bloom(f, v, '');
      } else if (f.kind === 'hash') {
        const v = src.values[f.source];
        if (v !== undefined) feats[slot] = batch.add(h!, v);
      } else if (f.source in MASK_SETS) {
        const base = src.values[MASK_SETS[f.source as MaskSet]];
        if (base !== undefined) feats[slot] = batch.addMasks(h!, base, f.max);
      } else {
        const vs = src.sets[f.source as Exclude<typeof f.source, MaskSet>];
        if (vs) feats[slot] = batch.addAll(h!, vs, f.max);
      }
    }
    for (let slot = 0; slot < partList.length; slot++) {
      const part = partList[slot]!;
      const vs = src.parts[part];
      if (!vs || vs.length === 0) continue;
      parts[slot] = batch.addAll(this.spaceHash.get(PART_INFO[part].space)!, vs, vs.length);
    }
    batch.run(feats, parts);
    const saltValues: RootOut['saltValues'] = {};
    if (src.values.dobYear) saltValues.dobYear = src.values.dobYear;
    if (src.values.sex) saltValues.sex = src.values.sex;
    const out = { feats, parts, saltValues };
    if (stats.on) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, out);
    }
    return out;
  }

  private saltedBloom(f: BloomSpec, roots: PersonRoots, outs: Outs): Uint8Array | undefined {
    const root = SOURCE_ROOT[f.source];
    const key = roots[root];
    if (key === undefined) return undefined;
    const v = rootSources(root, key).values[f.source];
    if (v === undefined) return undefined;
    const saltSource = this.schema.hardening.salt!;
    const salt = outs[ROOT_INDEX[saltSource === 'sex' ? 'sex' : 'dob']]?.saltValues[saltSource] ?? '';
    const cacheKey = `${f.name}\u001f${salt}\u001f${v}`;
    let bits = this.saltedCache.get(cacheKey);
    if (!bits) {
      bits = this.bloom(f, v, salt);
      if (this.saltedCache.size >= CACHE_LIMIT) this.saltedCache.clear();
      this.saltedCache.set(cacheKey, bits);
    }
    return bits;
  }

  private bloom(f: BloomSpec, value: string, salt: string): Uint8Array {
    const hd = this.schema.hardening;
    const h = this.groupHash.get(f.keyGroup)!;
    let bits: Uint8Array = new Uint8Array(f.bits / 8);
    for (const token of tokenise(value, f.tokens)) {
      const msg = hd.salt ? `${salt}\u001f${token}` : token;
      for (let round = 0, done = 0; done < f.k; round++) {
        h.digestWords(round === 0 ? msg : `${msg}\u0000${round}`, this.words);
        for (let w = 0; w < 8 && done < f.k; w++) {
          const word = this.words[w]!;
          setBit(bits, (word >>> 16) % f.bits);
          if (++done < f.k) {
            setBit(bits, (word & 0xffff) % f.bits);
            done++;
          }
        }
      }
    }
    if (hd.diffusion) bits = diffuse(bits, this.taps.get(f.name)!, hd.diffusion.t);
    if (hd.rule90) bits = rule90(bits);
    if (hd.balance) bits = balance(bits, this.perms.get(f.name)!);
    for (let i = 0; i < hd.xorFolds; i++) bits = xorFold(bits);
    if (hd.blip > 0)
      bits = blip(
        bits,
        hd.blip,
        new KeyedStream(this.hardenHash, `blip:${f.keyGroup}:${salt}\u001f${value}`),
      );
    return bits;
  }

  /** Position of `part` in root k's part list (−1 when the root does not produce it). */
  private slotOf(k: number, part: BlockPart): number {
    return this.partSlot[k * BLOCK_PARTS.length + PART_INDEX[part]]!;
  }

  /**
   * The keys of one blocking pass: every combination of its parts' component hashes, mixed into the
   * pass seed, finalised, duplicates removed (first occurrence kept). Leaves them in `keysOut` and
   * returns how many; works in reused typed arrays, as this runs for every pass of every record.
   */
  private blockKeys(plan: PassPlan, outs: Outs): number {
    let a = this.combA;
    let b = this.combB;
    let na = 1;
    a[0] = plan.seed;
    for (let p = 0; p < plan.parts.length; p++) {
      const [root, slot] = plan.parts[p]!;
      let nb = 0;
      if (root < 0) {
        const first = outs[FIRST]?.parts;
        const f1 = first?.[this.slotOf(FIRST, 'firstSoundex')] ?? EMPTY_PARTS;
        const f2 = first?.[this.slotOf(FIRST, 'firstCanonicalSoundex')] ?? EMPTY_PARTS;
        const l = outs[LAST]?.parts[this.slotOf(LAST, 'lastSoundex')]?.[0];
        if (l === undefined || f1.length + f2.length === 0) return 0;
        if (na * (f1.length + f2.length) > b.length) b = new Int32Array(2 * na * (f1.length + f2.length));
        for (let c = 0; c < na; c++) {
          const x = a[c]!;
          for (const f of f1) b[nb++] = mix(mix(x, Math.min(f, l)), Math.max(f, l));
          for (const f of f2) b[nb++] = mix(mix(x, Math.min(f, l)), Math.max(f, l));
        }
      } else {
        const vs = outs[root]?.parts[slot];
        if (!vs || vs.length === 0) return 0;
        if (na * vs.length > b.length) b = new Int32Array(2 * na * vs.length);
        for (let c = 0; c < na; c++) {
          const x = a[c]!;
          for (let v = 0; v < vs.length; v++) b[nb++] = mix(x, vs[v]!);
        }
      }
      const t = a;
      a = b;
      b = t;
      na = nb;
    }
    this.combA = a;
    this.combB = b;
    if (na > this.keysOut.length) this.keysOut = new Uint32Array(2 * na);
    const keys = this.keysOut;
    let nk = 0;
    for (let c = 0; c < na; c++) {
      const k = fmix(a[c]!);
      let seen = false;
      for (let q = 0; q < nk && !seen; q++) seen = keys[q] === k;
      if (!seen) keys[nk++] = k;
    }
    return nk;
  }

  /** Wipes every derived key and cache. The encoder cannot be used afterwards. */
  dispose(): void {
    for (const h of this.groupHash.values()) h.dispose();
    for (const h of this.spaceHash.values()) h.dispose();
    this.hardenHash.dispose();
    for (const c of this.rootCache.values()) c.clear();
    this.saltedCache.clear();
    this.passSeed.clear();
    this.disposed = true;
  }
}

/**
 * Typed columns of a batch of known size, filled row by row: what `BatchBuilder` produces, written
 * in place (missing filters and set slots stay zero).
 */
class ColumnWriter {
  readonly ids: string[];
  readonly nameDq: Uint8Array;
  readonly dobDq: Uint8Array;
  readonly ssnDq: Uint8Array;
  /** Per feature index: its column (Bloom: n × bytes; hash: n; set: n × max). */
  readonly columns: (Uint8Array | Uint32Array)[];
  /** Per feature index: bytes of a filter, 1 for a hash, max for a set. */
  readonly widths: number[];
  private readonly offsets: Uint32Array[];
  private readonly keys: { data: Uint32Array; n: number }[];
  private readonly rows: Int32Array;

  constructor(
    private readonly schema: LinkageSchema,
    private readonly n: number,
  ) {
    this.ids = new Array(n);
    this.nameDq = new Uint8Array(n);
    this.dobDq = new Uint8Array(n);
    this.ssnDq = new Uint8Array(n);
    this.widths = schema.features.map((f) =>
      f.kind === 'bloom' ? bloomBytes(schema, f.bits) : f.kind === 'hash' ? 1 : f.max,
    );
    this.columns = schema.features.map((f, i) =>
      f.kind === 'bloom' ? new Uint8Array(n * this.widths[i]!) : new Uint32Array(n * this.widths[i]!),
    );
    this.offsets = schema.blocking.map(() => new Uint32Array(n + 1));
    this.keys = schema.blocking.map(() => ({ data: new Uint32Array(Math.max(16, 2 * n)), n: 0 }));
    this.rows = new Int32Array(schema.blocking.length);
  }

  /** Appends the keys of pass k for its next row. */
  /** Appends the first `n` of `keys` as the keys of pass k for its next row. */
  block(k: number, keys: Uint32Array, n: number): void {
    const col = this.keys[k]!;
    if (col.n + n > col.data.length) {
      const grown = new Uint32Array(Math.max(2 * col.data.length, col.n + n));
      grown.set(col.data.subarray(0, col.n));
      col.data = grown;
    }
    for (let i = 0; i < n; i++) col.data[col.n++] = keys[i]!;
    this.offsets[k]![++this.rows[k]!] = col.n;
  }

  finish(): EncodedBatch {
    const blooms: Record<string, Uint8Array> = {};
    const hashes: Record<string, Uint32Array> = {};
    const sets: Record<string, Uint32Array> = {};
    this.schema.features.forEach((f, i) => {
      const c = this.columns[i]!;
      if (f.kind === 'bloom') blooms[f.name] = c as Uint8Array;
      else if (f.kind === 'hash') hashes[f.name] = c as Uint32Array;
      else sets[f.name] = c as Uint32Array;
    });
    const blocks = Object.fromEntries(
      this.schema.blocking.map((p, k) => [
        p.name,
        { offsets: this.offsets[k]!, keys: this.keys[k]!.data.slice(0, this.keys[k]!.n) },
      ]),
    );
    return {
      length: this.n,
      ids: this.ids,
      nameDq: this.nameDq,
      dobDq: this.dobDq,
      ssnDq: this.ssnDq,
      blooms,
      hashes,
      sets,
      blocks,
    };
  }
}

/**
 * The keyed hashes (`|| 1`) one new root value needs, queued in the HMAC kernel and run in one go.
 * A queued hash is a placeholder (a negative number: −1 − request index) in the root's output
 * until `run` replaces it; without the kernel, or for a message the kernel does not take, the hash
 * is computed at once. The outputs are the same either way.
 */
class HashBatch {
  private readonly kernel = HmacKernel.get();
  private pending = false;

  begin(): void {
    this.kernel?.begin();
    this.pending = false;
  }

  /** The hash of one value, or a placeholder. */
  add(h: KeyedHash, value: string): number {
    if (this.kernel && h.kernelSlot >= 0) {
      const k = this.kernel.queue(h.kernelSlot, value);
      if (k >= 0) {
        this.pending = true;
        return -1 - k;
      }
    }
    return h.word(value) || 1;
  }

  /** The hashes of the first `max` values. */
  addAll(h: KeyedHash, values: readonly string[], max: number): number[] {
    const n = Math.min(values.length, max);
    const out = new Array<number>(n);
    for (let k = 0; k < n; k++) out[k] = this.add(h, values[k]!);
    return out;
  }

  /** The hashes of the first `max` masks of `value` (see `masks`), queued without their strings. */
  addMasks(h: KeyedHash, value: string, max: number): number[] {
    const n = Math.min(value.length, max);
    const out = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const q = this.kernel && h.kernelSlot >= 0 ? this.kernel.queueMask(h.kernelSlot, value, k) : -1;
      if (q >= 0) this.pending = true;
      out[k] = q >= 0 ? -1 - q : h.word(mask(value, k)) || 1;
    }
    return out;
  }

  /** Runs the queued hashes and replaces the placeholders in the outputs. */
  run(feats: RootOut['feats'], parts: RootOut['parts']): void {
    if (!this.pending) return;
    const kernel = this.kernel!;
    kernel.flush();
    const fill = (v: number) => (v < 0 ? kernel.firstWord(-1 - v) || 1 : v);
    for (let s = 0; s < feats.length; s++) {
      const f = feats[s];
      if (typeof f === 'number') feats[s] = fill(f);
      else if (Array.isArray(f)) for (let k = 0; k < f.length; k++) (f as number[])[k] = fill(f[k]!);
    }
    for (const p of parts) if (p) for (let k = 0; k < p.length; k++) (p as number[])[k] = fill(p[k]!);
  }
}
