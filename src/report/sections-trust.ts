/**
 * The trust panel, first on the page: one sentence saying whether the model's expectation and the
 * measurement agree, the expected (and measured) wrong and missed links at the chosen thresholds,
 * and the model's warnings.
 */
import { esc, fixed, int, pct } from './format.js';
import { type Cell, num, para, table } from './html-parts.js';
import type { MatchReport, ReportTrustCounts } from './types.js';

/**
 * The "Can I trust these links?" panel.
 * @example
 * ```ts
 * trustSection(report);
 * ```
 */
export function trustSection(r: MatchReport): string {
  const t = r.trust;
  const e = t.expected;
  const m = t.measured;
  const round = (x: number): string => (x < 10 ? fixed(x, 1) : int(Math.round(x)));
  const row = (
    label: string,
    exp: string,
    pick: ((c: ReportTrustCounts & { truePairs: number }) => string) | undefined,
  ): Cell[] => (m ? [label, num(exp), num(pick ? pick(m) : '—')] : [label, num(exp)]);
  const rows: Cell[][] = [
    row('Automatic links', int(e.links), (c) => int(c.links)),
    row('… of which wrong', round(e.wrong), (c) => int(c.wrong)),
    row('True pairs missed (not linked automatically)', round(e.missed), (c) => int(c.missed)),
    row('… in the review band (a person may still link them)', round(e.missedInReview), undefined),
    e.method === 'mixture'
      ? row(
          '… scored below the review threshold or lost to a competitor',
          round(e.missedBelowReview),
          undefined,
        )
      : row('… scored below the review threshold', round(e.missedBelowReview), undefined),
    ...(e.method === 'mixture' && e.missedUnseen > 0
      ? [
          row(
            '… never compared (estimated from which blocking rules catch the likely matches)',
            round(e.missedUnseen),
            undefined,
          ),
        ]
      : []),
    e.method === 'mixture'
      ? row(
          'True pairs λ counts beyond the scores (never compared?) — not in the count above',
          round(e.missedNotCompared),
          undefined,
        )
      : row('… never compared (no blocking rule paired them)', round(e.missedNotCompared), undefined),
    row('Precision (share of automatic links that are right)', pct(e.precision), (c) => pct(c.precision)),
    row('Recall (share of true pairs linked automatically)', pct(e.recall), (c) => pct(c.recall)),
    row('F1', pct(e.f1), (c) => pct(c.f1)),
  ];
  const headers: Cell[] = ['At the chosen thresholds', { html: 'Expected by the model', num: true }];
  if (m) headers.push({ html: `Measured (${esc(int(m.truePairs))} known pairs)`, num: true });
  const cls = t.agreement === 'disagree' ? 'verdict warn' : 'verdict';
  let out = `<p class="${cls}"><strong>${esc(t.verdict)}</strong></p>`;
  out += table('Wrong and missed links', headers, rows);
  out += para(
    e.method === 'mixture'
      ? `The model expects ${round(e.trueMatches)} true pairs${e.missedUnseen > 0 ? `, ${round(e.missedUnseen)} of them never compared (estimated)` : ' among the compared pairs'}. Each record of the smaller ` +
          'list has at most one true partner, so its candidates compete: the chance that each link is right comes ' +
          'from all the scores of its record, not from its own score alone (the one-to-one mixture, docs/scoring.md ' +
          '§8). Expected wrong links add up, over the automatic links, the chance that each is wrong. True pairs ' +
          'that no blocking rule compared are seen by no score: their number is estimated from which blocking rules ' +
          'catch the likely matches, assuming the names, the DOB and the IDs fail independently given a match.'
      : `The model expects ${round(e.trueMatches)} true pairs between the two lists (from λ and the scores; ` +
          'docs/scoring.md says how). Expected wrong links add up, over the automatic links, the chance that ' +
          'each is wrong (1 − its match probability).',
    'note',
  );
  const span = ([lo, hi]: readonly [number, number]): string =>
    `${int(Math.floor(lo))}–${int(Math.ceil(hi))}`;
  out += para(
    `How sure the model is: ${span(e.wrongInterval)} wrong links and ${span(e.missedInterval)} missed true pairs ` +
      (e.method === 'mixture'
        ? '(95 % intervals: the chance in each link, widened by how far the counts move if the likelihood ratios ' +
          'were off by a factor e, and for the missed pairs by the true pairs λ counts beyond the scores). '
        : '(95 % intervals: the chance in each link, and for the missed pairs also the counting error of λ). ') +
      'The caveats below say where the model is doubtful.',
  );
  if (t.caveats.length > 0) {
    out +=
      `<h3>Where the model's assumptions are shaky (${int(t.caveats.length)})</h3>` +
      `<ul class="warnings">${t.caveats.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`;
  } else out += para('Caveats: none (enough training pairs, λ well counted, every level trained).', 'muted');
  const warnings = r.model.warnings;
  if (warnings.length > 0) {
    out +=
      `<h3>Model warnings (${int(warnings.length)})</h3>` +
      `<ul class="warnings">${warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>`;
  } else out += para('Model warnings: none (every level was trained and the weights are in order).', 'muted');
  return (
    '<section id="trust" aria-labelledby="trust-h" class="trust"><h2 id="trust-h">Can I trust these links?</h2>' +
    `${out}</section>`
  );
}
