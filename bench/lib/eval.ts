/**
 * Linkage-quality evaluation: encode both sides (or use clear-text mode), match with the defaults,
 * and compute precision/recall/F1 from ground truth. Used by `npm run eval`, the quality tests and
 * the hardening/attack measurements.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clearTextComparisons } from '../../src/compare/clear-comparisons.js';
import { clearTextEncoder } from '../../src/encode/clear.js';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { LinkageSchema } from '../../src/encoded/schema.js';
import { type MatchOptions, type MatchResult, matchBatches } from '../../src/match/match.js';
import { linkageMetrics } from '../../src/match/metrics.js';
import { collect, readClients, readMembers } from '../../src/read/reader.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { loadFebrl4 } from './febrl.js';

/** A two-list linkage task with ground truth. */
export interface Dataset {
  readonly name: string;
  readonly coc: PersonToEncode[];
  readonly mcp: PersonToEncode[];
  readonly truth: [string, string][];
}

const SAMPLE = fileURLToPath(new URL('../../data/sample/', import.meta.url));

/** FEBRL 4 (names and DOB). */
export function febrl4(): Dataset {
  const { a, b, truth } = loadFebrl4();
  return { name: 'FEBRL4 (names + DOB)', coc: a, mcp: b, truth };
}

/** Reads a CoC list and a member list (CSV bytes) and their truth CSV into a dataset. */
export async function csvDataset(
  name: string,
  clients: Uint8Array,
  members: Uint8Array,
  truthCsv: string,
  today: string,
): Promise<Dataset> {
  const c = await collect(readClients(clients, { today }));
  const m = await collect(readMembers(members, { today }));
  const truth = truthCsv
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map((x) => x.trim()) as [string, string]);
  return {
    name,
    coc: c.records.map((r) => ({ ...r, id: r.personalId, memberId: r.mcpMemberId })),
    mcp: m.records.map((r) => ({ ...r, id: r.memberId })),
    truth,
  };
}

/** The bundled synthetic sample (data/sample). */
export function sampleDataset(): Promise<Dataset> {
  return csvDataset(
    'bundled synthetic sample (2,000 CoC × 6,000 plan)',
    readFileSync(`${SAMPLE}clients.csv`),
    readFileSync(`${SAMPLE}members.csv`),
    readFileSync(`${SAMPLE}truth.csv`, 'utf8'),
    '2026-01-01',
  );
}

/**
 * The generator's CoC/plan set (the scale evaluation's `synthSet`, seed 13) as persons, for
 * encoding in either mode: `clients` CoC clients, 40 % of them among the plan's `members`.
 * @example
 * ```ts
 * const ds = await synthDataset({ clients: 10_000, members: 35_000 });
 * ```
 */
export async function synthDataset(o: { clients: number; members: number; seed?: number }): Promise<Dataset> {
  const today = '2026-01-01';
  const data = synthesize({
    seed: o.seed ?? 13,
    clients: o.clients,
    members: o.members,
    referenceDate: today,
  });
  const c = await collect(readClients(data.clients() as Iterable<Record<string, string>>, { today }));
  const m = await collect(readMembers(data.members() as Iterable<Record<string, string>>, { today }));
  const fmt = (n: number) => n.toLocaleString('en-US');
  return {
    name: `synthetic CoC/plan ${fmt(o.clients)} × ${fmt(o.members)}`,
    coc: c.records.map((r) => ({ ...r, id: r.personalId, memberId: r.mcpMemberId })),
    mcp: m.records.map((r) => ({ ...r, id: r.memberId })),
    truth: Array.from(data.truth(), (t) => [t.PersonalID, t.MemberID] as [string, string]),
  };
}

/** Result of one evaluation run. */
export interface EvalResult {
  readonly dataset: string;
  readonly mode: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** With review pairs counted as links. */
  readonly f1WithReview: number;
  readonly pairCompleteness: number;
  readonly candidatePairs: number;
  readonly encodeMs: number;
  readonly matchMs: number;
  readonly result: MatchResult;
}

const EVAL_KEY = '5f1d2c3b4a5968778695a4b3c2d1e0ff00112233445566778899aabbccddeeff';

/**
 * Encodes both sides (keyed, with `schema`, or clear-text mode) and matches with the defaults; in
 * clear-text mode the comparisons are `clearTextComparisons()` (string levels for names) unless
 * `match.comparisons` says otherwise.
 * @example
 * ```ts
 * const r = await evaluate(febrl4());
 * console.log(r.f1);
 * ```
 */
export function evaluate(
  ds: Dataset,
  opts: { schema?: LinkageSchema; clearText?: boolean; match?: MatchOptions; label?: string } = {},
): EvalResult {
  const t0 = performance.now();
  const mk = (party: 'coc' | 'mcp') =>
    opts.clearText
      ? clearTextEncoder(party, opts.schema)
      : new RecordEncoder(parseKey(EVAL_KEY), { party, ...(opts.schema ? { schema: opts.schema } : {}) });
  const encC = mk('coc');
  const coc = encC.encodeBatch(ds.coc);
  const mcp = mk('mcp').encodeBatch(ds.mcp);
  const t1 = performance.now();
  const comparisons = opts.clearText ? { comparisons: clearTextComparisons() } : {};
  const result = matchBatches(coc, mcp, { meta: encC.meta, truth: ds.truth, ...comparisons, ...opts.match });
  const t2 = performance.now();
  const m = linkageMetrics(
    result.links
      .filter((l) => l.status === 'match')
      .map((l) => [l.personalId, l.memberId] as [string, string]),
    ds.truth,
  );
  const mr = linkageMetrics(
    result.links.map((l) => [l.personalId, l.memberId] as [string, string]),
    ds.truth,
  );
  return {
    dataset: ds.name,
    mode: opts.label ?? (opts.clearText ? 'clear text, string levels' : 'encoded'),
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    f1WithReview: mr.f1,
    pairCompleteness: result.blocking.pairCompleteness ?? Number.NaN,
    candidatePairs: result.counts.candidatePairs,
    encodeMs: t1 - t0,
    matchMs: t2 - t1,
    result,
  };
}

/** Formats results as a Markdown table. */
export function resultsTable(rows: readonly EvalResult[]): string {
  const f = (x: number) => x.toFixed(4);
  const lines = [
    '| data | mode | precision | recall | F1 | F1 incl. review | pair completeness | candidate pairs |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.dataset} | ${r.mode} | ${f(r.precision)} | ${f(r.recall)} | **${f(r.f1)}** | ${f(r.f1WithReview)} | ${f(r.pairCompleteness)} | ${r.candidatePairs} |`,
    ),
  ];
  return lines.join('\n');
}
