/**
 * The monthly cycle in `match`: clerical decisions (accepted pairs linked first, rejected pairs never,
 * decided pairs never in review) and last month's links (kept while they reach the review threshold,
 * each removal with its reason), identical on worker threads and whatever the order of the inputs.
 */
import { describe, expect, it } from 'vitest';
import type { PairDecision, PreviousLink } from '../../src/decide/cycle.js';
import type { EncodedList } from '../../src/encoded/file.js';
import { match, score, train } from '../../src/match/api.js';
import { matchParallel } from '../../src/match/api.node.js';
import type { MatchResult } from '../../src/match/match.js';
import { weightToProbability } from '../../src/model/weights.js';
import { reportFixture } from '../report/fixture.js';

function lists(): { coc: EncodedList; mcp: EncodedList } {
  const { encoded } = reportFixture();
  return {
    coc: { meta: encoded.cocMeta, batch: encoded.coc },
    mcp: { meta: encoded.mcpMeta, batch: encoded.mcp },
  };
}

/**
 * Fixed thresholds with a review band (as the report tests use): the trained model is sharp enough
 * on this fixture that its own thresholds leave no review pair, and these tests need some.
 */
const T = { thresholds: { match: 0.9999, review: 0.5 } } as const;

const key = (l: { personalId: string; memberId: string }) => `${l.personalId}|${l.memberId}`;
const linkOf = (r: MatchResult, personalId: string) => r.links.find((l) => l.personalId === personalId);

/** A record with two candidates, both at or above `review`: the one assignment kept and the other. */
function contested(coc: EncodedList, mcp: EncodedList, review: number) {
  const scored = score(coc, mcp, train(coc, mcp));
  const { left, right, weight } = scored.candidates.pairs;
  const byLeft = new Map<number, number[]>();
  for (let k = 0; k < left.length; k++)
    if (weightToProbability(weight[k]!) >= review) byLeft.set(left[k]!, [...(byLeft.get(left[k]!) ?? []), k]);
  const base = match(coc, mcp, { ...T, thresholds: { match: 0.9, review } });
  for (const [l, ks] of byLeft) {
    if (ks.length < 2) continue;
    const personalId = coc.batch.ids[l]!;
    const won = linkOf(base, personalId);
    if (!won) continue;
    const lost = ks.map((k) => mcp.batch.ids[right[k]!]!).find((m) => m !== won.memberId);
    if (lost && !base.links.some((x) => x.memberId === lost)) return { personalId, won: won.memberId, lost };
  }
  throw new Error('the fixture has no contested record');
}

describe('match without decisions or previous links', () => {
  it('has no cycle, and empty decisions change no link', () => {
    const { coc, mcp } = lists();
    const plain = match(coc, mcp, T);
    expect(plain.cycle).toBeUndefined();
    const empty = match(coc, mcp, { ...T, decisions: [] });
    expect(empty.links).toEqual(plain.links);
    expect(empty.thresholds).toEqual(plain.thresholds);
    expect(empty.cycle?.counts.decisions).toBe(0);
  });
});

describe('decisions', () => {
  it('link an accepted pair with Status match (even one blocking never proposed), never link a rejected one, never send a decided pair to review', () => {
    const { coc, mcp } = lists();
    const plain = match(coc, mcp, T);
    const review = plain.links.filter((l) => l.status === 'review');
    const matches = plain.links.filter((l) => l.status === 'match');
    expect(review.length).toBeGreaterThan(1);
    expect(matches.length).toBeGreaterThan(2);
    // An unrelated pair: two records that are both unlinked, or the first CoC record with the last member.
    const linkedP = new Set(plain.links.map((l) => l.personalId));
    const linkedM = new Set(plain.links.map((l) => l.memberId));
    const p = coc.batch.ids.find((id) => !linkedP.has(id))!;
    const m = mcp.batch.ids.find((id) => !linkedM.has(id))!;
    const decisions: PairDecision[] = [
      { ...pick(review[0]!), decision: 'accept' },
      { ...pick(review[1]!), decision: 'reject' },
      { ...pick(matches[0]!), decision: 'reject' },
      { ...pick(matches[1]!), decision: 'accept' },
      { personalId: p, memberId: m, decision: 'accept' },
    ];
    const r = match(coc, mcp, { ...T, decisions });
    const byPair = new Map(r.links.map((l) => [key(l), l]));
    expect(byPair.get(key(review[0]!))?.status).toBe('match');
    expect(byPair.get(key(matches[1]!))?.status).toBe('match');
    expect(byPair.get(key({ personalId: p, memberId: m }))?.status).toBe('match');
    expect(byPair.has(key(review[1]!))).toBe(false);
    expect(byPair.has(key(matches[0]!))).toBe(false);
    for (const d of decisions) expect(byPair.get(key(d))?.status).not.toBe('review');
    expect(r.cycle?.counts).toMatchObject({ decisions: 5, acceptedLinked: 3, acceptedInactive: 0 });
    expect(r.cycle?.counts.rejectedCandidates).toBeGreaterThanOrEqual(2);
    // Thresholds are chosen as without decisions; the links stay one-to-one.
    expect(r.thresholds).toEqual(plain.thresholds);
    expect(new Set(r.links.map((l) => l.personalId)).size).toBe(r.links.length);
    expect(new Set(r.links.map((l) => l.memberId)).size).toBe(r.links.length);
  });

  it('an accepted pair with a record absent this month links nothing, and counts as inactive', () => {
    const { coc, mcp } = lists();
    const plain = match(coc, mcp, T);
    const l = plain.links[0]!;
    const r = match(coc, mcp, {
      ...T,
      decisions: [{ personalId: l.personalId, memberId: 'NOT-IN-THE-PLAN-LIST', decision: 'accept' }],
    });
    expect(r.links).toEqual(plain.links);
    expect(r.cycle?.counts).toMatchObject({ acceptedLinked: 0, acceptedInactive: 1 });
  });

  it('refuse conflicting decisions and decisions about records in neither list, naming lines and counts, never an ID', () => {
    const { coc, mcp } = lists();
    const [a, b] = match(coc, mcp, T).links;
    const conflict = [
      { ...pick(a!), decision: 'accept' as const, line: 4 },
      { ...pick(a!), decision: 'reject' as const, line: 9 },
    ];
    expect(() => match(coc, mcp, { ...T, decisions: conflict })).toThrow(
      expect.objectContaining({ code: 'DECISION_CONFLICT', message: expect.stringMatching(/lines 4 and 9/) }),
    );
    const twoAccepts = [
      { personalId: a!.personalId, memberId: a!.memberId, decision: 'accept' as const },
      { personalId: a!.personalId, memberId: b!.memberId, decision: 'accept' as const },
    ];
    expect(() => match(coc, mcp, { ...T, decisions: twoAccepts })).toThrow(
      expect.objectContaining({ code: 'DECISION_CONFLICT', message: expect.stringMatching(/PersonalID/) }),
    );
    const unknown = [
      { personalId: 'ZZ-UNKNOWN-1', memberId: 'ZZ-UNKNOWN-2', decision: 'reject' as const },
      { ...pick(a!), decision: 'accept' as const },
    ];
    let message = '';
    try {
      match(coc, mcp, { ...T, decisions: unknown });
    } catch (e) {
      expect(e).toMatchObject({ code: 'DECISION_UNKNOWN_ID' });
      message = (e as Error).message;
    }
    expect(message).toMatch(/1 of 2 decisions/);
    expect(message).not.toMatch(/ZZ-UNKNOWN/);
    // The same decision twice (a cumulative file assembled from two months) is fine.
    expect(() => match(coc, mcp, { ...T, decisions: [conflict[0]!, conflict[0]!] })).not.toThrow();
  });

  it('are checked as options: an unknown decision word is OPTION_INVALID', () => {
    const { coc, mcp } = lists();
    const bad = [{ personalId: 'P', memberId: 'M', decision: 'maybe' }] as unknown as PairDecision[];
    expect(() => match(coc, mcp, { ...T, decisions: bad })).toThrow(
      expect.objectContaining({
        code: 'OPTION_INVALID',
        message: expect.stringMatching(/options\.decisions\[0\]/),
      }),
    );
  });
});

describe('previous links', () => {
  it('keep a link whose competitor now scores higher, and list every current link as added or kept', () => {
    const { coc, mcp } = lists();
    const thresholds = { match: 0.9, review: 0.05 };
    const c = contested(coc, mcp, thresholds.review);
    const plain = match(coc, mcp, { ...T, thresholds });
    expect(linkOf(plain, c.personalId)?.memberId).toBe(c.won);
    const previous = [{ personalId: c.personalId, memberId: c.lost }];
    const r = match(coc, mcp, { ...T, thresholds, previous });
    expect(linkOf(r, c.personalId)?.memberId).toBe(c.lost);
    const changes = r.cycle?.changes ?? [];
    expect(changes.filter((x) => x.change !== 'removed').map(key)).toEqual(
      [...r.links].sort((x, y) => cmp(x.personalId, y.personalId) || cmp(x.memberId, y.memberId)).map(key),
    );
    expect(changes.find((x) => x.personalId === c.personalId)?.change).toBe('kept');
    expect(changes.filter((x) => x.change === 'kept')).toHaveLength(1);
    expect(r.cycle?.counts).toMatchObject({ previous: 1, kept: 1, removed: 0, added: r.links.length - 1 });
  });

  it('last month’s links as this month’s previous links: all kept, nothing added or removed', () => {
    const { coc, mcp } = lists();
    const plain = match(coc, mcp, T);
    const r = match(coc, mcp, { ...T, previous: plain.links.map(pick) });
    expect(r.links).toEqual(plain.links);
    expect(r.cycle?.changes?.every((x) => x.change === 'kept')).toBe(true);
    expect(r.cycle?.changes).toHaveLength(plain.links.length);
  });

  it('give each removal its reason: rejected, a record gone, displaced by an accepted pair, score below review', () => {
    const { coc, mcp } = lists();
    const plain = match(coc, mcp, T);
    const [a, b, c, d] = plain.links.filter((l) => l.status === 'match');
    const linkedM = new Set(plain.links.map((l) => l.memberId));
    const free = mcp.batch.ids.find((id) => !linkedM.has(id))!;
    // A pair of two different people (the person of a fifth link, the member of the third): scored
    // directly, it falls below the review threshold.
    const low = plain.links.filter((l) => l.status === 'match')[4]!;
    const previous: PreviousLink[] = [
      pick(a!),
      { personalId: 'GONE-P', memberId: b!.memberId },
      { personalId: c!.personalId, memberId: 'GONE-M' },
      pick(d!),
      { personalId: low.personalId, memberId: c!.memberId },
    ];
    const decisions: PairDecision[] = [
      { ...pick(a!), decision: 'reject' },
      { personalId: d!.personalId, memberId: free, decision: 'accept' },
    ];
    const r = match(coc, mcp, { ...T, previous, decisions });
    const removed = new Map(
      (r.cycle?.changes ?? []).filter((x) => x.change === 'removed').map((x) => [key(x), x.reason]),
    );
    expect(removed.get(key(a!))).toBe('REJECTED_BY_REVIEWER');
    expect(removed.get(key(previous[1]!))).toBe('COC_RECORD_GONE');
    expect(removed.get(key(previous[2]!))).toBe('MCP_RECORD_GONE');
    expect(removed.get(key(d!))).toBe('DISPLACED_BY_ACCEPTED');
    expect(removed.get(key(previous[4]!))).toBe('SCORE_BELOW_REVIEW');
    expect(removed.size).toBe(5);
    expect(r.cycle?.counts).toMatchObject({ previous: 5, kept: 0, removed: 5 });
  });

  it('are refused when not one-to-one', () => {
    const { coc, mcp } = lists();
    const [a, b] = match(coc, mcp, T).links;
    const previous = [pick(a!), { personalId: a!.personalId, memberId: b!.memberId }];
    expect(() => match(coc, mcp, { ...T, previous })).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
  });
});

describe('determinism', () => {
  it('the same links and changes on 2 worker threads, and whatever the order of decisions and previous links', async () => {
    const { coc, mcp } = lists();
    const plain = match(coc, mcp, T);
    const review = plain.links.filter((l) => l.status === 'review');
    const decisions: PairDecision[] = [
      { ...pick(review[0]!), decision: 'accept' },
      { ...pick(plain.links[0]!), decision: 'reject' },
    ];
    const previous = plain.links.slice(1).map(pick);
    const one = match(coc, mcp, { ...T, decisions, previous });
    const two = await matchParallel(coc, mcp, { ...T, decisions, previous, threads: 2 });
    expect(two.links).toEqual(one.links);
    expect(two.cycle).toEqual(one.cycle);
    expect(two.explanations).toEqual(one.explanations);
    const shuffled = match(coc, mcp, {
      ...T,
      decisions: [...decisions].reverse(),
      previous: [...previous].reverse(),
    });
    expect(shuffled.links).toEqual(one.links);
    expect(shuffled.cycle).toEqual(one.cycle);
  });
});

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pick(l: { personalId: string; memberId: string }): PreviousLink {
  return { personalId: l.personalId, memberId: l.memberId };
}
