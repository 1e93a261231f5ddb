/**
 * Writing the links file (`PersonalID,MemberID,MatchWeight,MatchProbability,Status`, the contract's
 * shape) and the review file (the review pairs, with each comparison's level and weight so a reviewer
 * sees why a pair is uncertain). IDs only: neither file holds clear text.
 */
import type { LinkChange, MatchResult } from '../match/match.js';
import { CSV_EOL, formatCsvRow } from '../util/csv-write.js';

/** What the writers need of a match result. */
export type LinksSource = Pick<MatchResult, 'links' | 'model' | 'explanations'>;

const LINK_COLUMNS = ['PersonalID', 'MemberID', 'MatchWeight', 'MatchProbability', 'Status'] as const;

function* lines(result: LinksSource, only?: 'review'): Generator<string> {
  const header: string[] = [...LINK_COLUMNS];
  if (only)
    header.push(...result.model.comparisons.flatMap((c) => [`${c.spec.name}Level`, `${c.spec.name}Weight`]));
  yield formatCsvRow(header) + CSV_EOL;
  const explained = new Map(result.explanations.map((e) => [`${e.personalId}\u0000${e.memberId}`, e]));
  for (const l of result.links) {
    if (only && l.status !== only) continue;
    const row: (string | number)[] = [
      l.personalId,
      l.memberId,
      l.weight.toFixed(4),
      l.probability.toFixed(6),
      l.status,
    ];
    if (only) {
      const e = explained.get(`${l.personalId}\u0000${l.memberId}`);
      for (const c of e?.comparisons ?? []) row.push(c.level, c.weight.toFixed(4));
    }
    yield formatCsvRow(row) + CSV_EOL;
  }
}

/**
 * The lines of the links file (CRLF-terminated, header first): every link, `match` and `review`,
 * in PersonalID order, weight to 4 decimals and probability to 6.
 * @example
 * ```ts
 * import { linksFileLines, match } from 'bloomlink';
 * import { writeFileSync } from 'node:fs';
 * const result = match(coc, mcp);
 * writeFileSync('links.csv', [...linksFileLines(result)].join(''));
 * ```
 */
export function linksFileLines(result: LinksSource): Generator<string> {
  return lines(result);
}

/**
 * The lines of the review file: the links with Status `review`, each with `<comparison>Level` and
 * `<comparison>Weight` columns: the pair's explanation, for the person who reviews it.
 * @example
 * ```ts
 * import { match, reviewFileLines } from 'bloomlink';
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('review.csv', [...reviewFileLines(match(coc, mcp))].join(''));
 * ```
 */
export function reviewFileLines(result: LinksSource): Generator<string> {
  return lines(result, 'review');
}

/**
 * The lines of the changes file (`match --previous … --changes FILE`):
 * `PersonalID,MemberID,Change,Reason`, one row per link of this month (`added` or `kept`) and per
 * link of last month that is not one now (`removed`, with its reason code), in the order given
 * (`MatchResult.cycle.changes` is sorted by PersonalID, then MemberID).
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { changesFileLines, match, readLinks } from 'bloomlink';
 * const { links: previous } = await readLinks(readFileSync('last-month/links.csv')); // last month's links
 * const result = match(coc, mcp, { previous });
 * const text = [...changesFileLines(result.cycle?.changes ?? [])].join('');
 * ```
 */
export function* changesFileLines(changes: readonly LinkChange[]): Generator<string> {
  yield formatCsvRow(['PersonalID', 'MemberID', 'Change', 'Reason']) + CSV_EOL;
  for (const c of changes) yield formatCsvRow([c.personalId, c.memberId, c.change, c.reason ?? '']) + CSV_EOL;
}
