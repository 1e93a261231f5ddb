/**
 * The dictionary attack of a key holder. In the two-party topology the plan holds the secret key: it
 * can encode every plausible value itself — every Census name, every date of birth in a range, every
 * SSN last four — and look the CoC's encodings up. Every encoding bloomlink makes is a deterministic
 * function of the key and the value (BLIP's coin flips included), so hardening does not stand in the
 * way; only values outside the dictionary survive. The encoding therefore protects CoC clients against
 * outsiders and the transport, not against the plan.
 */

import { type PersonToEncode, RecordEncoder } from '../encode/encoder.js';
import type { EncodedBatch } from '../encoded/batch.js';
import type { LinkageSchema } from '../encoded/schema.js';
import { defined } from '../util/defined.js';

/** What the key holder encodes and looks up. */
export interface DictionaryAttackInput {
  /** The shared secret key (the plan has it). */
  readonly key: Uint8Array;
  /** The schema of the attacked file (stored in its metadata). */
  readonly schema: LinkageSchema;
  /** The attacked file (the CoC's encoded client list). */
  readonly batch: EncodedBatch;
  /** Candidate names (first and last names alike, clear, e.g. the Census lists). */
  readonly names: readonly string[];
  /** Candidate dates of birth, ISO `YYYY-MM-DD`. */
  readonly dates: readonly string[];
  /** Try every SSN last four (default true). */
  readonly ssnLast4?: boolean;
  /**
   * Also look the Bloom filters up (default true). For a salted schema the names are encoded once per
   * salt value recovered (birth year or sex) — `names × salts` encodings.
   */
  readonly blooms?: boolean;
}

/** Clear values recovered per record (`undefined` where the lookup failed or the value is missing). */
export interface DictionaryRecovery {
  readonly first: (string | undefined)[];
  readonly last: (string | undefined)[];
  readonly dob: (string | undefined)[];
  readonly ssnLast4: (string | undefined)[];
  readonly sex: (string | undefined)[];
  /** First and last name recovered from the Bloom filters alone (as if there were no exact hashes). */
  readonly firstFromBloom: (string | undefined)[];
  readonly lastFromBloom: (string | undefined)[];
}

const DQ = { nameDataQuality: 1, dobDataQuality: 99, ssnDataQuality: 99 } as const;

function lookup<T>(
  col: Uint32Array | undefined,
  table: ReadonlyMap<number, T>,
  n: number,
): (T | undefined)[] {
  return Array.from({ length: n }, (_, i) => {
    const h = col?.[i] ?? 0;
    return h === 0 ? undefined : table.get(h);
  });
}

function hashTable(col: Uint32Array | undefined, values: readonly string[]): Map<number, string> {
  const t = new Map<number, string>();
  if (!col) return t;
  values.forEach((v, i) => {
    const h = col[i] ?? 0;
    if (h !== 0 && !t.has(h)) t.set(h, v);
  });
  return t;
}

function rowKey(bytes: Uint8Array, i: number, width: number): string | undefined {
  const row = bytes.subarray(i * width, (i + 1) * width);
  return row.some((b) => b !== 0) ? String.fromCharCode(...row) : undefined;
}

/**
 * Runs the key holder's dictionary attack on an encoded file.
 * @example
 * ```ts
 * const rec = dictionaryAttack({ key, schema, batch: cocBatch, names: [...censusFirstNames().values,
 *   ...censusSurnames().values], dates: isoDates('1920-01-01', '2025-12-31') });
 * ```
 */
export function dictionaryAttack(input: DictionaryAttackInput): DictionaryRecovery {
  const { batch, schema } = input;
  const n = batch.length;
  const enc = new RecordEncoder(input.key, { party: 'mcp', schema });
  try {
    const names = [...new Set(input.names)];
    const byName = enc.encodeBatch(names.map((v, i) => ({ id: `n${i}`, firstName: v, lastName: v, ...DQ })));
    const dobs = enc.encodeBatch(
      input.dates.map((d, i) => ({
        id: `d${i}`,
        dob: d,
        nameDataQuality: 99,
        dobDataQuality: 1,
        ssnDataQuality: 99,
      })),
    );
    const dob = lookup(batch.hashes.dob, hashTable(dobs.hashes.dob, input.dates), n);
    let ssnLast4: (string | undefined)[] = new Array(n).fill(undefined);
    if (input.ssnLast4 ?? true) {
      const fours = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));
      // A masked SSN (`xxxxx` + last four) yields only the last-four features.
      const ssns = enc.encodeBatch(
        fours.map((f, i) => ({
          id: `s${i}`,
          ssn: `xxxxx${f}`,
          nameDataQuality: 99,
          dobDataQuality: 99,
          ssnDataQuality: 1,
        })),
      );
      ssnLast4 = lookup(batch.hashes.ssnLast4, hashTable(ssns.hashes.ssnLast4, fours), n);
    }
    const sexes = ['F', 'M'] as const;
    const bySex = enc.encodeBatch(
      sexes.map((sex) => ({ id: sex, sex, nameDataQuality: 99, dobDataQuality: 99, ssnDataQuality: 99 })),
    );
    const sex = lookup(batch.hashes.sex, hashTable(bySex.hashes.sex, sexes), n);
    const blooms = input.blooms ?? true;
    const salts = { dob, sex };
    return {
      first: lookup(batch.hashes.first, hashTable(byName.hashes.first, names), n),
      last: lookup(batch.hashes.last, hashTable(byName.hashes.last, names), n),
      dob,
      ssnLast4,
      sex,
      firstFromBloom: blooms
        ? bloomLookup(enc, schema, batch, names, byName, 'firstBloom', salts)
        : new Array(n).fill(undefined),
      lastFromBloom: blooms
        ? bloomLookup(enc, schema, batch, names, byName, 'lastBloom', salts)
        : new Array(n).fill(undefined),
    };
  } finally {
    enc.dispose();
  }
}

/** Looks up one Bloom feature; a salted schema is attacked per salt value present. */
function bloomLookup(
  enc: RecordEncoder,
  schema: LinkageSchema,
  batch: EncodedBatch,
  names: readonly string[],
  unsalted: EncodedBatch,
  feature: string,
  recovered: { readonly dob: readonly (string | undefined)[]; readonly sex: readonly (string | undefined)[] },
): (string | undefined)[] {
  const target = batch.blooms[feature];
  const out: (string | undefined)[] = new Array(batch.length).fill(undefined);
  if (!target || batch.length === 0) return out;
  const width = target.length / batch.length;
  const salt = schema.hardening.salt;
  // The salt values to try: none, or each birth year / sex the attacker recovered above.
  const salts: { extra: Partial<PersonToEncode>; records: number[] }[] = [];
  if (!salt) salts.push({ extra: {}, records: Array.from({ length: batch.length }, (_, i) => i) });
  else {
    const groups = new Map<string, number[]>();
    for (let i = 0; i < batch.length; i++) {
      const v = salt === 'dobYear' ? recovered.dob[i]?.slice(0, 4) : recovered.sex[i];
      if (v === undefined) continue;
      const list = groups.get(v);
      if (list) list.push(i);
      else groups.set(v, [i]);
    }
    for (const [v, records] of groups) {
      const extra: Partial<PersonToEncode> =
        salt === 'dobYear' ? { dob: `${v}-06-15`, dobDataQuality: 1 } : { sex: v as 'F' | 'M' };
      salts.push({ extra, records });
    }
  }
  for (const { extra, records } of salts) {
    const dict = salt
      ? enc.encodeBatch(names.map((v, i) => ({ id: `b${i}`, firstName: v, lastName: v, ...DQ, ...extra })))
      : unsalted;
    const bytes = defined(dict.blooms[feature], `${feature} column`);
    const table = new Map<string, string>();
    names.forEach((v, i) => {
      const k = rowKey(bytes, i, width);
      if (k !== undefined && !table.has(k)) table.set(k, v);
    });
    for (const i of records) {
      const k = rowKey(target, i, width);
      if (k !== undefined) out[i] = table.get(k);
    }
  }
  return out;
}

/**
 * Every calendar date from `from` to `to` inclusive, ISO `YYYY-MM-DD`.
 * @example
 * ```ts
 * isoDates('2024-02-28', '2024-03-01'); // ['2024-02-28', '2024-02-29', '2024-03-01']
 * ```
 */
export function isoDates(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError('from and to must be ISO dates');
  const out: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
