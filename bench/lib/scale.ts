/**
 * Scale evaluation sets: a CoC list against a plan list grown with synthetic members (Census name
 * frequencies, the generator's age mix), encoded once with the evaluation key and cached as Arrow
 * files under `.bench-cache/` (git-ignored; the file name carries the schema fingerprint and the
 * library version, so a changed encoding is never read from a stale cache).
 *
 * - `synthSet`: the generator's CoC list of `clients` persons against a plan of `members` persons
 *   (40 % of clients are members; the other members are strangers with realistic names and DOBs).
 * - `febrlSet`: FEBRL 4 (names + DOB) with `extra` synthetic members added to the plan side (their
 *   names and DOB only, as FEBRL's).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { passMasks } from '../../src/block/unseen.js';
import { clearTextEncoder } from '../../src/encode/clear.js';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { schemaFingerprint } from '../../src/encoded/schema.js';
import { collect, readClients, readMembers } from '../../src/read/reader.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { VERSION } from '../../src/version.js';
import { loadFebrl4 } from './febrl.js';

/** An encoded linkage task with ground truth. */
export interface EncodedSet {
  readonly name: string;
  readonly meta: EncodedMeta;
  readonly coc: EncodedBatch;
  readonly mcp: EncodedBatch;
  readonly truth: [string, string][];
}

const CACHE = fileURLToPath(new URL('../../.bench-cache/', import.meta.url));
const EVAL_KEY = '5f1d2c3b4a5968778695a4b3c2d1e0ff00112233445566778899aabbccddeeff';
const TODAY = '2026-01-01';

function tag(): string {
  return `${VERSION}-${schemaFingerprint(DEFAULT_SCHEMA).slice(0, 12)}`;
}

async function encodeCached(
  file: string,
  party: 'coc' | 'mcp',
  persons: () => Promise<PersonToEncode[]>,
  cache = true,
  clearText = false,
): Promise<{ meta: EncodedMeta; batch: EncodedBatch }> {
  // Clear-text batches carry strings no file may hold: encoded afresh every time, never cached.
  if (clearText) {
    const enc = clearTextEncoder(party);
    const batch = enc.encodeBatch(await persons());
    return { meta: enc.meta, batch };
  }
  const path = `${CACHE}${file}-${tag()}.arrow`;
  if (cache && existsSync(path)) return readEncoded(readFileSync(path), file);
  const enc = new RecordEncoder(parseKey(EVAL_KEY), { party });
  const batch = enc.encodeBatch(await persons());
  const meta = enc.meta;
  enc.dispose();
  if (!cache) return { meta, batch };
  mkdirSync(CACHE, { recursive: true });
  const chunks: Uint8Array[] = [];
  await writeEncoded('arrow', meta, [batch], (c) => {
    chunks.push(c.slice());
  });
  writeFileSync(`${path}.tmp`, Buffer.concat(chunks));
  renameSync(`${path}.tmp`, path);
  return { meta, batch };
}

function cachedJson<T>(file: string, make: () => T): T {
  const path = `${CACHE}${file}.json`;
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as T;
  const v = make();
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(path, JSON.stringify(v));
  return v;
}

function withoutSsn(p: PersonToEncode): PersonToEncode {
  const { ssn: _, ...rest } = p;
  return { ...rest, ssnDataQuality: 99 };
}

/** Options of {@link synthSet}. */
export interface SynthSetOptions {
  readonly clients: number;
  readonly members: number;
  readonly seed?: number;
  /** Drop every SSN (both sides), as a plan list without SSNs. */
  readonly noSsn?: boolean;
  /** Read and write the encoded files in .bench-cache/ (default true; tests pass false). */
  readonly cache?: boolean;
  /** Clear-text mode (`clearTextEncoder`: collision-free filters and the name strings); never cached. */
  readonly clearText?: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * The generator's CoC/plan set at a given scale, encoded (cached).
 * @example
 * ```ts
 * const s = await synthSet({ clients: 10_000, members: 1_000_000 });
 * ```
 */
export async function synthSet(o: SynthSetOptions): Promise<EncodedSet> {
  const seed = o.seed ?? 13;
  const id = `synth-s${seed}-c${o.clients}-m${o.members}${o.noSsn ? '-nossn' : ''}`;
  const data = synthesize({ seed, clients: o.clients, members: o.members, referenceDate: TODAY });
  const strip = o.noSsn ? withoutSsn : (p: PersonToEncode) => p;
  const coc = await encodeCached(
    `${id}-coc`,
    'coc',
    async () => {
      const c = await collect(
        readClients(data.clients() as Iterable<Record<string, string>>, { today: TODAY }),
      );
      return c.records.map((r) =>
        strip({ ...r, id: r.personalId, memberId: r.mcpMemberId } as PersonToEncode),
      );
    },
    o.cache,
    o.clearText,
  );
  const mcp = await encodeCached(
    `${id}-mcp`,
    'mcp',
    async () => {
      const m = await collect(
        readMembers(data.members() as Iterable<Record<string, string>>, { today: TODAY }),
      );
      return m.records.map((r) => strip({ ...r, id: r.memberId } as PersonToEncode));
    },
    o.cache,
    o.clearText,
  );
  const truthOf = () => Array.from(data.truth(), (t) => [t.PersonalID, t.MemberID] as [string, string]);
  const truth = o.cache === false ? truthOf() : cachedJson(`${id}-truth`, truthOf);
  return {
    name: `synthetic CoC/plan ${fmt(o.clients)} × ${fmt(o.members)}${o.noSsn ? ', no SSN' : ''}${o.clearText ? ', clear text' : ''}`,
    meta: coc.meta,
    coc: coc.batch,
    mcp: mcp.batch,
    truth,
  };
}

/**
 * FEBRL 4 (names + DOB) with `extra` synthetic members on the plan side, encoded (cached), or in
 * clear-text mode (`clearText`, not cached).
 * @example
 * ```ts
 * const s = await febrlSet(100_000);
 * ```
 */
export async function febrlSet(extra: number, seed = 29, clearText = false): Promise<EncodedSet> {
  const { a, b, truth } = loadFebrl4();
  const id = `febrl4-x${extra}-s${seed}`;
  const coc = await encodeCached('febrl4-a', 'coc', async () => a, true, clearText);
  const mcp = await encodeCached(
    `${id}-mcp`,
    'mcp',
    async () => {
      if (extra === 0) return b;
      const data = synthesize({ seed, clients: 0, members: extra, referenceDate: TODAY });
      const m = await collect(
        readMembers(data.members() as Iterable<Record<string, string>>, { today: TODAY }),
      );
      const more = m.records.map(
        (r) =>
          ({
            id: `x${r.memberId}`,
            firstName: r.firstName,
            lastName: r.lastName,
            dob: r.dob,
            nameDataQuality: r.nameDataQuality,
            dobDataQuality: r.dobDataQuality,
            ssnDataQuality: 99,
          }) as PersonToEncode,
      );
      return [...b, ...more];
    },
    true,
    clearText,
  );
  return {
    name: `FEBRL4 (names + DOB) 5,000 × ${fmt(5000 + extra)}${clearText ? ', clear text' : ''}`,
    meta: coc.meta,
    coc: coc.batch,
    mcp: mcp.batch,
    truth,
  };
}

/**
 * The default schema's blocking passes and, per scored pair of `s`, which of them give both records
 * a common key (`passMasks`): the input of `unseenShare` in the benches that study it.
 */
export function defaultPassMasks(
  s: EncodedSet,
  pairs: { readonly left: ArrayLike<number>; readonly right: ArrayLike<number> },
): { passes: typeof DEFAULT_SCHEMA.blocking; masks: Uint32Array } {
  const passes = DEFAULT_SCHEMA.blocking;
  const names = passes.map((p) => p.name);
  return { passes, masks: passMasks(names, s.coc.blocks, s.mcp.blocks, pairs.left, pairs.right) };
}

/**
 * The evaluation set a bench argument names: `f:N` is FEBRL 4 with N extra plan members, `s:C:M` the
 * synthetic lists of C clients and M members, `s:C:M:nossn` the same without SSN.
 */
export function setFromSpec(spec: string): Promise<EncodedSet> {
  const [kind, a, b, flag] = spec.split(':');
  return kind === 'f'
    ? febrlSet(Number(a))
    : synthSet({ clients: Number(a), members: Number(b), noSsn: flag === 'nossn' });
}
