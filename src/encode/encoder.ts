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
import { type FeatureSpec, type LinkageSchema, schemaFingerprint } from './schema.js';
import { personSources, type Sources } from './sources.js';
import { tokenise } from './tokens.js';
import { VERSION } from '../version.js';

const CACHE_LIMIT = 200_000;

type BloomSpec = Extract<FeatureSpec, { kind: 'bloom' }>;

/** A person to encode: its ID and identifying fields (as the readers produce them). */
export interface PersonToEncode extends PersonFields {
  readonly id: string;
}

/**
 * Encodes persons with a secret key and a linkage schema.
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
  private readonly blockHash = new Map<string, KeyedHash>();
  private readonly hardenHash: KeyedHash;
  private readonly perms = new Map<string, Uint32Array>();
  private readonly taps = new Map<string, Uint32Array>();
  private readonly bloomCache = new Map<string, Map<string, Uint8Array>>();
  private readonly hashCache = new Map<string, Map<string, number>>();
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
    for (const f of this.schema.features) {
      if (!this.groupHash.has(f.keyGroup)) this.groupHash.set(f.keyGroup, sub(`group:${f.keyGroup}`));
      if (f.kind === 'bloom') this.bloomCache.set(f.name, new Map());
      else this.hashCache.set(f.name, new Map());
    }
    for (const p of this.schema.blocking) this.blockHash.set(p.name, sub(`block:${p.name}`));
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
    const s = personSources(p);
    b.start(p.id, p.nameDataQuality, p.dobDataQuality, p.ssnDataQuality);
    for (const f of this.schema.features) {
      if (f.kind === 'bloom') {
        const v = s.values[f.source];
        b.bloom(f.name, v === undefined ? undefined : this.bloom(f, v, s));
      } else if (f.kind === 'hash') {
        const v = s.values[f.source];
        b.hash(f.name, v === undefined ? 0 : this.hash(f.name, f.keyGroup, v));
      } else {
        const vs = s.sets[f.source] ?? [];
        b.set(
          f.name,
          vs.slice(0, f.max).map((v) => this.hash(f.name, f.keyGroup, v)),
        );
      }
    }
    for (const pass of this.schema.blocking) b.block(pass.name, this.blockKeys(pass.name, pass.parts, s));
  }

  private hash(feature: string, group: string, value: string): number {
    const cache = this.hashCache.get(feature)!;
    let h = cache.get(value);
    if (h === undefined) {
      h = this.groupHash.get(group)!.word(value) || 1;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(value, h);
    }
    return h;
  }

  private bloom(f: BloomSpec, value: string, s: Sources): Uint8Array {
    const hd = this.schema.hardening;
    const salt = hd.salt ? (s.values[hd.salt] ?? '') : '';
    const cacheKey = `${salt}\u001f${value}`;
    const cache = this.bloomCache.get(f.name)!;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
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
    if (hd.blip > 0) bits = blip(bits, hd.blip, new KeyedStream(this.hardenHash, `blip:${f.name}:${cacheKey}`));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, bits);
    return bits;
  }

  private blockKeys(pass: string, parts: readonly string[], s: Sources): number[] {
    let combos: string[] = [''];
    for (const part of parts) {
      const vs = s.blockParts[part as keyof Sources['blockParts']];
      if (!vs || vs.length === 0) return [];
      const next: string[] = [];
      for (const c of combos) for (const v of vs) next.push(c === '' ? v : `${c}\u001f${v}`);
      combos = next;
    }
    const h = this.blockHash.get(pass)!;
    return [...new Set(combos.map((c) => h.word(c) || 1))];
  }

  /** Wipes every derived key and cache. The encoder cannot be used afterwards. */
  dispose(): void {
    for (const h of this.groupHash.values()) h.dispose();
    for (const h of this.blockHash.values()) h.dispose();
    this.hardenHash.dispose();
    for (const c of this.bloomCache.values()) c.clear();
    for (const c of this.hashCache.values()) c.clear();
    this.disposed = true;
  }
}
