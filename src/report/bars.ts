/**
 * The report's diverging bar charts in bits: the weight of each agreement level of a comparison,
 * and the waterfall of one pair (prior, then each comparison, then the total).
 */
import { at } from '../util/defined.js';
import { fixed, int, prob, signed } from './format.js';
import { line, linear, rect, svg, text, ticks, xAxis } from './svg.js';
import type { ReportComparison, ReportThresholds, ReportWaterfall } from './types.js';

const WIDTH = 720;
const ROW = 22;

/**
 * Bars of log2(m/u) per level of one comparison, left of zero for levels that speak against a
 * match. `maxAbs` is shared by all comparisons so their bars compare at a glance.
 * @example
 * ```ts
 * weightsChart(report.model.comparisons[0], 0, 25);
 * ```
 */
export function weightsChart(c: ReportComparison, index: number, maxAbs: number): string {
  const left = 230;
  const right = WIDTH - 70;
  const top = 8;
  const height = top + c.levels.length * ROW + 34;
  const x = linear(-maxAbs, maxAbs, left, right);
  let body = '';
  c.levels.forEach((l, i) => {
    const y = top + i * ROW;
    body += text(left - 8, y + 15, l.label, { anchor: 'end' });
    if (l.trained === false) {
      body += text(x(0) + 5, y + 15, 'not trained', { anchor: 'start', cls: 'value' });
      return;
    }
    const w = l.weight ?? (l.m > 0 ? maxAbs : -maxAbs);
    const shown = Math.max(-maxAbs, Math.min(maxAbs, w));
    const label = l.weight === null ? (w > 0 ? '+∞' : '−∞') : signed(l.weight);
    body += rect(x(0), y + 4, x(shown), y + ROW - 4, w >= 0 ? 'w-pos' : 'w-neg', `${l.label}: ${label} bits`);
    body += text(shown >= 0 ? x(shown) + 5 : x(shown) - 5, y + 15, label, {
      anchor: shown >= 0 ? 'start' : 'end',
      cls: 'value',
    });
  });
  const axisY = top + c.levels.length * ROW + 2;
  body += line(x(0), top, x(0), axisY, 'zero');
  body += line(left, axisY, right, axisY, 'axis');
  body += xAxis(x, ticks(-maxAbs, maxAbs, 8), axisY, (v) => fixed(v, 0));
  body += text((left + right) / 2, axisY + 30, 'weight log2(m/u), bits', { anchor: 'middle', cls: 'label' });
  return svg(
    `chart-weights-${index}`,
    WIDTH,
    height + 4,
    `Weight of each agreement level of ${c.name}`,
    `${c.levels.length} levels; positive weights count towards a match, negative against.`,
    body,
  );
}

/**
 * The waterfall of one pair: starting at the prior weight, each comparison moves the running total
 * left or right; the last bar is the pair's weight, against the review and match thresholds.
 * @example
 * ```ts
 * waterfallChart(report.explanations.review[0], report.thresholds, 'review-0');
 * ```
 */
export function waterfallChart(w: ReportWaterfall, t: ReportThresholds, id: string): string {
  const left = 250;
  const right = WIDTH - 70;
  const top = 26;
  const rows = w.steps.length + 2;
  const height = top + rows * ROW + 40;
  const running: number[] = [w.priorWeight];
  let sum = w.priorWeight;
  for (const s of w.steps) {
    sum += s.weight;
    running.push(sum);
  }
  const lo = Math.min(0, t.reviewWeight, ...running) - 1;
  const hi = Math.max(0, t.matchWeight, ...running) + 1;
  const x = linear(lo, hi, left, right);
  let body = '';
  const row = (i: number, label: string, from: number, to: number, cls: string, value: string): void => {
    const y = top + i * ROW;
    body += text(left - 8, y + 15, label, { anchor: 'end' });
    body += rect(x(from), y + 4, x(to), y + ROW - 4, cls, `${label}: ${value}`);
    // Values in their own column: beside the bars they would cross the threshold lines.
    body += text(WIDTH - 6, y + 15, value, { anchor: 'end', cls: 'value' });
  };
  row(0, 'starting point (prior)', 0, w.priorWeight, 'w-prior', signed(w.priorWeight));
  w.steps.forEach((s, i) => {
    const from = at(running, i);
    const cls = s.weight > 0 ? 'w-pos' : s.weight < 0 ? 'w-neg' : 'w-zero';
    row(i + 1, `${s.name}: ${s.level}`, from, from + s.weight, cls, signed(s.weight));
  });
  row(
    rows - 1,
    `total (probability ${prob(w.probability)})`,
    0,
    w.weight,
    w.status === 'match' ? 'z-match' : 'z-review',
    signed(w.weight),
  );
  // Connectors show where each step starts: the previous step's end.
  for (let i = 0; i < w.steps.length; i++) {
    const xr = x(at(running, i));
    body += line(xr, top + i * ROW + ROW - 4, xr, top + (i + 1) * ROW + 4, 'connector');
  }
  const axisY = top + rows * ROW + 2;
  body += line(x(0), top, x(0), axisY, 'zero');
  body += line(x(t.matchWeight), top - 6, x(t.matchWeight), axisY, 'threshold');
  body += text(x(t.matchWeight) + 3, top - 10, 'match', { cls: 'mark' });
  if (t.review < t.match) {
    body += line(x(t.reviewWeight), top - 6, x(t.reviewWeight), axisY, 'threshold');
    body += text(x(t.reviewWeight) - 3, top - 10, 'review', { anchor: 'end', cls: 'mark' });
  }
  body += line(left, axisY, right, axisY, 'axis');
  body += xAxis(x, ticks(lo, hi, 8), axisY, (v) => fixed(v, 0));
  body += text((left + right) / 2, axisY + 30, 'match weight (bits)', { anchor: 'middle', cls: 'label' });
  return svg(
    id,
    WIDTH,
    height,
    `Why pair ${w.personalId} and ${w.memberId} scored ${signed(w.weight)} bits`,
    `Starting from ${signed(w.priorWeight)} bits, ${w.steps.length} comparisons bring the weight to ` +
      `${signed(w.weight)} bits (probability ${prob(w.probability)}); ${int(
        w.steps.filter((s) => s.weight > 0).length,
      )} comparisons count for a match.`,
    body,
  );
}
