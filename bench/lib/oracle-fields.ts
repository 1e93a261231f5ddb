/**
 * What the fields of a synthetic set's wrong decisions show (issue #13's ceiling): the clear text of
 * the generator's lists, read again through the reader and normalised as the encoder does, for the
 * missed true pairs and the false links of a match — counts of field relations only, never a value.
 * Also the plan's NameSuffix per record, which the default schema does not encode, so the oracle can
 * say what a suffix comparison would add.
 */

import { type NormalisedName, normaliseName } from '../../src/normalise/names.js';
import { areNicknameRelated } from '../../src/normalise/nicknames.js';
import { collect, readClients, readMembers } from '../../src/read/reader.js';
import { synthesize } from '../../src/synth/synthesize.js';
import type { EncodedSet } from './scale.js';

const TODAY = '2026-01-01';

/** The fields compared, normalised (names as the encoder normalises them). */
interface Fields {
  readonly name: NormalisedName;
  readonly dob?: string;
  readonly dobDq: number;
  readonly sex?: string;
}

type Rec = {
  firstName?: string;
  middleName?: string;
  lastName?: string;
  nameSuffix?: string;
  dob?: string;
  dobDataQuality: number;
  sex?: string;
};

function fieldsOf(r: Rec): Fields {
  return {
    name: normaliseName(r),
    ...(r.dob ? { dob: r.dob } : {}),
    dobDq: r.dobDataQuality,
    ...(r.sex ? { sex: r.sex } : {}),
  };
}

/** Suffix codes: 0 none, then one code per distinct suffix. */
const SUFFIX_CODES = new Map<string, number>();
function suffixCode(s: string | undefined): number {
  if (!s) return 0;
  let c = SUFFIX_CODES.get(s);
  if (c === undefined) {
    c = SUFFIX_CODES.size + 1;
    SUFFIX_CODES.set(s, c);
  }
  return c;
}

/** Clear-text fields of the records some pairs name, and every record's suffix code. */
export interface ClearFields {
  readonly coc: Map<string, Fields>;
  readonly mcp: Map<string, Fields>;
  /** Suffix code per record, in the encoded batches' order. */
  readonly cocSuffix: Uint8Array;
  readonly mcpSuffix: Uint8Array;
  /** DOB year per record (0 when missing), and whether it is approximate (DOB data quality 2). */
  readonly cocYear: Uint16Array;
  readonly mcpYear: Uint16Array;
  readonly cocApprox: Uint8Array;
}

/**
 * Reads the generator's lists again (same seed and sizes as `synthSet`), keeping the fields of the
 * records `want` names and every record's suffix code.
 * @example
 * ```ts
 * const f = await clearFields(set, { clients: 10_000, members: 125_000 }, { coc: ids, mcp: ids });
 * ```
 */
export async function clearFields(
  s: EncodedSet,
  o: { clients: number; members: number; seed?: number },
  want: { coc: Set<string>; mcp: Set<string> },
): Promise<ClearFields> {
  const data = synthesize({
    seed: o.seed ?? 13,
    clients: o.clients,
    members: o.members,
    referenceDate: TODAY,
  });
  const cocIdx = new Map(Array.from(s.coc.ids, (id, i) => [id, i]));
  const cocSuffix = new Uint8Array(s.coc.length);
  const cocYear = new Uint16Array(s.coc.length);
  const cocApprox = new Uint8Array(s.coc.length);
  const coc = new Map<string, Fields>();
  const c = await collect(readClients(data.clients() as Iterable<Record<string, string>>, { today: TODAY }));
  for (const r of c.records) {
    const i = cocIdx.get(r.personalId);
    const f = fieldsOf(r as Rec);
    if (i !== undefined) {
      cocSuffix[i] = suffixCode(f.name.suffix);
      cocYear[i] = f.dob ? Number(f.dob.slice(0, 4)) : 0;
      cocApprox[i] = f.dobDq === 2 ? 1 : 0;
    }
    if (want.coc.has(r.personalId)) coc.set(r.personalId, f);
  }
  const mcpIdx = new Map(Array.from(s.mcp.ids, (id, j) => [id, j]));
  const mcpSuffix = new Uint8Array(s.mcp.length);
  const mcpYear = new Uint16Array(s.mcp.length);
  const mcp = new Map<string, Fields>();
  const reader = await readMembers(data.members() as Iterable<Record<string, string>>, { today: TODAY });
  for await (const res of reader.results()) {
    const r = res.record;
    if (!r) continue;
    const j = mcpIdx.get(r.memberId);
    const f = fieldsOf(r as Rec);
    if (j !== undefined) {
      mcpSuffix[j] = suffixCode(f.name.suffix);
      mcpYear[j] = f.dob ? Number(f.dob.slice(0, 4)) : 0;
    }
    if (want.mcp.has(r.memberId)) mcp.set(r.memberId, f);
  }
  return { coc, mcp, cocSuffix, mcpSuffix, cocYear, mcpYear, cocApprox };
}

/** Levenshtein distance, capped at 3. */
function lev(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return Math.min(prev[b.length]!, 3);
}

function firstRel(a: NormalisedName, b: NormalisedName): string {
  if (!a.first || !b.first) return 'missing';
  if (a.first === b.first) return 'exact';
  if (areNicknameRelated(a.first, b.first)) return 'nickname';
  if (a.firstParts.some((p) => b.firstParts.includes(p))) return 'part';
  if (a.first === b.middle || b.first === a.middle) return 'other middle';
  if (a.first === b.last || b.first === a.last) return 'swapped';
  if (lev(a.first, b.first) <= 2) return 'typo';
  return 'else';
}

function lastRel(a: NormalisedName, b: NormalisedName): string {
  if (!a.last || !b.last) return 'missing';
  if (a.last === b.last) return 'exact';
  if (a.lastParts.some((p) => b.lastParts.includes(p))) return 'part';
  if (a.last === b.first || b.last === a.first) return 'swapped';
  if (lev(a.last, b.last) <= 2) return 'typo';
  return 'else';
}

function middleRel(a: NormalisedName, b: NormalisedName): string {
  if (!a.middle || !b.middle) return a.middle || b.middle ? 'one side' : 'none';
  if (a.middle === b.middle) return 'same';
  if (a.middle[0] === b.middle[0]) return 'initial';
  return 'differ';
}

function suffixRel(a: NormalisedName, b: NormalisedName): string {
  if (!a.suffix || !b.suffix) return a.suffix || b.suffix ? 'one side' : 'none';
  return a.suffix === b.suffix ? 'same' : 'differ';
}

function dobRel(a: Fields, b: Fields): string {
  if (!a.dob || !b.dob) return 'missing';
  if (a.dob === b.dob) return a.dobDq === 2 || b.dobDq === 2 ? 'exact (DQ 2)' : 'exact';
  const [ya, ma, da] = a.dob.split('-');
  const [yb, mb, db] = b.dob.split('-');
  if (ya === yb && ma === db && da === mb) return 'day/month swap';
  let diff = 0;
  for (let k = 0; k < a.dob.length; k++) if (a.dob[k] !== b.dob[k]) diff++;
  if (diff === 1) return 'one digit';
  if (ma === mb && da === db && Math.abs(Number(ya) - Number(yb)) === 1) return 'year ± 1';
  const days = Math.abs(Date.parse(a.dob) - Date.parse(b.dob)) / 86_400_000;
  if (days <= 1) return 'one day';
  if (a.dobDq === 2 || b.dobDq === 2) return `approximate (DQ 2), ${days <= 3 * 365.25 ? '≤ 3 y' : '> 3 y'}`;
  if (ya === yb) return 'same year';
  return days <= 10 * 365.25 ? 'else, ≤ 10 y' : 'else, > 10 y';
}

function sexRel(a: Fields, b: Fields): string {
  if (!a.sex || !b.sex || a.sex === 'U' || b.sex === 'U') return 'missing';
  return a.sex === b.sex ? 'same' : 'differ';
}

/** A pair's field relations, one label per field. */
export function relations(a: Fields, b: Fields): Record<string, string> {
  return {
    first: firstRel(a.name, b.name),
    last: lastRel(a.name, b.name),
    dob: dobRel(a, b),
    middle: middleRel(a.name, b.name),
    suffix: suffixRel(a.name, b.name),
    sex: sexRel(a, b),
  };
}

/**
 * Counts of field relations of some pairs: the commonest (first, last, DOB) combinations, and each
 * field's relations on its own.
 * @example
 * ```ts
 * console.log(relationTable('missed', pairs, fields));
 * ```
 */
export function relationTable(
  title: string,
  pairs: readonly (readonly [string, string])[],
  f: ClearFields,
  top = 15,
): string {
  const combos = new Map<string, number>();
  const per = new Map<string, Map<string, number>>();
  let n = 0;
  for (const [a, b] of pairs) {
    const fa = f.coc.get(a);
    const fb = f.mcp.get(b);
    if (!fa || !fb) continue;
    n++;
    const r = relations(fa, fb);
    const k = `first ${r.first}, last ${r.last}, DOB ${r.dob}`;
    combos.set(k, (combos.get(k) ?? 0) + 1);
    for (const [field, v] of Object.entries(r)) {
      const m = per.get(field) ?? new Map<string, number>();
      m.set(v, (m.get(v) ?? 0) + 1);
      per.set(field, m);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]);
  return [
    `#### ${title} (${n})`,
    '',
    '| first, last, DOB | pairs |',
    '|---|---|',
    ...sorted(combos)
      .slice(0, top)
      .map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...[...per].map(
      ([field, m]) =>
        `- ${field}: ${sorted(m)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    ),
  ].join('\n');
}
