/**
 * The record encoder: normalised sources → keyed Bloom filters, keyed hashes and keyed blocking
 * keys. This is the only module (with key.ts) that holds key material; it derives one HKDF subkey per
 * key group, blocking pass and hardening step, never exposes them, and wipes them on `dispose()`.
 */

import type { BatchBuilder, EncodedBatch, EncodedMeta, Party } from '../encoded/batch.js';
import { ENCODED_FORMAT_VERSION } from '../encoded/batch.js';
import { ColumnWriter } from '../encoded/columns.js';
import { DEFAULT_SCHEMA } from '../encoded/default-schema.js';
import { type LinkageSchema, schemaFingerprint } from '../encoded/schema.js';
import { BloomlinkError } from '../errors.js';
import { isDoePair } from '../normalise/names.js';
import type { PersonFields } from '../records.js';
import { VERSION } from '../version.js';
import { BlockKeyer, type PassPlan } from './block-keys.js';
import { BloomMaker, type BloomSpec } from './bloom-maker.js';
import { HashQueue } from './hash-queue.js';
import { KeyedHash } from './hmac.js';
import { deriveSubkey, keyCheck, MIN_KEY_BYTES } from './key.js';
import { type FeatureSlot, featureSlots, KIND, type RootLayout, rootLayouts } from './root-layout.js';
import { RootTable } from './root-table.js';
import {
  DOB_KEYS,
  dobYearOf,
  MASK_SETS,
  type MaskSet,
  nameFieldKey,
  otherRootKeys,
  PART_INFO,
  ROOTS,
  type RootKey,
  type RootSources,
  rootKeys,
  rootSources,
  SOURCE_ROOT,
} from './sources.js';

/**
 * A person to encode: its ID and identifying fields (as the readers produce them), and the plan
 * member ID the person is known under — a member's own `MemberID`, a client's `MCPMemberID` when
 * the CoC knows it — which is only ever written as a keyed hash (the `memberId` source). With
 * pseudonyms, `id` is the pseudonym and `memberId` is still the real member ID.
 * @example
 * ```ts
 * const p: PersonToEncode = { id: 'C1', firstName: 'Ann', lastName: 'Lee', dob: '1980-02-03',
 *   nameDataQuality: 1, dobDataQuality: 1, ssnDataQuality: 99, memberId: 'M123456789' };
 * ```
 */
export interface PersonToEncode extends PersonFields {
  readonly id: string;
  readonly memberId?: string | undefined;
}

const FIRST = ROOTS.indexOf('first');
const MIDDLE = ROOTS.indexOf('middle');
const LAST = ROOTS.indexOf('last');
const SEX = ROOTS.indexOf('sex');
const DOB = ROOTS.indexOf('dob');
const SSN = ROOTS.indexOf('ssn');
const MEMBER_ID = ROOTS.indexOf('memberId');
const SALTED_CACHE_LIMIT = 200_000;
/** Records a kernel flush at most (see `RecordEncoder.groupSize`). */
const GROUP = 4;
const EMPTY: readonly number[] = [];

/** A stand-in key for {@link checkSelfRoot} (a made-up value: no record's). */
const SELF_PROBE = '123456789';

/**
 * Throws unless every feature source and blocking part of `layout`'s root is the root key itself,
 * as `RecordEncoder.buildSelf` assumes for a `selfRoot` (SSN, member ID): each keyed hash's source
 * and each mask set's base is the key, and each blocking part has exactly one value, the key. A
 * source added to such a root later then fails when the encoder is built, not with wrong outputs.
 */
function checkSelfRoot(layout: RootLayout): void {
  const src = rootSources(layout.root, SELF_PROBE);
  const fail = (what: string): never => {
    throw new BloomlinkError(
      'INTERNAL',
      `encoder: ${what} of root '${layout.root}' is not the root key itself, which buildSelf assumes`,
    );
  };
  for (const f of layout.feats) {
    const v =
      f.kind === KIND.masks
        ? src.values[MASK_SETS[f.spec.source as MaskSet]]
        : src.values[f.spec.source as keyof RootSources['values']];
    if (v !== SELF_PROBE) fail(`feature '${f.spec.name}'`);
  }
  for (const part of layout.parts) {
    const vs = src.parts[part];
    if (vs === undefined || vs.length !== 1 || vs[0] !== SELF_PROBE) fail(`blocking part '${part}'`);
  }
}

/**
 * Encodes persons with a secret key and a linkage schema.
 *
 * Every keyed value is HMAC-SHA256 under an HKDF subkey of the key group (features that must be
 * comparable with each other share a group). Blocking keys combine keyed component hashes with a
 * keyed per-pass seed. Results are cached per root value (a first name, a DOB, …) in flat typed
 * arrays, so repeated values cost one map lookup and a few copies.
 * @example
 * ```ts
 * import { RecordEncoder, parseKey } from 'bloomlink/encode';
 * const enc = new RecordEncoder(parseKey(keyHex), { party: 'coc' });
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
  private readonly hardenHash: KeyedHash;
  private readonly blooms: BloomMaker;
  private readonly salt: 'dobYear' | 'sex' | null;
  private readonly saltedCache = new Map<string, Uint8Array>();
  private disposed = false;
  /** Whether the schema has a feature or blocking part of the member ID (else its root is skipped). */
  private readonly usesMemberId: boolean;
  /** Per root (by `ROOTS` index): its entry layout and its cache. */
  private readonly layouts: RootLayout[];
  private readonly tables: RootTable[];
  /** Per root of a layout feature / part: the keyed hash it is computed with. */
  private readonly featHash: (KeyedHash | undefined)[][];
  private readonly partHash: KeyedHash[][];
  /** Every feature's place, by feature index, and the same as flat arrays for the hot loop. */
  private readonly slots: FeatureSlot[];
  private readonly fKind: Int8Array;
  private readonly fRoot: Int8Array;
  private readonly fOff: Int32Array;
  private readonly fWidth: Int32Array;
  /** Per feature: 1 when a Bloom feature's bytes are whole aligned words in the entry and column. */
  private readonly fWords: Uint8Array;
  /**
   * The features `copyRow` copies, by how: keyed hashes (one word), hash sets (`width` words),
   * Bloom filters of whole words; `fOther`, the rest (byte-wise and salted filters), goes through
   * the per-kind branches. Each list: feature indices, then per entry root, word offset, width.
   */
  private readonly fHash: Int32Array;
  private readonly fSet: Int32Array;
  private readonly fBloomWords: Int32Array;
  private readonly fOther: Int32Array;
  /**
   * Per root: the words, from an entry's start, that {@link RecordEncoder.touch} reads ahead, as
   * `[from, to]` pairs: the filters before the start, the fixed words, and one word per part of the
   * part runs after them (each run has at least its count, so this stays inside the entry). And
   * what the touch read, kept so its reads are not dropped (in an array: as a field it would turn
   * from a small integer into a heap number and deoptimise its readers).
   */
  private readonly entrySpan: Int32Array;
  private readonly touched = new Int32Array(1);
  /** The roots {@link RecordEncoder.touch} reads ahead: all but those of `selfRoot` and sex. */
  private readonly touchRoots: Int32Array;
  private readonly passPlans: PassPlan[];
  private readonly passNames: string[];
  private readonly keyer = new BlockKeyer(FIRST, LAST);
  private readonly queue = new HashQueue();
  /** Per record scratch: root keys, and the start of each root's entry (−1: root absent). */
  private readonly keys: (RootKey | undefined)[] = ROOTS.map(() => undefined);
  private readonly starts = new Int32Array(ROOTS.length);
  /**
   * Records encoded per kernel flush: a record has about 13 keyed hashes to compute (SSN, its masks,
   * member ID), which the four-lane kernel pads to 16; four records' 52 fill whole passes and share
   * one flush (docs/scaling.md "Encoding, round eleven"). One with salted filters, which read the
   * record's root keys while copying.
   */
  private readonly groupSize: number;
  /** The `starts` of each record of a group, one after another, and a view of each record's. */
  private readonly groupStarts: Int32Array;
  private readonly group: Int32Array[];
  /**
   * Per name root (first, middle, last; `undefined` with salted filters, which need the name keys):
   * the raw cells seen, each with its root entry's start + 1 (0: no key), the root table's
   * generation then, and its `doeNameCode`. Names repeat heavily and arrive as the same cell text,
   * so a repeated cell skips normalising and the lookup of its normalised key: one probe of a
   * table of cell text instead (docs/scaling.md "Encoding, round seven").
   */
  private readonly aliases: (RootTable | undefined)[];
  /**
   * Sex keys found in their table (at most four) and their entry starts, while the table's
   * generation is `sexGeneration` (see {@link RecordEncoder.findSex}).
   */
  private readonly sexKeys: string[] = ['', '', '', ''];
  private readonly sexStarts = new Int32Array(4);
  private sexSeen = 0;
  private sexGeneration = -1;
  /** `doeNameCode` of the last `alias` answer. */
  private aliasCode = 0;
  /**
   * Per root: 1 when its every feature is a keyed hash or a mask set of the root key itself and its
   * every blocking part is the key (SSN, member ID in the default schema): such a root's values are
   * unique, so its entry is built for nearly every record, and {@link RecordEncoder.buildSelf}
   * queues its hashes from flat arrays without a sources object or a keyed property lookup.
   */
  private readonly selfRoot: Uint8Array;
  /** Per root: its features' kinds, word offsets and widths, as flat arrays for `buildSelf`. */
  private readonly rootKind: Int8Array[];
  private readonly rootOff: Int32Array[];
  private readonly rootWidth: Int32Array[];

  /**
   * @param opts - `party` and `schema` (default: the default schema) of the output; `cellAliases`
   *   (default true) looks repeated name cells up by their text (see `aliases`): false normalises
   *   every name whole, with the same output (tests compare the two); `cacheLimit` (default
   *   200,000) bounds each root and alias table before it starts over (smaller in tests of a restart)
   */
  constructor(
    key: Uint8Array,
    opts: { party: Party; schema?: LinkageSchema; cellAliases?: boolean; cacheLimit?: number },
  ) {
    if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES)
      throw new RangeError('key must be at least 16 bytes');
    this.schema = opts.schema ?? DEFAULT_SCHEMA;
    const fp = schemaFingerprint(this.schema);
    this.meta = {
      format: 'bloomlink-encoded',
      formatVersion: ENCODED_FORMAT_VERSION,
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
    for (const f of this.schema.features)
      if (!this.groupHash.has(f.keyGroup)) this.groupHash.set(f.keyGroup, sub(`group:${f.keyGroup}`));
    this.layouts = rootLayouts(this.schema);
    const ml = this.layouts[MEMBER_ID];
    this.usesMemberId = ml !== undefined && ml.feats.length + ml.parts.length > 0;
    for (const l of this.layouts)
      for (const part of l.parts) {
        const space = PART_INFO[part].space;
        if (!this.spaceHash.has(space)) this.spaceHash.set(space, sub(`blockpart:${space}`));
      }
    this.tables = this.layouts.map(
      (l) =>
        new RootTable(
          l.bloomStride,
          l.root === 'dob' ? DOB_KEYS : l.root === 'ssnLast4' ? 10_000 : 0,
          undefined,
          opts.cacheLimit,
        ),
    );
    this.featHash = this.layouts.map((l) =>
      l.feats.map((s) => (s.kind === KIND.bloom ? undefined : this.groupHash.get(s.spec.keyGroup)!)),
    );
    this.partHash = this.layouts.map((l) => l.parts.map((p) => this.spaceHash.get(PART_INFO[p].space)!));
    this.rootKind = this.layouts.map((l) => Int8Array.from(l.feats, (f) => f.kind));
    this.rootOff = this.layouts.map((l) => Int32Array.from(l.feats, (f) => f.off));
    this.rootWidth = this.layouts.map((l) => Int32Array.from(l.feats, (f) => f.width));
    this.selfRoot = Uint8Array.from(this.layouts, (l, r) =>
      (r === SSN || r === MEMBER_ID) && l.feats.every((f) => f.kind === KIND.hash || f.kind === KIND.masks)
        ? 1
        : 0,
    );
    this.selfRoot.forEach((self, r) => {
      if (self === 1) checkSelfRoot(this.layouts[r]!);
    });
    this.slots = featureSlots(this.schema);
    this.fKind = Int8Array.from(this.slots, (s) => s.kind);
    this.fRoot = Int8Array.from(this.slots, (s) => s.root);
    this.fOff = Int32Array.from(this.slots, (s) => s.off);
    this.fWidth = Int32Array.from(this.slots, (s) => s.width);
    // An entry's filters start on a word (RootTable.bloomAt), so only the feature's own place matters.
    this.fWords = Uint8Array.from(this.slots, (s) =>
      s.kind === KIND.bloom && s.width % 4 === 0 && s.off % 4 === 0 ? 1 : 0,
    );
    const byKind = (keep: (s: FeatureSlot) => boolean) =>
      Int32Array.from(this.slots.filter(keep), (sl) => sl.index);
    this.fHash = byKind((sl) => sl.kind === KIND.hash);
    this.fSet = byKind((sl) => sl.kind === KIND.set || sl.kind === KIND.masks);
    this.fBloomWords = byKind((sl) => this.fWords[sl.index] === 1);
    this.fOther = byKind(
      (sl) => sl.kind === KIND.salted || (sl.kind === KIND.bloom && this.fWords[sl.index] !== 1),
    );
    this.entrySpan = Int32Array.from(
      this.layouts.flatMap((l, r) => [this.tables[r]!.bloomAt(0) >> 2, l.fixed + l.parts.length]),
    );
    const head = (root: number, part: string) =>
      this.layouts[root]!.heads[this.layouts[root]!.parts.indexOf(part as never)]!;
    this.passNames = this.schema.blocking.map((p) => p.name);
    this.passPlans = this.schema.blocking.map((p) => {
      const h = sub(`block:${p.name}`);
      const seed = h.word(p.name);
      h.dispose();
      const roots = Int32Array.from(p.parts, (part) => {
        const root = PART_INFO[part].root;
        return root === 'name' ? -1 : ROOTS.indexOf(root);
      });
      const heads = Int32Array.from(p.parts, (part, k) => (roots[k]! < 0 ? 0 : head(roots[k]!, part)));
      const pair = p.parts.includes('nameSoundexPair')
        ? Int32Array.of(
            head(FIRST, 'firstSoundex'),
            head(FIRST, 'firstCanonicalSoundex'),
            head(LAST, 'lastSoundex'),
          )
        : new Int32Array(3);
      return { seed, roots, heads, pair };
    });
    this.hardenHash = sub('hardening');
    this.blooms = new BloomMaker(this.schema, (g) => this.groupHash.get(g)!, this.hardenHash, this.queue);
    this.touchRoots = Int32Array.from(
      ROOTS.flatMap((_, r) => (this.selfRoot[r] === 1 || r === SEX ? [] : [r])),
    );
    this.salt = this.schema.hardening.salt;
    const hasSalted = this.slots.some((sl) => sl.kind === KIND.salted);
    this.groupSize = hasSalted ? 1 : GROUP;
    this.groupStarts = new Int32Array(GROUP * ROOTS.length);
    this.group = Array.from({ length: GROUP }, (_, j) =>
      this.groupStarts.subarray(j * ROOTS.length, (j + 1) * ROOTS.length),
    );
    const salted = hasSalted || opts.cellAliases === false;
    this.aliases = ROOTS.map((_, r) =>
      !salted && (r === FIRST || r === MIDDLE || r === LAST)
        ? new RootTable(0, 0, undefined, opts.cacheLimit)
        : undefined,
    );
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
    const n = persons.length;
    const w = new ColumnWriter(this.schema, n);
    const { starts, group, groupStarts, tables } = this;
    // Records that can still share a kernel flush before a root or alias table could start over.
    let room = 0;
    for (let row = 0; row < n; ) {
      // A few records' keyed hashes in one kernel flush (see `groupSize`), when no table can start
      // over meanwhile; each record's copies and blocking keys once they are written.
      let g = Math.min(this.groupSize, n - row);
      if (g > room) room = this.headroom();
      if (g > room) g = 1;
      room -= g;
      for (let r = 0; r < tables.length; r++) tables[r]!.rewind();
      for (let j = 0; j < g; j++) {
        this.resolve(persons[row + j]!);
        groupStarts.set(starts, j * ROOTS.length);
      }
      this.touch(groupStarts, g);
      this.queue.flush();
      for (let j = 0; j < g; j++, row++) this.copyRow(w, row, persons[row]!, g === 1 ? starts : group[j]!);
    }
    return w.finish();
  }

  /**
   * Reads a word of each cache line of the entries that `copyRow` will read for the group's `g`
   * records (`starts`: each record's roots, one record after another) before the kernel flush. Entries
   * found through an index that does not read them (DOB and last four by number, names through the
   * raw-cell aliases) are seldom in the CPU's cache, and `copyRow`'s first read of each stalled on
   * them (`--cpu-prof` of `--threads 1`: ≈ half of `copyRow`'s ticks on its keyed-hash line, docs/
   * scaling.md "Encoding, round sixteen"). Here the group's reads go out together, before the flush.
   * The words are summed into `touched` so that the compiler keeps the reads. Only `touchRoots`:
   * the entries of SSN and member ID were just built, and sex has a handful.
   */
  private touch(starts: Int32Array, g: number): void {
    const tables = this.tables;
    const span = this.entrySpan;
    const roots = this.touchRoots;
    let sum = this.touched[0]!;
    for (let j = 0, base = 0; j < g; j++, base += ROOTS.length)
      for (let k = 0; k < roots.length; k++) {
        const r = roots[k]!;
        const s = starts[base + r]!;
        if (s < 0) continue;
        const words = tables[r]!.words;
        const end = s + span[2 * r + 1]!;
        for (let at = s + span[2 * r]!; at < end; at += 16) sum ^= words[at]!;
        sum ^= words[end - 1]!;
      }
    this.touched[0] = sum;
  }

  /** Records that can be encoded before a root or alias table could start over (`RootTable.headroom`). */
  private headroom(): number {
    let room = Infinity;
    for (let r = 0; r < this.tables.length; r++) room = Math.min(room, this.tables[r]!.headroom());
    for (let r = 0; r < this.aliases.length; r++) {
      const al = this.aliases[r];
      if (al !== undefined) room = Math.min(room, al.headroom());
    }
    return room;
  }

  /** Copies row `row`'s features and blocking keys, from the entries at `st`, into the columns. */
  private copyRow(w: ColumnWriter, row: number, p: PersonToEncode, st: Int32Array): void {
    const { fKind, fRoot, fOff, fWidth, tables } = this;
    const bloomCols = w.bloomCols;
    const bloomWords = w.bloomWords;
    const hashCols = w.hashCols;
    const plans = this.passPlans;
    const keyer = this.keyer;
    w.ids[row] = p.id;
    w.nameDq[row] = p.nameDataQuality;
    w.dobDq[row] = p.dobDataQuality;
    w.ssnDq[row] = p.ssnDataQuality;
    // By kind, without the per-feature branches; a root absent leaves its columns zero.
    // Element loops, not TypedArray#set: the values are a few dozen bytes, below set's call cost.
    const fHash = this.fHash;
    for (let j = 0; j < fHash.length; j++) {
      const i = fHash[j]!;
      const r = fRoot[i]!;
      const s = st[r]!;
      if (s >= 0) hashCols[i]![row] = tables[r]!.words[s + fOff[i]!]!;
    }
    const fSet = this.fSet;
    for (let j = 0; j < fSet.length; j++) {
      const i = fSet[j]!;
      const r = fRoot[i]!;
      const s = st[r]!;
      if (s < 0) continue;
      const width = fWidth[i]!;
      const words = tables[r]!.words;
      const col = hashCols[i]!;
      for (let k = 0, from = s + fOff[i]!, at = row * width; k < width; k++) col[at + k] = words[from + k]!;
    }
    const fBloomWords = this.fBloomWords;
    for (let j = 0; j < fBloomWords.length; j++) {
      const i = fBloomWords[j]!;
      const r = fRoot[i]!;
      const s = st[r]!;
      if (s < 0) continue;
      // Whole words: a quarter of the element copies of the byte loop below (the same bytes).
      const t = tables[r]!;
      const src = t.bytes32;
      const col = bloomWords[i]!;
      const nw = fWidth[i]! >>> 2;
      for (let b = 0, from = (t.bloomAt(s) + fOff[i]!) >>> 2, at = row * nw; b < nw; b++)
        col[at + b] = src[from + b]!;
    }
    const fOther = this.fOther;
    for (let j = 0; j < fOther.length; j++) {
      const i = fOther[j]!;
      const r = fRoot[i]!;
      const s = st[r]!;
      if (s < 0) continue;
      const width = fWidth[i]!;
      const col = bloomCols[i]!;
      if (fKind[i] === KIND.bloom) {
        const t = tables[r]!;
        const bytes = t.bytes;
        for (let b = 0, from = t.bloomAt(s) + fOff[i]!, at = row * width; b < width; b++)
          col[at + b] = bytes[from + b]!;
      } else {
        // Salted filters read the record's root keys: their schemas encode one record a group.
        const bits = this.saltedBloom(this.slots[i]!.spec as BloomSpec);
        if (bits) for (let b = 0, at = row * width; b < width; b++) col[at + b] = bits[b]!;
      }
    }
    for (let k = 0; k < plans.length; k++) {
      const n = keyer.keys(plans[k]!, tables, st);
      if (n === 1) w.blockOne(k, row, keyer.out[0]!);
      else w.block(k, row, keyer.out, n);
    }
  }

  /** Encodes one person into a batch under construction. */
  encodeInto(p: PersonToEncode, b: BatchBuilder): void {
    if (this.disposed) throw new TypeError('encoder was disposed');
    this.resolve(p);
    this.queue.flush();
    b.start(p.id, p.nameDataQuality, p.dobDataQuality, p.ssnDataQuality);
    for (const slot of this.slots) {
      const name = slot.spec.name;
      const s = this.starts[slot.root]!;
      const t = this.tables[slot.root]!;
      if (slot.kind === KIND.salted)
        b.bloom(name, s < 0 ? undefined : this.saltedBloom(slot.spec as BloomSpec));
      // A copy: the builder keeps the array, and the table's bytes are reused.
      else if (slot.kind === KIND.bloom)
        b.bloom(
          name,
          s < 0 ? undefined : t.bytes.slice(t.bloomAt(s) + slot.off, t.bloomAt(s) + slot.off + slot.width),
        );
      else if (slot.kind === KIND.hash) b.hash(name, s < 0 ? 0 : t.words[s + slot.off]!);
      else b.set(name, s < 0 ? EMPTY : t.words.subarray(s + slot.off, s + slot.off + slot.width));
    }
    for (let k = 0; k < this.passPlans.length; k++) {
      const nk = this.keyer.keys(this.passPlans[k]!, this.tables, this.starts);
      b.block(this.passNames[k]!, this.keyer.out.subarray(0, nk));
    }
  }

  /**
   * Normalises a person and sets `starts` to each root's entry, building the entries of values not
   * cached; their keyed hashes are queued (computed, four at a time, at the next `queue.flush()`).
   */
  private resolve(p: PersonToEncode): void {
    const keys = this.keys;
    const starts = this.starts;
    const tables = this.tables;
    const memberId = this.usesMemberId ? p.memberId : undefined;
    // Names through the raw-cell aliases when they can decide alone; else the whole name normalised.
    const byAlias = this.aliases[FIRST] !== undefined && this.namesByAlias(p);
    if (byAlias) otherRootKeys(p, keys, memberId);
    else rootKeys(p, keys, memberId);
    for (let r = 0; r < keys.length; r++) {
      if (byAlias && (r === FIRST || r === MIDDLE || r === LAST)) continue;
      const key = keys[r];
      if (key === undefined) {
        starts[r] = -1;
        continue;
      }
      const s = r === SEX ? this.findSex(key as string) : tables[r]!.find(key);
      starts[r] = s >= 0 ? s : this.build(r, key);
    }
  }

  /**
   * `tables[SEX].find(key)` without hashing the key: sex has a handful of values, each compared
   * here with the few seen (the strings the readers give are constants: a pointer compare), and
   * the hit counted as `find` would.
   */
  private findSex(key: string): number {
    const t = this.tables[SEX]!;
    if (t.generation !== this.sexGeneration) {
      this.sexSeen = 0;
      this.sexGeneration = t.generation;
    }
    const n = this.sexSeen;
    for (let i = 0; i < n; i++)
      if (this.sexKeys[i] === key) {
        t.noteHit();
        return this.sexStarts[i]!;
      }
    const s = t.find(key);
    if (s >= 0 && n < this.sexStarts.length) {
      this.sexKeys[n] = key;
      this.sexStarts[n] = s;
      this.sexSeen = n + 1;
    }
    return s;
  }

  /**
   * Sets `starts` of the three name roots from the raw cells, if each field decides its own key
   * (see `nameFieldKey`) and the pair is not the John/Jane Doe placeholder; false (nothing to keep)
   * otherwise. Entries built here are the ones `rootKeys` would have looked up.
   */
  private namesByAlias(p: PersonToEncode): boolean {
    const first = this.alias(FIRST, p.firstName);
    if (first < -1) return false;
    const firstCode = this.aliasCode;
    const last = this.alias(LAST, p.lastName);
    if (last < -1) return false;
    if (isDoePair(firstCode, this.aliasCode)) return false;
    const middle = this.alias(MIDDLE, p.middleName);
    if (middle < -1) return false;
    this.starts[FIRST] = first;
    this.starts[MIDDLE] = middle;
    this.starts[LAST] = last;
    return true;
  }

  /**
   * The entry start of name root r for the raw cell `raw` on its own (−1: no key; `aliasCode` set),
   * building the entry if needed; −2 when the field alone cannot decide (no key from a non-blank
   * cell: its joined form, which the Doe rule needs, is then unknown).
   */
  private alias(r: number, raw: string | undefined): number {
    this.aliasCode = 0;
    if (raw === undefined) return -1;
    const al = this.aliases[r]!;
    // Cells that do not repeat (the alias table switched itself off): normalise the whole name.
    if (!al.cached) return -2;
    const t = this.tables[r]!;
    const a = al.find(raw);
    if (a >= 0 && al.words[a + 2] === t.generation) {
      t.noteHit();
      this.aliasCode = al.words[a + 3]!;
      return al.words[a + 1]! - 1;
    }
    const { key, code } = nameFieldKey(ROOTS[r] as 'first' | 'middle' | 'last', raw);
    if (key === undefined && r !== MIDDLE) return -2;
    let s = -1;
    if (key !== undefined) {
      const found = t.find(key);
      s = found >= 0 ? found : this.build(r, key);
    }
    this.aliasCode = code;
    // An entry of a root that is not cached is overwritten by the next: remember only kept ones.
    if (!t.cached) return s;
    const at = a >= 0 ? a : al.open(4, raw);
    const w = al.words;
    w[at + 1] = s + 1;
    w[at + 2] = t.generation;
    w[at + 3] = code;
    if (a < 0) al.commit(raw, at, 4);
    return s;
  }

  /** Builds root r's entry for `key` (its hashes queued), caches it if the root is cached; returns its start. */
  private build(r: number, key: RootKey): number {
    if (this.selfRoot[r] === 1) return this.buildSelf(r, key as string);
    const src = rootSources(ROOTS[r]!, key);
    const layout = this.layouts[r]!;
    const t = this.tables[r]!;
    const parts = layout.parts;
    let n = layout.fixed;
    for (let k = 0; k < parts.length; k++) n += 1 + (src.parts[parts[k]!]?.length ?? 0);
    const s = t.open(n, key);
    const words = t.words;
    const q = this.queue;
    const feats = layout.feats;
    const hashes = this.featHash[r]!;
    for (let k = 0; k < feats.length; k++) {
      const slot = feats[k]!;
      const spec = slot.spec;
      const at = s + slot.off;
      if (slot.kind === KIND.hash) {
        const v = src.values[spec.source as keyof RootSources['values']];
        if (v !== undefined) q.add(hashes[k]!, v, t, at);
        else words[at] = 0;
      } else if (slot.kind === KIND.masks) {
        const base = src.values[MASK_SETS[spec.source as MaskSet]];
        const m = base === undefined ? 0 : Math.min(base.length, slot.width);
        if (m > 0) q.addMasks(hashes[k]!, base!, m, t, at);
        words.fill(0, at + m, at + slot.width);
      } else if (slot.kind === KIND.set) {
        const vs = src.sets[spec.source as keyof RootSources['sets']];
        const m = vs === undefined ? 0 : Math.min(vs.length, slot.width);
        for (let j = 0; j < m; j++) q.add(hashes[k]!, vs![j]!, t, at + j);
        words.fill(0, at + m, at + slot.width);
      } else {
        const v = src.values[spec.source as keyof RootSources['values']];
        if (v !== undefined) t.bytes.set(this.blooms.make(spec as BloomSpec, v, ''), t.bloomAt(s) + slot.off);
      }
    }
    const partHashes = this.partHash[r]!;
    let run = layout.fixed;
    for (let k = 0; k < parts.length; k++) {
      const vs = src.parts[parts[k]!];
      const m = vs?.length ?? 0;
      words[s + layout.heads[k]!] = run;
      words[s + run] = m;
      for (let j = 0; j < m; j++) q.add(partHashes[k]!, vs![j]!, t, s + run + 1 + j);
      run += 1 + m;
    }
    t.commit(key, s, n);
    return s;
  }

  /**
   * {@link RecordEncoder.build} for a root whose sources are all its key (`selfRoot`): each keyed
   * hash and blocking part of `key`, each mask set of its masks; the same words as `build` writes
   * from `rootSources` (`{ values: { [root]: key }, parts: { [part]: [key] } }`).
   */
  private buildSelf(r: number, key: string): number {
    const layout = this.layouts[r]!;
    const t = this.tables[r]!;
    const nParts = layout.parts.length;
    const n = layout.fixed + 2 * nParts;
    const s = t.open(n, key);
    const words = t.words;
    const q = this.queue;
    const kinds = this.rootKind[r]!;
    const offs = this.rootOff[r]!;
    const widths = this.rootWidth[r]!;
    const hashes = this.featHash[r]!;
    for (let k = 0; k < kinds.length; k++) {
      const at = s + offs[k]!;
      if (kinds[k] === KIND.hash) q.add(hashes[k]!, key, t, at);
      else {
        const width = widths[k]!;
        const m = Math.min(key.length, width);
        if (m > 0) q.addMasks(hashes[k]!, key, m, t, at);
        for (let j = m; j < width; j++) words[at + j] = 0;
      }
    }
    const partHashes = this.partHash[r]!;
    const heads = layout.heads;
    for (let k = 0, run = layout.fixed; k < nParts; k++, run += 2) {
      words[s + heads[k]!] = run;
      words[s + run] = 1;
      q.add(partHashes[k]!, key, t, s + run + 1);
    }
    t.commit(key, s, n);
    return s;
  }

  /** A salted filter of the current record (its value and salt come from two roots); cached by both. */
  private saltedBloom(f: BloomSpec): Uint8Array | undefined {
    const key = this.keys[ROOTS.indexOf(SOURCE_ROOT[f.source])];
    if (key === undefined) return undefined;
    const v = rootSources(SOURCE_ROOT[f.source], key).values[f.source];
    if (v === undefined) return undefined;
    const saltKey = this.salt === 'sex' ? this.keys[SEX] : this.keys[DOB];
    const salt = saltKey === undefined ? '' : this.salt === 'sex' ? String(saltKey) : dobYearOf(saltKey);
    const cacheKey = `${f.name}\u001f${salt}\u001f${v}`;
    let bits = this.saltedCache.get(cacheKey);
    if (!bits) {
      bits = this.blooms.make(f, v, salt);
      if (this.saltedCache.size >= SALTED_CACHE_LIMIT) this.saltedCache.clear();
      this.saltedCache.set(cacheKey, bits);
    }
    return bits;
  }

  /** Wipes every derived key and cache. The encoder cannot be used afterwards. */
  dispose(): void {
    for (const h of this.groupHash.values()) h.dispose();
    for (const h of this.spaceHash.values()) h.dispose();
    this.hardenHash.dispose();
    this.blooms.dispose();
    for (const t of this.tables) t.wipe();
    for (const t of this.aliases) t?.wipe();
    this.saltedCache.clear();
    this.passPlans.length = 0; // the keyed seeds
    this.disposed = true;
  }
}
