/**
 * The report's first sections: the summary at a glance, the counts from the two lists to the links,
 * and the spread of match weights.
 */
import { histogramChart, passesChart } from './charts.js';
import { esc, fixed, int, pct, prob } from './format.js';
import { type Cell, figure, num, para, section, table } from './html-parts.js';
import type { MatchReport, ReportListCounts } from './types.js';

/**
 * The "at a glance" block: one sentence and four key figures.
 * @example
 * ```ts
 * summarySection(report);
 * ```
 */
export function summarySection(r: MatchReport): string {
  const s = r.stages;
  const cards: [string, string][] = [
    [int(s.coc.encoded), 'CoC client records compared'],
    [int(s.mcp.encoded), 'plan member records compared'],
    [int(s.matches), 'pairs linked automatically'],
    [int(s.review), 'pairs for a person to review'],
  ];
  let quality = '';
  if (r.quality) {
    const q = r.quality.matches;
    quality = para(
      `Checked against ${int(r.quality.truePairs)} known true pairs, the automatic links have a precision of ` +
        `${pct(q.precision)} (share of links that are right) and a recall of ${pct(q.recall)} (share of true ` +
        'pairs that were linked).',
    );
  }
  return (
    `<section id="summary" aria-labelledby="summary-h" class="summary"><h2 id="summary-h">At a glance</h2>` +
    para(
      `${int(s.coc.encoded)} CoC client records were compared with ${int(s.mcp.encoded)} plan member records. ` +
        `${int(s.matches)} pairs were linked automatically (match probability at least ${prob(r.thresholds.match)}) ` +
        `and ${int(s.review)} pairs need a person to check them.`,
      'lead',
    ) +
    `<ul class="cards">${cards.map(([v, l]) => `<li><span class="big">${esc(v)}</span> ${esc(l)}</li>`).join('')}</ul>` +
    quality +
    '</section>'
  );
}

function listRows(name: string, c: ReportListCounts): Cell[][] {
  const unknown = { html: '<span class="muted">not recorded in the encoded file</span>', num: true };
  return [
    [`${name} rows read`, c.rowsRead === undefined ? unknown : num(int(c.rowsRead))],
    [`${name} rows rejected by validation`, c.rejected === undefined ? unknown : num(int(c.rejected))],
    [`${name} records encoded and matched`, num(int(c.encoded))],
  ];
}

/**
 * Counts at each stage, and the blocking rules with their chart.
 * @example
 * ```ts
 * stagesSection(report);
 * ```
 */
export function stagesSection(r: MatchReport): string {
  const s = r.stages;
  const rows: Cell[][] = [
    ...listRows('CoC client list:', s.coc),
    ...listRows('Plan member list:', s.mcp),
    ['Possible pairs (every client with every member)', num(int(s.possiblePairs))],
    [
      'Pairs compared (found by at least one blocking rule)',
      num(`${int(s.candidatePairs)} (${pct(1 - s.reductionRatio, 4)} of possible pairs)`),
    ],
  ];
  if (s.pairCompleteness !== undefined)
    rows.push(['Known true pairs among the pairs compared', num(pct(s.pairCompleteness, 2))]);
  rows.push(
    [
      'Blocks skipped as too large (pairs not compared by that rule)',
      num(`${int(s.cappedBlocks)} (${int(s.cappedPairs)})`),
    ],
    ['Pairs given a score', num(int(s.scoredPairs))],
    ['Pairs scoring at or above the review threshold', num(int(s.pairsAboveReview))],
    ['Pairs dropped because a record already had a stronger pair', num(int(s.conflictsResolved))],
    ['Pairs linked automatically', num(int(s.matches))],
    ['Pairs sent for review', num(int(s.review))],
  );
  if (s.reviewAmbiguous > 0)
    rows.push(['… of which scored high enough but had a close competitor', num(int(s.reviewAmbiguous))]);
  const passRows: Cell[][] = s.passes.map((p) => [
    p.name,
    num(int(p.pairs)),
    num(int(p.newPairs)),
    num(int(p.cumulativePairs)),
    num(int(p.largestBlock)),
    num(p.cappedBlocks > 0 ? `${int(p.cappedBlocks)} (${int(p.cappedPairs)} pairs)` : '0'),
  ]);
  const capped =
    s.cappedBlocks > 0
      ? para(
          `${int(s.cappedBlocks)} blocks were larger than the cap and were skipped by their rule; other rules ` +
            'may still have compared their pairs. Raising the cap (--max-block) compares them at a cost in time.',
          'note',
        )
      : '';
  return section(
    'stages',
    '1. From the two lists to linked pairs',
    'Each step narrows the pairs down: only pairs that share a blocking key are compared, every compared ' +
      'pair gets a score, and each record is linked at most once.',
    table('Counts at each stage', ['Stage', { html: 'Count', num: true }], rows) +
      '<h3>Blocking rules</h3>' +
      para(
        'A blocking rule compares only records that share a key (for example the same sound of the last ' +
          'name and the same birth year); several rules together catch pairs that one rule alone misses.',
      ) +
      figure(
        passesChart(s.passes),
        'Bars show the pairs each rule found; the dark part is the pairs no earlier rule had found.',
      ) +
      table(
        'Pairs per blocking rule',
        [
          'Rule',
          { html: 'Pairs found', num: true },
          { html: 'New pairs', num: true },
          { html: 'Pairs so far', num: true },
          { html: 'Largest block', num: true },
          { html: 'Blocks skipped', num: true },
        ],
        passRows,
      ) +
      capped,
  );
}

/**
 * The weight histogram with the thresholds.
 * @example
 * ```ts
 * histogramSection(report);
 * ```
 */
export function histogramSection(r: MatchReport): string {
  const t = r.thresholds;
  return section(
    'scores',
    '2. How the scores are spread',
    'Every compared pair gets a match weight — positive when its agreements look more like one person, ' +
      'negative when they look more like two different people — and the dashed lines mark the thresholds.',
    figure(
      histogramChart(r.histogram, t),
      'The vertical scale is logarithmic so that the few high-scoring pairs stay visible next to the many ' +
        `low-scoring ones. A weight of ${fixed(t.matchWeight, 1)} bits is a match probability of ` +
        `${prob(t.match)}; each extra bit doubles the odds of a match.`,
    ),
  );
}
