/**
 * The monthly cycle inside a match: clerical decisions and last month's links applied to the scored
 * candidate pairs on the thresholds already chosen (so a decision never moves a threshold). Rejected
 * pairs leave the candidates; accepted pairs and last month's links that are not candidates this month
 * are scored directly; then one-to-one assignment keeps accepted pairs first, last month's links that
 * still reach the review threshold next, and chooses among the rest as without the cycle.
 */
import type { ScoredPairs } from '../decide/assign.js';
import {
  assignWithPrecedence,
  type CycleCounts,
  checkDecisionIds,
  type DecisionIndex,
  indexDecisions,
  type LinkChange,
  linkChanges,
  type PairDecision,
  type PreviousLink,
} from '../decide/cycle.js';
import type { EncodedBatch } from '../encoded/batch.js';
import { idBytesOf, idComparison, idStrings } from '../encoded/lazy-ids.js';
import { BloomlinkError } from '../errors.js';
import type { Scorer } from '../model/score.js';
import { weightToProbability } from '../model/weights.js';
import { pairKey } from '../util/pair-key.js';

/** What the decision stage needs of the cycle's options. */
export interface CycleOptions {
  readonly decisions?: readonly PairDecision[];
  readonly previous?: readonly PreviousLink[];
}

/**
 * The cycle applied to one match: the pairs assignment chose from (the candidates without rejected
 * pairs, plus the accepted pairs and previous links scored directly), the kept pair indices into
 * them, which of those are accepted pairs, and a summary builder for the final links.
 */
export interface CycleApplied {
  readonly pairs: ScoredPairs;
  readonly kept: Uint32Array;
  readonly accepted: ReadonlySet<number>;
  summary(links: readonly PreviousLink[]): { counts: CycleCounts; changes?: readonly LinkChange[] };
}

/**
 * Equal-weight pairs ordered by CoC record ID, then plan record ID (never by row position).
 * @example
 * ```ts
 * greedyOneToOne(pairs, idTie(coc, mcp, pairs));
 * ```
 */
export function idTie(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  pairs: ScoredPairs,
): (a: number, b: number) => number {
  // A lazy list's IDs (a large plan's) are compared on their bytes, in the strings' order.
  const byCoc = idComparison(coc.ids);
  const byPlan = idComparison(mcp.ids);
  return (a, b) =>
    byCoc(pairs.left[a] ?? 0, pairs.left[b] ?? 0) || byPlan(pairs.right[a] ?? 0, pairs.right[b] ?? 0);
}

/**
 * Refuses previous links that are not one-to-one (a links file `match` wrote never is).
 * @throws BloomlinkError `INPUT_INVALID`
 * @example
 * ```ts
 * checkPrevious([{ personalId: 'P1', memberId: 'M1' }, { personalId: 'P1', memberId: 'M2' }]); // throws
 * ```
 */
export function checkPrevious(previous: readonly PreviousLink[]): void {
  const persons = new Set<string>();
  const members = new Set<string>();
  let repeated = 0;
  for (const l of previous) {
    if (persons.has(l.personalId) || members.has(l.memberId)) repeated++;
    persons.add(l.personalId);
    members.add(l.memberId);
  }
  if (repeated > 0)
    throw new BloomlinkError(
      'INPUT_INVALID',
      `previous links: ${repeated} links repeat a PersonalID or a MemberID of an earlier link; give the links file of last month's match as written`,
    );
}

/** Index in `ids` of each of `named`'s IDs that `ids` holds (the last, were one repeated). */
function indexOfNamed(ids: readonly string[], named: ReadonlySet<string>): Map<string, number> {
  const index = new Map<string, number>();
  if (named.size === 0) return index;
  // A lazy list (a large plan's): a range of strings at a time, each made once, few alive at once;
  // a list of strings is read in place.
  const step = idBytesOf(ids) ? 1 << 16 : Math.max(ids.length, 1);
  for (let from = 0; from < ids.length; from += step) {
    const part = idStrings(ids, from, Math.min(ids.length, from + step));
    for (let k = 0; k < part.length; k++) {
      const id = part[k] as string;
      if (named.has(id)) index.set(id, from + k);
    }
  }
  return index;
}

/**
 * Checks the cycle's inputs against this month's lists before any work: consistent decisions
 * (`DECISION_CONFLICT`), decisions about this exchange (`DECISION_UNKNOWN_ID`), one-to-one previous
 * links (`INPUT_INVALID`). Returns the indexed decisions and the look-ups of the IDs the decisions and
 * previous links name (record index in `coc` / `mcp`; an ID absent from the list is absent).
 * @example
 * ```ts
 * const month = prepareCycle(coc, mcp, { decisions });
 * ```
 */
export function prepareCycle(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  opts: CycleOptions,
): {
  readonly decisions: DecisionIndex | undefined;
  readonly cocIndex: ReadonlyMap<string, number>;
  readonly mcpIndex: ReadonlyMap<string, number>;
} {
  // Only the records the decisions and previous links name are looked up: indexing those keeps the
  // look-ups O(decisions + links) in memory instead of one entry per plan member.
  const persons = new Set<string>();
  const members = new Set<string>();
  for (const p of [...(opts.decisions ?? []), ...(opts.previous ?? [])]) {
    persons.add(p.personalId);
    members.add(p.memberId);
  }
  const cocIndex = indexOfNamed(coc.ids, persons);
  const mcpIndex = indexOfNamed(mcp.ids, members);
  let decisions: DecisionIndex | undefined;
  if (opts.decisions !== undefined) {
    decisions = indexDecisions(opts.decisions);
    checkDecisionIds(
      opts.decisions,
      (id) => cocIndex.has(id),
      (id) => mcpIndex.has(id),
    );
  }
  if (opts.previous !== undefined) checkPrevious(opts.previous);
  return { decisions, cocIndex, mcpIndex };
}

/**
 * Applies decisions and previous links to the scored candidates (see the file comment).
 * @example
 * ```ts
 * const c = applyCycle(coc, mcp, scorer, pairs, review, { decisions }, (p) => greedyOneToOne(p));
 * ```
 */
export function applyCycle(
  coc: EncodedBatch,
  mcp: EncodedBatch,
  scorer: Scorer,
  candidates: ScoredPairs,
  review: number,
  opts: CycleOptions,
  assign: (pairs: ScoredPairs) => Uint32Array,
): CycleApplied {
  const { decisions, cocIndex, mcpIndex } = prepareCycle(coc, mcp, opts);
  const previous = opts.previous ?? [];
  const M = mcp.length;
  const code = (l: number, r: number): number => l * M + r;
  const present = (p: PreviousLink): readonly [number, number] | undefined => {
    const l = cocIndex.get(p.personalId);
    const r = mcpIndex.get(p.memberId);
    return l === undefined || r === undefined ? undefined : [l, r];
  };

  // Pairs by numeric code: rejected (present), accepted (present), previous (present, not rejected).
  const rejected = new Set<number>();
  const acceptedL = new Set<number>();
  const acceptedR = new Set<number>();
  const acceptedCodes: number[] = [];
  let acceptedInactive = 0;
  for (const [key, d] of decisions?.byPair ?? []) {
    const [personalId = '', memberId = ''] = key.split('\u0000');
    const at = present({ personalId, memberId });
    if (d === 'accept' && at === undefined) acceptedInactive++;
    if (at === undefined) continue;
    if (d === 'reject') rejected.add(code(at[0], at[1]));
    else {
      acceptedCodes.push(code(at[0], at[1]));
      acceptedL.add(at[0]);
      acceptedR.add(at[1]);
    }
  }
  const previousCodes: number[] = [];
  for (const p of previous) {
    const at = present(p);
    if (at !== undefined && !rejected.has(code(at[0], at[1]))) previousCodes.push(code(at[0], at[1]));
  }

  // Candidates without rejected pairs and without pairs that would take an accepted pair's record.
  const wanted = new Set([...acceptedCodes, ...previousCodes]);
  const found = new Map<number, number>();
  const keep: number[] = [];
  let rejectedCandidates = 0;
  for (let k = 0; k < candidates.left.length; k++) {
    const l = candidates.left[k] ?? 0;
    const r = candidates.right[k] ?? 0;
    const c = code(l, r);
    if (rejected.has(c)) {
      rejectedCandidates++;
      continue;
    }
    if (wanted.has(c)) found.set(c, keep.length);
    else if (acceptedL.has(l) || acceptedR.has(r)) continue;
    keep.push(k);
  }
  // Accepted pairs and previous links that blocking did not propose this month: scored directly.
  const extra = [...wanted].filter((c) => !found.has(c)).sort((a, b) => a - b);
  const extraL = extra.map((c) => Math.floor(c / M));
  const extraR = extra.map((c) => c % M);
  const extraW = scorer.scorePairs(extraL, extraR).weight;
  const n = keep.length + extra.length;
  const pairs: ScoredPairs = {
    left: new Uint32Array(n),
    right: new Uint32Array(n),
    weight: new Float64Array(n),
  };
  keep.forEach((k, x) => {
    pairs.left[x] = candidates.left[k] ?? 0;
    pairs.right[x] = candidates.right[k] ?? 0;
    pairs.weight[x] = candidates.weight[k] ?? 0;
  });
  extra.forEach((c, e) => {
    const x = keep.length + e;
    pairs.left[x] = extraL[e] ?? 0;
    pairs.right[x] = extraR[e] ?? 0;
    pairs.weight[x] = extraW[e] ?? 0;
    found.set(c, x);
  });
  const indexOf = (c: number): number => found.get(c) ?? -1;

  // Precedence: accepted pairs, then previous links still at or above the review threshold, each
  // group in record-ID order (the order the decisions and links files give it does not matter).
  const byIds = (a: number, b: number): number => {
    const pa = coc.ids[pairs.left[a] ?? 0] ?? '';
    const pb = coc.ids[pairs.left[b] ?? 0] ?? '';
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  };
  const acceptedIdx = acceptedCodes.map(indexOf).sort(byIds);
  const previousIdx = previousCodes
    .map(indexOf)
    .filter((x) => weightToProbability(pairs.weight[x] ?? 0) >= review)
    .sort(byIds);
  const kept = assignWithPrecedence(pairs, [...acceptedIdx, ...previousIdx], (sub) => assign(sub));
  const accepted = new Set(acceptedIdx);

  return {
    pairs,
    kept,
    accepted,
    summary(links) {
      const changes =
        opts.previous === undefined
          ? undefined
          : linkChanges(previous, links, {
              decisions,
              hasPerson: (id) => cocIndex.has(id),
              hasMember: (id) => mcpIndex.has(id),
            });
      const keptLinks = new Set(previous.map((p) => pairKey(p.personalId, p.memberId)));
      let stayed = 0;
      for (const l of links) if (keptLinks.has(pairKey(l.personalId, l.memberId))) stayed++;
      const counts: CycleCounts = {
        decisions: decisions?.count ?? 0,
        acceptedLinked: acceptedIdx.length,
        acceptedInactive,
        rejectedCandidates,
        previous: previous.length,
        kept: stayed,
        added: links.length - stayed,
        removed: previous.length - stayed,
      };
      return changes === undefined ? { counts } : { counts, changes };
    },
  };
}
