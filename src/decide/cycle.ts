/**
 * The monthly cycle's rules on pairs, as data: clerical decisions (accept / reject a pair, cumulative
 * from month to month), last month's links (kept while they still hold), and the changes between two
 * months' links with a reason code for each removal. Pure functions on record IDs and pair indices;
 * the matcher (src/match) applies them during one-to-one assignment.
 */
import { BloomlinkError } from '../errors.js';
import { pairKey } from '../util/pair-key.js';
import type { ScoredPairs } from './assign.js';

/** A person's decision on a pair: link it (`accept`) or never link it (`reject`). */
export type Decision = 'accept' | 'reject';

/**
 * One clerical decision on a pair of records. `line` is where it came from (a decisions file's line,
 * or the index + 2 of an object given to the API), for error messages.
 */
export interface PairDecision {
  readonly personalId: string;
  readonly memberId: string;
  readonly decision: Decision;
  readonly line?: number;
}

/** One link of the previous month's links file (its Status does not matter: every link is one). */
export interface PreviousLink {
  readonly personalId: string;
  readonly memberId: string;
}

/**
 * Why a link of the previous month is not a link this month (the `Reason` column of changes.csv),
 * documented in docs/error-codes.md:
 * - `REJECTED_BY_REVIEWER`: a person rejected the pair (a retraction: what was written for it is wrong);
 * - `COC_RECORD_GONE`: the PersonalID is not in this month's CoC file;
 * - `MCP_RECORD_GONE`: the MemberID is not in this month's plan file;
 * - `DISPLACED_BY_ACCEPTED`: a person accepted another pair for one of its two records;
 * - `SCORE_BELOW_REVIEW`: the pair now scores below the review threshold.
 * The first that applies is given, in this order.
 */
export type ChangeReason =
  | 'REJECTED_BY_REVIEWER'
  | 'COC_RECORD_GONE'
  | 'MCP_RECORD_GONE'
  | 'DISPLACED_BY_ACCEPTED'
  | 'SCORE_BELOW_REVIEW';

/**
 * Every {@link ChangeReason}, in the order they are tested.
 * @example
 * ```ts
 * CHANGE_REASONS.includes('REJECTED_BY_REVIEWER'); // true
 * ```
 */
export const CHANGE_REASONS: readonly ChangeReason[] = Object.freeze([
  'REJECTED_BY_REVIEWER',
  'COC_RECORD_GONE',
  'MCP_RECORD_GONE',
  'DISPLACED_BY_ACCEPTED',
  'SCORE_BELOW_REVIEW',
]);

/** A row of changes.csv: a link that is new this month, kept from last month, or removed (with why). */
export interface LinkChange {
  readonly personalId: string;
  readonly memberId: string;
  readonly change: 'added' | 'kept' | 'removed';
  /** Set for `removed` only. */
  readonly reason?: ChangeReason;
}

/** Counts of how the decisions and the previous links were applied (all 0 when none were given). */
export interface CycleCounts {
  /** Decisions given (rows with a decision). */
  readonly decisions: number;
  /** Accepted pairs whose two records are both present: linked with Status `match`. */
  readonly acceptedLinked: number;
  /** Accepted pairs with one record absent this month (not linked; kept in the file for later months). */
  readonly acceptedInactive: number;
  /** Rejected pairs that were candidates this month (and so were kept from being linked). */
  readonly rejectedCandidates: number;
  /** Links of the previous month given. */
  readonly previous: number;
  /** Previous links that are links again this month. */
  readonly kept: number;
  readonly added: number;
  readonly removed: number;
}

/**
 * Decisions after the consistency checks, indexed by pair and by record.
 * @example
 * ```ts
 * const d = indexDecisions([{ personalId: 'P1', memberId: 'M1', decision: 'accept' }]);
 * d.accepted.get('P1'); // 'M1'
 * ```
 */
export interface DecisionIndex {
  /** Decision of each decided pair (key: {@link pairKey}). */
  readonly byPair: ReadonlyMap<string, Decision>;
  /** Accepted pairs: PersonalID → MemberID. */
  readonly accepted: ReadonlyMap<string, string>;
  /** Accepted pairs: MemberID → PersonalID. */
  readonly acceptedByMember: ReadonlyMap<string, string>;
  /** Accepted pairs in PersonalID order. */
  readonly acceptedPairs: readonly PreviousLink[];
  /** Number of decisions given. */
  readonly count: number;
}

/**
 * Checks decisions for consistency and indexes them. The same decision twice on a pair is fine (a
 * cumulative file assembled from several months); `accept` and `reject` on one pair
 * (`DECISION_CONFLICT`), or two accepted pairs sharing a PersonalID or a MemberID (`DECISION_CONFLICT`:
 * a record is one person), stop the run with the two lines, never an ID.
 * @throws BloomlinkError `DECISION_CONFLICT`
 * @example
 * ```ts
 * indexDecisions([
 *   { personalId: 'P1', memberId: 'M1', decision: 'accept', line: 2 },
 *   { personalId: 'P1', memberId: 'M1', decision: 'reject', line: 9 },
 * ]); // throws DECISION_CONFLICT naming lines 2 and 9
 * ```
 */
export function indexDecisions(decisions: readonly PairDecision[], label = 'decisions'): DecisionIndex {
  const byPair = new Map<string, Decision>();
  const firstLine = new Map<string, number>();
  const accepted = new Map<string, string>();
  const acceptedByMember = new Map<string, string>();
  const acceptLine = new Map<string, number>();
  const lineOf = (d: PairDecision, i: number): number => d.line ?? i + 2;
  decisions.forEach((d, i) => {
    const key = pairKey(d.personalId, d.memberId);
    const line = lineOf(d, i);
    const before = byPair.get(key);
    if (before !== undefined && before !== d.decision)
      throw new BloomlinkError(
        'DECISION_CONFLICT',
        `${label}: lines ${firstLine.get(key)} and ${line} decide the same pair differently (accept and reject); keep one of them`,
      );
    if (before !== undefined) return;
    byPair.set(key, d.decision);
    firstLine.set(key, line);
    if (d.decision !== 'accept') return;
    const other =
      (accepted.has(d.personalId) ? 'PersonalID' : undefined) ??
      (acceptedByMember.has(d.memberId) ? 'MemberID' : undefined);
    if (other !== undefined) {
      const earlier =
        other === 'PersonalID'
          ? pairKey(d.personalId, accepted.get(d.personalId) ?? '')
          : pairKey(acceptedByMember.get(d.memberId) ?? '', d.memberId);
      throw new BloomlinkError(
        'DECISION_CONFLICT',
        `${label}: lines ${acceptLine.get(earlier)} and ${line} accept two pairs with the same ${other}; a record links to one record at most, so accept one of them`,
      );
    }
    accepted.set(d.personalId, d.memberId);
    acceptedByMember.set(d.memberId, d.personalId);
    acceptLine.set(key, line);
  });
  const acceptedPairs = [...accepted]
    .map(([personalId, memberId]) => ({ personalId, memberId }))
    .sort((a, b) => cmp(a.personalId, b.personalId));
  return { byPair, accepted, acceptedByMember, acceptedPairs, count: decisions.length };
}

/**
 * Refuses decisions naming pairs of which neither record is in this month's lists: such a row is not
 * about this exchange (another CoC's or plan's file, or IDs mangled by a spreadsheet). The error gives
 * the count, never an ID. A row with one record absent is fine: that record left a list.
 * @throws BloomlinkError `DECISION_UNKNOWN_ID`
 * @example
 * ```ts
 * checkDecisionIds(decisions, (id) => cocIds.has(id), (id) => mcpIds.has(id));
 * ```
 */
export function checkDecisionIds(
  decisions: readonly PairDecision[],
  hasPerson: (id: string) => boolean,
  hasMember: (id: string) => boolean,
  label = 'decisions',
): void {
  let unknown = 0;
  for (const d of decisions) if (!hasPerson(d.personalId) && !hasMember(d.memberId)) unknown++;
  if (unknown > 0)
    throw new BloomlinkError(
      'DECISION_UNKNOWN_ID',
      `${label}: ${unknown} of ${decisions.length} decisions name a PersonalID that is not in the CoC file and a MemberID that is not in the plan file; check that the file belongs to this exchange, and remove rows of records that have left both lists`,
    );
}

/**
 * One-to-one assignment with precedence: the pairs of `fixed` are kept first, in their order, each
 * unless one of its records is already taken; then `assign` chooses among the pairs of the rest
 * that touch no taken record (it gets them as a sub-list and returns indices into it).
 * @returns indices of the kept pairs, ascending.
 * @example
 * ```ts
 * const kept = assignWithPrecedence(pairs, Uint32Array.of(7), (sub) => greedyOneToOne(sub));
 * ```
 */
export function assignWithPrecedence(
  pairs: ScoredPairs,
  fixed: readonly number[],
  assign: (sub: ScoredPairs, subIndex: Uint32Array) => Uint32Array,
): Uint32Array {
  const usedL = new Set<number>();
  const usedR = new Set<number>();
  const kept: number[] = [];
  for (const k of fixed) {
    const l = pairs.left[k] ?? 0;
    const r = pairs.right[k] ?? 0;
    if (usedL.has(l) || usedR.has(r)) continue;
    usedL.add(l);
    usedR.add(r);
    kept.push(k);
  }
  const rest: number[] = [];
  for (let k = 0; k < pairs.left.length; k++)
    if (!usedL.has(pairs.left[k] ?? 0) && !usedR.has(pairs.right[k] ?? 0)) rest.push(k);
  const subIndex = Uint32Array.from(rest);
  const sub: ScoredPairs = {
    left: Uint32Array.from(rest, (k) => pairs.left[k] ?? 0),
    right: Uint32Array.from(rest, (k) => pairs.right[k] ?? 0),
    weight: Float64Array.from(rest, (k) => pairs.weight[k] ?? 0),
  };
  for (const x of assign(sub, subIndex)) kept.push(subIndex[x] ?? 0);
  return Uint32Array.from(kept).sort();
}

/**
 * What a previous link's removal is explained by (see {@link ChangeReason}), given what is known of
 * this month.
 * @example
 * ```ts
 * removalReason(link, { decisions, hasPerson, hasMember }); // 'MCP_RECORD_GONE'
 * ```
 */
export function removalReason(
  link: PreviousLink,
  month: {
    readonly decisions: DecisionIndex | undefined;
    readonly hasPerson: (id: string) => boolean;
    readonly hasMember: (id: string) => boolean;
  },
): ChangeReason {
  const d = month.decisions;
  if (d?.byPair.get(pairKey(link.personalId, link.memberId)) === 'reject') return 'REJECTED_BY_REVIEWER';
  if (!month.hasPerson(link.personalId)) return 'COC_RECORD_GONE';
  if (!month.hasMember(link.memberId)) return 'MCP_RECORD_GONE';
  const a = d?.accepted.get(link.personalId);
  const b = d?.acceptedByMember.get(link.memberId);
  if ((a !== undefined && a !== link.memberId) || (b !== undefined && b !== link.personalId))
    return 'DISPLACED_BY_ACCEPTED';
  return 'SCORE_BELOW_REVIEW';
}

/**
 * The changes between last month's links and this month's: every current link `added` or `kept`,
 * every previous link that is not a link now `removed` with its reason. Sorted by PersonalID, then
 * MemberID, then removed before added/kept (ordinal, so the order is the same on every platform).
 * @example
 * ```ts
 * const changes = linkChanges(previous, result.links, { decisions, hasPerson, hasMember });
 * ```
 */
export function linkChanges(
  previous: readonly PreviousLink[],
  current: readonly PreviousLink[],
  month: Parameters<typeof removalReason>[1],
): LinkChange[] {
  const now = new Set(current.map((l) => pairKey(l.personalId, l.memberId)));
  const before = new Set(previous.map((l) => pairKey(l.personalId, l.memberId)));
  const out: LinkChange[] = [];
  for (const l of current)
    out.push({
      personalId: l.personalId,
      memberId: l.memberId,
      change: before.has(pairKey(l.personalId, l.memberId)) ? 'kept' : 'added',
    });
  for (const l of previous)
    if (!now.has(pairKey(l.personalId, l.memberId)))
      out.push({
        personalId: l.personalId,
        memberId: l.memberId,
        change: 'removed',
        reason: removalReason(l, month),
      });
  const rank = (c: LinkChange): number => (c.change === 'removed' ? 0 : 1);
  return out.sort(
    (a, b) => cmp(a.personalId, b.personalId) || cmp(a.memberId, b.memberId) || rank(a) - rank(b),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
