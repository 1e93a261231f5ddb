/**
 * The report's model sections: m and u of every comparison level, how training converged, and the
 * threshold table.
 */
import { at } from '../util/defined.js';
import { weightsChart } from './bars.js';
import { thresholdChart, trainingChart } from './charts.js';
import { esc, int, pct, prob, sci, signed } from './format.js';
import { type Cell, figure, num, para, section, table } from './html-parts.js';
import type { MatchReport, ReportThresholdRow } from './types.js';

/** The largest |weight| drawn; a few extreme levels should not squash all the others. */
const WEIGHT_AXIS_CAP = 30;

/**
 * m, u and weight per level of every comparison: a chart and a table each.
 * @example
 * ```ts
 * comparisonsSection(report);
 * ```
 */
export function comparisonsSection(r: MatchReport): string {
  const cs = r.model.comparisons;
  let maxAbs = 1;
  for (const c of cs)
    for (const l of c.levels)
      if (l.weight !== null && l.trained !== false) maxAbs = Math.max(maxAbs, Math.abs(l.weight));
  maxAbs = Math.min(WEIGHT_AXIS_CAP, Math.ceil(maxAbs / 5) * 5);
  let out = para(
    'Levels marked “(DQ 2)” are used when either record’s data-quality code says the value is partial or ' +
      'approximate. A comparison with a missing value, or a data-quality code of 8, 9 or 99, adds nothing.',
    'note',
  );
  cs.forEach((c, i) => {
    const notes: string[] = [];
    if (!c.mTrained) notes.push('m was not estimated from these data (starting values kept)');
    if (c.levels.some((l) => l.trained === false))
      notes.push(
        'levels marked “not trained” had too little data to estimate m, so they carry no real weight',
      );
    for (const w of r.model.warnings ?? [])
      if (w.comparison === c.name && w.kind === 'not-monotone') notes.push(w.message.replace(/\.$/, ''));
    if (c.termFrequency)
      notes.push(
        'exact agreement is adjusted for how common the value is, so a pair’s weight can differ from this table',
      );
    out +=
      `<h3>${esc(c.name)}</h3>` +
      (notes.length > 0 ? para(`Note: ${notes.join('; ')}.`, 'note') : '') +
      figure(
        weightsChart(c, i, maxAbs),
        `${c.name}: bars to the right count towards a match, bars to the left against it.`,
      ) +
      table(
        `m and u of ${c.name}`,
        [
          'Agreement level',
          { html: 'm (same person)', num: true },
          { html: 'u (different people)', num: true },
          { html: 'Weight log2(m/u), bits', num: true },
        ],
        c.levels.map((l) => [
          l.label,
          num(sci(l.m)),
          num(sci(l.u)),
          num(
            l.trained === false
              ? 'not trained'
              : l.weight === null
                ? l.m > 0
                  ? '+∞'
                  : '−∞'
                : signed(l.weight),
          ),
        ]),
      );
  });
  return section(
    'model',
    '3. What each comparison tells us',
    'For each way two records can agree, m is how often the same person’s two records agree that way and u ' +
      'how often two different people’s records do; the weight log2(m/u) is what that level adds to a score.',
    out,
  );
}

/**
 * λ and how training converged: a table of EM sessions and a small chart each.
 * @example
 * ```ts
 * trainingSection(report);
 * ```
 */
export function trainingSection(r: MatchReport): string {
  const m = r.model;
  const oneIn = m.lambda > 0 ? Math.round(1 / m.lambda) : 0;
  let out = para(
    `λ = ${sci(m.lambda)}: about 1 in ${int(oneIn)} client–member pairs picked at random is the same person, so ` +
      `every pair starts from a weight of ${signed(m.priorWeight)} bits before any comparison is made.`,
  );
  if (m.source === 'file')
    out += para('The model was read from a model file; it was not retrained on these lists.');
  if (m.schemaFingerprint) out += para(`Linkage schema fingerprint: ${m.schemaFingerprint}…`, 'muted');
  const t = m.training;
  if (!t) {
    out += para('The model carries no training summary.', 'note');
  } else {
    out += para(
      `λ was estimated by ${t.lambdaMethod || 'an unrecorded method'} (${int(t.deterministicLinks)} pairs met the ` +
        `rules; the rules are estimated to find ${pct(t.deterministicRecall)} of true pairs). u was estimated ` +
        `from ${int(t.uSamplePairs)} random pairs; m from ${int(t.trainingRecords)} sampled records.`,
    );
    const converged = t.sessions.filter((s) => s.converged).length;
    out += para(
      `${converged} of ${t.sessions.length} training sessions converged (their estimates stopped changing). ` +
        'Each chart shows how much the fit improved with each round; a flat end means it settled.',
    );
    out += `<div class="grid">${t.sessions.map((s, i) => trainingChart(s, i)).join('')}</div>`;
    out += table(
      'Training sessions',
      [
        'Blocking rule',
        { html: 'Pairs', num: true },
        { html: 'Patterns', num: true },
        'Comparisons trained',
        { html: 'Rounds', num: true },
        'Converged',
        { html: 'Match rate λ (before each pair’s prior)', num: true },
      ],
      t.sessions.map((s) => [
        s.pass,
        num(int(s.pairs)),
        num(int(s.patterns)),
        s.trained.join(', '),
        num(int(s.iterations)),
        s.converged ? 'yes' : 'no',
        num(pct(s.lambda)),
      ]),
    );
  }
  return section(
    'training',
    '4. How the model learned from the data',
    'The model’s estimates were fitted with the EM algorithm, which repeats rounds of estimation until the ' +
      'estimates stop changing.',
    out,
  );
}

/** Rows worth a line in the printed table: every 0.05, the extremes, and the chosen thresholds. */
function shownRows(rows: readonly ReportThresholdRow[], match: number, review: number): ReportThresholdRow[] {
  const keep = (t: number): boolean =>
    t === match || t === review || Math.abs(t * 20 - Math.round(t * 20)) < 1e-9 || t >= 0.99 || t === 0.01;
  return rows.filter((r) => keep(r.threshold));
}

/**
 * The threshold table and chart, the rationale, and the measured quality when labels were given.
 * @example
 * ```ts
 * thresholdsSection(report);
 * ```
 */
export function thresholdsSection(r: MatchReport): string {
  const t = r.thresholds;
  const measured = r.thresholdTable.some((row) => row.measured !== undefined);
  const rows = shownRows(r.thresholdTable, t.match, t.review);
  const headers: Cell[] = [
    'Threshold',
    { html: 'Pairs at or above', num: true },
    { html: 'Expected precision', num: true },
    { html: 'Expected recall', num: true },
  ];
  if (measured)
    headers.push(
      { html: 'Measured precision', num: true },
      { html: 'Measured recall', num: true },
      { html: 'Measured F1', num: true },
    );
  const body = rows.map((row) => {
    const mark = row.threshold === t.match ? ' (match)' : row.threshold === t.review ? ' (review)' : '';
    const cells: Cell[] = [
      `${row.threshold}${mark}`,
      num(int(row.pairsAbove)),
      num(pct(row.expectedPrecision)),
      num(pct(row.expectedRecall)),
    ];
    if (measured) {
      const m = row.measured;
      cells.push(
        ...(m ? [num(pct(m.precision)), num(pct(m.recall)), num(pct(m.f1))] : [num('—'), num('—'), num('—')]),
      );
    }
    return cells;
  });
  let out =
    para(
      `Match threshold ${prob(t.match)}; review threshold ${prob(t.review)}. How they were chosen: ${t.rationale}`,
    ) +
    figure(
      thresholdChart(r.thresholdTable, t),
      'Expected figures come from the model’s own probabilities (they are right if the model is well ' +
        'calibrated). The vertical axis may start above 0% to show small differences; its labels say where.',
    ) +
    table('Expected (and measured) quality by threshold', headers, body, (i) =>
      at(rows, i).threshold === t.match || at(rows, i).threshold === t.review ? 'chosen' : undefined,
    );
  if (measured)
    out += para(
      '“—”: pairs below the review threshold are not kept, so thresholds below it cannot be measured.',
      'note',
    );
  const q = r.quality;
  if (q) {
    const m = (x: typeof q.matches): Cell[] => [
      num(int(x.truePositives)),
      num(int(x.falsePositives)),
      num(int(x.falseNegatives)),
      num(pct(x.precision)),
      num(pct(x.recall)),
      num(pct(x.f1)),
    ];
    out += table(
      `Measured against ${int(q.truePairs)} known true pairs`,
      [
        'Decision',
        { html: 'Right links', num: true },
        { html: 'Wrong links', num: true },
        { html: 'Missed pairs', num: true },
        { html: 'Precision', num: true },
        { html: 'Recall', num: true },
        { html: 'F1', num: true },
      ],
      [
        ['Automatic links only', ...m(q.matches)],
        ['Automatic links and every review pair confirmed', ...m(q.matchesAndReview)],
      ],
    );
  }
  return section(
    'thresholds',
    '5. Choosing the thresholds',
    'A pair is linked when its match probability reaches the match threshold and goes to review when it lies ' +
      'between the two thresholds; the table shows what other thresholds would give.',
    out,
  );
}
