/**
 * A small, seeded linkage task for the report tests: two encoded lists with known true pairs,
 * typos, swapped dates, missing SSNs, married names and twins (so there are review pairs and
 * one-to-one conflicts), made-up values that cannot occur in the report's own wording (so a leak is
 * detectable), and identifiers full of HTML metacharacters (so escaping is tested).
 */

import type { PersonToEncode } from '../../src/encode/encoder.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { type MatchResult, matchBatches } from '../../src/match/match.js';
import { rng } from '../helpers/rng.js';

const KEY = parseKey('0f1e2d3c4b5a69788796a5b4c3d2e1f000112233445566778899aabbccddeeff');
const SYLLABLES = ['zor', 'qua', 'vex', 'lyn', 'kip', 'dru', 'mab', 'tel', 'fos', 'nix', 'gav', 'jep', 'wun'];

export interface ReportFixture {
  readonly result: MatchResult;
  /** The encoded lists and their file metadata (for writing encoded files). */
  readonly encoded: {
    readonly coc: EncodedBatch;
    readonly mcp: EncodedBatch;
    readonly cocMeta: EncodedMeta;
    readonly mcpMeta: EncodedMeta;
  };
  readonly truth: [string, string][];
  readonly coc: readonly PersonToEncode[];
  readonly mcp: readonly PersonToEncode[];
  /** Every clear-text value of both lists (names, DOBs in several spellings, SSNs). */
  readonly values: readonly string[];
}

/** Builds (once per process) the fixture; about a second. */
export function reportFixture(): ReportFixture {
  cached ??= build();
  return cached;
}

let cached: ReportFixture | undefined;

/** The person with the SSN missing (data-quality code 99), as the plan often has it. */
function withoutSsn(p: Omit<PersonToEncode, 'id'>): Omit<PersonToEncode, 'id'> {
  const { ssn: _, ...rest } = p;
  return { ...rest, ssnDataQuality: 99 };
}

function build(): ReportFixture {
  const random = rng(2024);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const word = (n: number): string => {
    const s = Array.from({ length: n }, () => pick(SYLLABLES)).join('');
    return s[0]!.toUpperCase() + s.slice(1);
  };
  const pad = (n: number): string => String(n).padStart(2, '0');
  const person = (): Omit<PersonToEncode, 'id'> => ({
    firstName: word(2),
    lastName: word(3),
    dob: `${int(1940, 2004)}-${pad(int(1, 12))}-${pad(int(1, 28))}`,
    ssn: `${int(100, 665)}${int(10, 99)}${int(1000, 9999)}`,
    sex: random() < 0.5 ? 'F' : 'M',
    nameDataQuality: 1,
    dobDataQuality: 1,
    ssnDataQuality: 1,
  });
  // Identifiers with markup in them: the report must show them as text.
  const personalId = (i: number): string => (i % 9 === 0 ? `P<b>${i}</b>&"'` : `P${i}`);
  const memberId = (i: number): string => (i % 11 === 0 ? `M<img src=x onerror=alert(${i})>` : `M${i}`);

  const coc: PersonToEncode[] = [];
  const mcp: PersonToEncode[] = [];
  const truth: [string, string][] = [];
  for (let i = 0; i < 360; i++) {
    const p = person();
    coc.push({ id: personalId(i), ...p });
    if (i >= 260) continue;
    // The plan's copy of a shared person, with the defects real lists have.
    let q: Omit<PersonToEncode, 'id'> = { ...p };
    const r = random();
    if (r < 0.15) q = { ...q, firstName: `${q.firstName!.slice(0, -1)}${pick(['a', 'e', 'o'])}` };
    else if (r < 0.22) q = { ...q, lastName: word(3) };
    else if (r < 0.3) q = { ...q, dob: `${q.dob!.slice(0, 5)}${q.dob!.slice(8, 10)}-${q.dob!.slice(5, 7)}` };
    if (random() < 0.35) q = withoutSsn(q);
    if (random() < 0.06) q = { ...q, lastName: word(3), dob: `${int(1940, 2004)}-01-01` };
    const j = 1000 + i;
    mcp.push({ id: memberId(j), ...q });
    truth.push([personalId(i), memberId(j)]);
    // Twins: same last name, DOB and sex, another first name, not the same person.
    if (i % 37 === 0) mcp.push({ id: memberId(5000 + i), ...withoutSsn(p), firstName: word(2) });
  }
  for (let j = 2000; j < 2240; j++) mcp.push({ id: memberId(j), ...person() });

  const cocEnc = new RecordEncoder(KEY, { party: 'coc' });
  const cocBatch = cocEnc.encodeBatch(coc);
  const mcpEnc = new RecordEncoder(KEY, { party: 'mcp' });
  const mcpBatch = mcpEnc.encodeBatch(mcp);
  const result = matchBatches(cocBatch, mcpBatch, {
    meta: cocEnc.meta,
    uSamplePairs: 60_000,
    truth,
    explainMatches: 25,
    // A review band even where the model separates the pairs well (it leaves none at its own
    // threshold on these lists), so the report's review sections have pairs to show. With u
    // without the true pairs (72 % of these clients are members) the weakest true links score
    // 0.998–0.9993, so the band reaches 0.9999.
    thresholds: { match: 0.9999, review: 0.5 },
  });
  const values = new Set<string>();
  for (const p of [...coc, ...mcp]) {
    for (const v of [p.firstName, p.lastName]) if (v) values.add(v).add(v.toUpperCase());
    if (p.dob) {
      const [y, m, d] = p.dob.split('-');
      values.add(p.dob).add(`${m}/${d}/${y}`).add(`${y}${m}${d}`);
    }
    if (p.ssn) values.add(p.ssn).add(`${p.ssn.slice(0, 3)}-${p.ssn.slice(3, 5)}-${p.ssn.slice(5)}`);
  }
  return {
    result,
    encoded: { coc: cocBatch, mcp: mcpBatch, cocMeta: cocEnc.meta, mcpMeta: mcpEnc.meta },
    truth,
    coc,
    mcp,
    values: [...values],
  };
}

/** A result with the fixture's model and nothing else: no pairs, no links. */
export function emptyResult(r: MatchResult): MatchResult {
  return {
    ...r,
    links: [],
    counts: {
      cocRecords: 3,
      mcpRecords: 4,
      candidatePairs: 0,
      scoredPairs: 0,
      pairsAboveReview: 0,
      conflictsResolved: 0,
      matches: 0,
      review: 0,
    },
    blocking: { passes: [], reductionRatio: 1 },
    histogram: { ...r.histogram, counts: r.histogram.counts.map(() => 0) },
    thresholdTable: r.thresholdTable.map((t) => ({
      ...t,
      pairsAbove: 0,
      expectedTruePositives: 0,
      expectedPrecision: 1,
      expectedRecall: 1,
      expectedF1: 1,
    })),
    explanations: [],
    expectedMatches: 0,
  };
}
