/**
 * The record encoder: normalised sources → keyed Bloom filters, keyed hashes and keyed blocking
 * keys. This is the only module (with key.ts) that holds key material; it derives one HKDF subkey per
 * key group, blocking pass and hardening step, never exposes them, and wipes them on `dispose()`.
 */
import type { PersonFields } from '../read/types.js';
import { BatchBuilder, type EncodedBatch, type EncodedMeta, type Party } from './batch.js';
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
import { DEFAULT_SCHEMA } from './default-schema.js';
import { type BlockPart, type FeatureSpec, type LinkageSchema, schemaFingerprint } from './schema.js';
import { PART_INFO, type PersonRoots, personRoots, type Root, ROOTS, rootSources, SOURCE_ROOT } from './sources.js';
import { tokenise } from './tokens.js';
import { VERSION } from '../version.js';

const CACHE_LIMIT = 200_000;

type BloomSpec = Extract<FeatureSpec, { kind: 'bloom' }>;

/** A person to encode: its ID and identifying fields (as the readers produce them). */
export interface PersonToEncode extends PersonFields {
  readonly id: string;
}

/** Everything one root value encodes to: per feature index its output, per blocking part its component hashes. */
interface RootOut {
  readonly feats: Map<number, number | Uint32Array | Uint8Array>;
  readonly parts: Partial<Record<BlockPart, Uint32Array>>;
  readonly saltValues: Partial<Record<'dobYear' | 'sex', string>>;
}

const EMPTY_PARTS = new Uint32Array(0);

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

  constructor(key: Uint8Array, opts: { party: Party; schema?: LinkageSchema }) {
    if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES) throw new RangeError('key must be at least 16 bytes');
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
    this.hardenHash = sub('hardening');
    const hd = this.schema.hardening;
    for (const f of this.schema.features) {
      if (f.kind !== 'bloom') continue;
      if (hd.diffusion) this.taps.set(f.name, diffusionTaps(new KeyedStream(this.hardenHash, `taps:${f.name}`), f.bits, hd.diffusion.t));
      if (hd.balance) this.perms.set(f.name, keyedPermutation(new KeyedStream(this.hardenHash, `perm:${f.name}`), 2 * f.bits));
    }
  }

  /** Encodes persons into a columnar batch. */
  encodeBatch(persons: Iterable<PersonToEncode>): EncodedBatch {
    const b = new BatchBuilder(this.schema);
    for (const p of persons) this.encodeInto(p, b);
    return b.finish();
  }

  /** Encodes one person into a batch under construction. */
  encodeInto(p: PersonToEncode, b: BatchBuilder): void {
    if (this.disposed) throw new TypeError('encoder was disposed');
    const roots = personRoots(p);
    const outs: Partial<Record<Root, RootOut>> = {};
    for (const r of ROOTS) {
      const key = roots[r];
      if (key !== undefined) outs[r] = this.root(r, key);
    }
    b.start(p.id, p.nameDataQuality, p.dobDataQuality, p.ssnDataQuality);
    this.schema.features.forEach((f, i) => {
      const out = outs[SOURCE_ROOT[f.source]]?.feats.get(i);
      if (f.kind === 'bloom') {
        if (this.schema.hardening.salt) b.bloom(f.name, this.saltedBloom(f, roots, outs));
        else b.bloom(f.name, out as Uint8Array | undefined);
      } else if (f.kind === 'hash') b.hash(f.name, (out as number | undefined) ?? 0);
      else b.set(f.name, (out as Uint32Array | undefined) ?? EMPTY_PARTS);
    });
    for (const pass of this.schema.blocking) b.block(pass.name, this.blockKeys(pass.name, pass.parts, outs));
  }

  private root(r: Root, key: string): RootOut {
    const cache = this.rootCache.get(r)!;
    let out = cache.get(key);
    if (out) return out;
    const src = rootSources(r, key);
    const feats = new Map<number, number | Uint32Array | Uint8Array>();
    for (const i of this.rootFeatures.get(r)!) {
      const f = this.schema.features[i]!;
      if (f.kind === 'bloom') {
        const v = src.values[f.source];
        if (v !== undefined) feats.set(i, this.bloom(f, v, ''));
      } else if (f.kind === 'hash') {
        const v = src.values[f.source];
        if (v !== undefined) feats.set(i, this.groupHash.get(f.keyGroup)!.word(v) || 1);
      } else {
        const vs = src.sets[f.source];
        if (vs) feats.set(i, Uint32Array.from(vs.slice(0, f.max), (v) => this.groupHash.get(f.keyGroup)!.word(v) || 1));
      }
    }
    const parts: Partial<Record<BlockPart, Uint32Array>> = {};
    for (const part of this.rootParts.get(r)!) {
      const vs = src.parts[part];
      if (!vs || vs.length === 0) continue;
      const h = this.spaceHash.get(PART_INFO[part].space)!;
      parts[part] = Uint32Array.from(vs, (v) => h.word(v) || 1);
    }
    const saltValues: RootOut['saltValues'] = {};
    if (src.values.dobYear) saltValues.dobYear = src.values.dobYear;
    if (src.values.sex) saltValues.sex = src.values.sex;
    out = { feats, parts, saltValues };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, out);
    return out;
  }

  private saltedBloom(f: BloomSpec, roots: PersonRoots, outs: Partial<Record<Root, RootOut>>): Uint8Array | undefined {
    const root = SOURCE_ROOT[f.source];
    const key = roots[root];
    if (key === undefined) return undefined;
    const v = rootSources(root, key).values[f.source];
    if (v === undefined) return undefined;
    const saltSource = this.schema.hardening.salt!;
    const salt = outs[saltSource === 'sex' ? 'sex' : 'dob']?.saltValues[saltSource] ?? '';
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
    if (hd.blip > 0) bits = blip(bits, hd.blip, new KeyedStream(this.hardenHash, `blip:${f.name}:${salt}\u001f${value}`));
    return bits;
  }

  private blockKeys(pass: string, parts: readonly BlockPart[], outs: Partial<Record<Root, RootOut>>): number[] {
    const seed = this.passSeed.get(pass)!;
    let combos: number[] = [seed];
    for (const part of parts) {
      if (part === 'nameSoundexPair') {
        const f1 = outs.first?.parts.firstSoundex ?? EMPTY_PARTS;
        const f2 = outs.first?.parts.firstCanonicalSoundex ?? EMPTY_PARTS;
        const l = outs.last?.parts.lastSoundex?.[0];
        if (l === undefined || f1.length + f2.length === 0) return [];
        const next: number[] = [];
        for (const c of combos) {
          for (const f of [...f1, ...f2]) next.push(mix(mix(c, Math.min(f, l)), Math.max(f, l)));
        }
        combos = next;
        continue;
      }
      const info = PART_INFO[part];
      const vs = info.root === 'name' ? undefined : outs[info.root]?.parts[part];
      if (!vs || vs.length === 0) return [];
      const next: number[] = [];
      for (const c of combos) for (const v of vs) next.push(mix(c, v));
      combos = next;
    }
    return [...new Set(combos.map(fmix))];
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
