/**
 * The report's last sections: the waterfall of every explained pair, and a glossary.
 */
import { waterfallChart } from './bars.js';
import { esc, int, prob, signed } from './format.js';
import { para, section } from './html-parts.js';
import type { MatchReport, ReportWaterfall } from './types.js';

/** Waterfalls shown open; the rest are one click away (and opened for printing). */
const OPEN = 3;

function pairs(list: readonly ReportWaterfall[], r: MatchReport, kind: string): string {
  return list
    .map((w, i) => {
      const truth =
        w.trueMatch === undefined
          ? ''
          : w.trueMatch
            ? ' · labelled: same person'
            : ' · labelled: different people';
      const summary =
        `<span class="ids">${esc(w.personalId)} ↔ ${esc(w.memberId)}</span> · probability ${esc(prob(w.probability))} · ` +
        `weight ${esc(signed(w.weight))} bits${esc(truth)}`;
      const reason = w.reason
        ? `<p class="reason"><strong>Why in review:</strong> ${esc(w.reason.text)}</p>`
        : '';
      return `<details${i < OPEN ? ' open' : ''}><summary>${summary}</summary>${reason}${waterfallChart(w, r.thresholds, `wf-${kind}-${i}`)}</details>`;
    })
    .join('\n');
}

/**
 * Waterfalls for the review pairs and the sample of matches.
 * @example
 * ```ts
 * explanationsSection(report);
 * ```
 */
export function explanationsSection(r: MatchReport): string {
  const e = r.explanations;
  let out = para(
    'Each chart starts from the prior weight (how rare a match is between two records picked at random), adds ' +
      'the weight of each comparison — the label says how the two records agreed — and ends at the pair’s ' +
      'total. Comparisons with no value on one side add 0.',
  );
  out += `<h3>Pairs for review (${int(e.reviewTotal)})</h3>`;
  if (e.reviewTotal === 0) out += para('No pair needs review.');
  else {
    if (e.review.length < e.reviewTotal)
      out += para(
        `The first ${int(e.review.length)} of ${int(e.reviewTotal)} review pairs are shown; the review file ` +
          'lists every one with the same levels and weights.',
        'note',
      );
    out += pairs(e.review, r, 'review');
  }
  out += `<h3>A sample of automatic matches (${int(e.matches.length)} of ${int(e.matchesTotal)})</h3>`;
  out += e.matches.length > 0 ? pairs(e.matches, r, 'match') : para('No match to show.');
  return section(
    'explanations',
    '6. Why pairs were linked or sent for review',
    'For each pair, the chart shows how much each comparison moved its score towards or away from a match.',
    out,
  );
}

const GLOSSARY: readonly (readonly [string, string])[] = [
  ['Pair', 'One CoC client record together with one plan member record.'],
  [
    'Blocking rule',
    'A cheap test that decides which pairs are worth comparing, such as sharing the same birth date; ' +
      'comparing every possible pair would take far too long.',
  ],
  [
    'Comparison and agreement level',
    'A comparison looks at one field (first name, date of birth, …) on the encoded records and says how ' +
      'the two agree, for example “exact”, “nickname” or “one digit off”. Values themselves are never seen.',
  ],
  ['m', 'How often a level occurs when the two records are the same person.'],
  ['u', 'How often a level occurs when the two records are two different people.'],
  [
    'Weight (bits)',
    'log2(m/u): +1 bit doubles the odds that the pair is a match, −1 bit halves them. A pair’s match weight ' +
      'is the prior plus the weights of its levels.',
  ],
  [
    'λ (lambda) and prior',
    'The share of all possible pairs that are matches, and the weight it gives (log2 of the odds).',
  ],
  ['Match probability', 'The match weight turned back into a probability between 0 and 1.'],
  [
    'One-to-one',
    'Each client is linked to at most one member and the other way round: the strongest pair wins.',
  ],
  ['Precision', 'Of the pairs linked, the share that are truly the same person.'],
  ['Recall', 'Of the true pairs, the share that were linked.'],
  ['F1', 'A single score that balances precision and recall (their harmonic mean).'],
];

/**
 * A glossary of the terms used.
 * @example
 * ```ts
 * glossarySection();
 * ```
 */
export function glossarySection(): string {
  return section(
    'glossary',
    'Words used in this report',
    'Short definitions of the terms above.',
    `<dl>${GLOSSARY.map(([t, d]) => `<dt>${esc(t)}</dt><dd>${esc(d)}</dd>`).join('')}</dl>`,
  );
}
