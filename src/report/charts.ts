/**
 * The report's charts over counts and curves: blocking passes, the weight histogram, the training
 * log-likelihood and the threshold curves. Each returns one inline `<svg>`.
 */
import { at } from '../util/defined.js';
import { compact, fixed, int, prob } from './format.js';
import { line, linear, polyline, px, rect, svg, text, ticks, xAxis, yAxis } from './svg.js';
import type {
  ReportEmSession,
  ReportHistogram,
  ReportPass,
  ReportThresholdRow,
  ReportThresholds,
} from './types.js';

const WIDTH = 720;

/**
 * Horizontal bars per blocking pass: pairs the pass produced, with the part it found first.
 * @example
 * ```ts
 * passesChart(report.stages.passes);
 * ```
 */
export function passesChart(passes: readonly ReportPass[]): string {
  const left = 170;
  const right = WIDTH - 150;
  const top = 34;
  const rowH = 24;
  const height = top + passes.length * rowH + 34;
  const max = Math.max(1, ...passes.map((p) => p.pairs));
  const x = linear(0, max, left, right);
  let body = legend(left, 14, [
    ['bar-new', 'pairs first found by this rule'],
    ['bar-old', 'pairs an earlier rule had already found'],
  ]);
  passes.forEach((p, i) => {
    const y = top + i * rowH;
    body += text(left - 8, y + 15, p.name, { anchor: 'end' });
    body += rect(x(0), y + 3, x(p.pairs), y + rowH - 5, 'bar-old', `${p.name}: ${int(p.pairs)} pairs`);
    body += rect(
      x(0),
      y + 3,
      x(p.newPairs),
      y + rowH - 5,
      'bar-new',
      `${p.name}: ${int(p.newPairs)} new pairs`,
    );
    body += text(x(p.pairs) + 6, y + 15, `${int(p.newPairs)} new / ${int(p.pairs)}`, { cls: 'value' });
  });
  const axisY = top + passes.length * rowH + 2;
  body += line(left, axisY, right, axisY, 'axis');
  body += xAxis(x, ticks(0, max, 5), axisY, compact);
  const total = passes.at(-1)?.cumulativePairs ?? 0;
  return svg(
    'chart-passes',
    WIDTH,
    height,
    'Pairs found by each blocking rule',
    `${passes.length} blocking rules together found ${int(total)} distinct pairs to compare.`,
    body,
  );
}

/**
 * The match-weight histogram on a logarithmic count axis, bars coloured by decision zone, with the
 * review and match thresholds marked.
 * @example
 * ```ts
 * histogramChart(report.histogram, report.thresholds);
 * ```
 */
export function histogramChart(h: ReportHistogram, t: ReportThresholds): string {
  const left = 56;
  const right = WIDTH - 16;
  const top = 56;
  const bottom = 300 - 46;
  const n = h.counts.length;
  const x = linear(h.min, h.min + n * h.binWidth, left, right);
  const maxCount = Math.max(1, ...h.counts);
  // log10(1 + count): a handful of likely matches stays visible next to millions of non-matches.
  const yMax = Math.max(1, Math.ceil(Math.log10(1 + maxCount)));
  const y = linear(0, yMax, bottom, top);
  let body = yAxis(
    y,
    Array.from({ length: yMax + 1 }, (_, k) => k),
    left,
    right,
    (k) => (k === 0 ? '0' : compact(10 ** k)),
  );
  for (let b = 0; b < n; b++) {
    const c = at(h.counts, b);
    if (c === 0) continue;
    const from = h.min + b * h.binWidth;
    const mid = from + h.binWidth / 2;
    const zone = mid >= t.matchWeight ? 'z-match' : mid >= t.reviewWeight ? 'z-review' : 'z-non';
    body += rect(
      x(from) + 0.5,
      y(Math.log10(1 + c)),
      x(from + h.binWidth) - 0.5,
      bottom,
      zone,
      `weight ${fixed(from, 1)} to ${fixed(from + h.binWidth, 1)}: ${int(c)} pairs`,
    );
  }
  body += line(left, bottom, right, bottom, 'axis');
  body += xAxis(x, ticks(h.min, h.min + n * h.binWidth, 10), bottom, (v) => fixed(v, 0));
  body += text((left + right) / 2, bottom + 36, 'match weight (bits)', { anchor: 'middle', cls: 'label' });
  body += text(14, (top + bottom) / 2, 'pairs (log scale)', { anchor: 'middle', cls: 'label', rotate: true });
  body += thresholdMarks(x, t, top, bottom, WIDTH);
  body += legend(left, 14, [
    ['z-non', 'below the review threshold'],
    ['z-review', 'between the thresholds'],
    ['z-match', 'at or above the match threshold'],
  ]);
  return svg(
    'chart-histogram',
    WIDTH,
    300,
    'How the match weights of the compared pairs are spread',
    `${int(h.total)} pairs; pairs at or above ${fixed(t.matchWeight, 1)} bits are linked, ` +
      `from ${fixed(t.reviewWeight, 1)} bits up to there they go to review.`,
    body,
  );
}

function thresholdMarks(
  x: (v: number) => number,
  t: ReportThresholds,
  top: number,
  bottom: number,
  right: number,
  onWeight = true,
): string {
  const mx = x(onWeight ? t.matchWeight : t.match);
  const both = t.review < t.match;
  let out = line(mx, top - 6, mx, bottom, 'threshold');
  out += mark(mx, top - 10, `match ≥ ${prob(t.match)}${both ? '' : ' (no review band)'}`, 'start', right);
  if (both) {
    const rx = x(onWeight ? t.reviewWeight : t.review);
    out += line(rx, top - 22, rx, bottom, 'threshold');
    // A row above the match label, so the two never overlap however close the thresholds are.
    out += mark(rx, top - 24, `review ≥ ${prob(t.review)}`, 'end', right);
  }
  return out;
}

/** A threshold label beside its line, flipped to the other side when it would leave the chart. */
function mark(x: number, y: number, s: string, side: 'start' | 'end', right: number): string {
  const w = s.length * 6.6;
  let anchor = side;
  if (anchor === 'end' && x - 4 - w < 0) anchor = 'start';
  if (anchor === 'start' && x + 4 + w > right) anchor = 'end';
  return text(anchor === 'start' ? x + 4 : x - 4, y, s, { anchor, cls: 'mark' });
}

/**
 * A small line chart of one EM session: the log-likelihood gained since the start, per iteration.
 * @example
 * ```ts
 * trainingChart(report.model.training.sessions[0], 0);
 * ```
 */
export function trainingChart(s: ReportEmSession, index: number): string {
  const width = 230;
  const height = 140;
  const left = 44;
  const right = width - 10;
  const top = 24;
  const bottom = height - 30;
  const ll = s.logLikelihood;
  const first = ll[0] ?? 0;
  const gains = ll.map((v) => v - first);
  const maxGain = Math.max(0, ...gains);
  const lastIt = Math.max(1, ll.length - 1);
  const x = linear(0, lastIt, left, right);
  const y = linear(0, maxGain > 0 ? maxGain : 1, bottom, top);
  let body = text(left, 14, s.pass, { cls: 'label' });
  body += yAxis(y, ticks(0, maxGain > 0 ? maxGain : 1, 3), left, right, compact);
  body += line(left, bottom, right, bottom, 'axis');
  body += xAxis(x, ticks(0, lastIt, 3).filter(Number.isInteger), bottom, (v) => String(v));
  body += text(right, bottom + 28, 'round', { anchor: 'end', cls: 'tick' });
  if (gains.length > 1)
    body += polyline(
      gains.map((g, i) => [x(i), y(g)] as const),
      'series-a',
    );
  const lastGain = gains.at(-1);
  if (lastGain !== undefined) {
    body += `<circle cx="${px(x(gains.length - 1))}" cy="${px(y(lastGain))}" r="3" class="dot-a"/>`;
  }
  return svg(
    `chart-training-${index}`,
    width,
    height,
    `Training session on ${s.pass}`,
    `${s.iterations} iterations, ${s.converged ? 'converged' : 'stopped before converging'}; ` +
      `log-likelihood rose by ${compact(maxGain)}.`,
    body,
  );
}

/**
 * Expected (and, with labels, measured) precision and recall against the threshold, with the
 * chosen thresholds marked.
 * @example
 * ```ts
 * thresholdChart(report.thresholdTable, report.thresholds);
 * ```
 */
export function thresholdChart(rows: readonly ReportThresholdRow[], t: ReportThresholds): string {
  const left = 48;
  const right = WIDTH - 16;
  const top = 56;
  const bottom = 280 - 44;
  const x = linear(0, 1, left, right);
  const lo = lowerBound(rows);
  const y = linear(lo, 1, bottom, top);
  let body = yAxis(y, ticks(lo, 1, 5), left, right, (v) => `${Number((v * 100).toPrecision(6))}%`);
  body += line(left, bottom, right, bottom, 'axis');
  body += xAxis(x, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], bottom, (v) => String(v));
  body += text((left + right) / 2, bottom + 34, 'threshold on match probability', {
    anchor: 'middle',
    cls: 'label',
  });
  const series = (pick: (r: ReportThresholdRow) => number | undefined, cls: string): string => {
    const pts: [number, number][] = [];
    for (const r of rows) {
      const v = pick(r);
      if (v !== undefined) pts.push([x(r.threshold), y(v)]);
    }
    return pts.length > 1 ? polyline(pts, cls) : '';
  };
  body += series((r) => r.expectedPrecision, 'series-a');
  body += series((r) => r.expectedRecall, 'series-b');
  const measured = rows.some((r) => r.measured !== undefined);
  if (measured) {
    body += series((r) => r.measured?.precision, 'series-a dashed');
    body += series((r) => r.measured?.recall, 'series-b dashed');
  }
  body += thresholdMarks(x, t, top, bottom, WIDTH, false);
  const items: [string, string][] = [
    ['key-a', 'expected precision'],
    ['key-b', 'expected recall'],
  ];
  if (measured) items.push(['key-a dashed', 'measured precision'], ['key-b dashed', 'measured recall']);
  body += legend(left, 14, items, true);
  return svg(
    'chart-thresholds',
    WIDTH,
    280,
    'Precision and recall by threshold',
    'Raising the threshold links fewer pairs: precision goes up and recall goes down.' +
      (measured ? ' Dashed lines are measured against the known true pairs.' : ''),
    body,
  );
}

/**
 * Bottom of the precision/recall axis: 0, or a round value below every plotted figure, so that
 * curves near 100% do not merge into one line (the axis labels say where it starts).
 */
function lowerBound(rows: readonly ReportThresholdRow[]): number {
  let min = 1;
  for (const r of rows) {
    min = Math.min(min, r.expectedPrecision, r.expectedRecall);
    if (r.measured) min = Math.min(min, r.measured.precision, r.measured.recall);
  }
  return Math.max(0, Math.min(0.9, Math.floor(min * 10 - 1e-9) / 10));
}

/** A one-line legend of coloured swatches (or short line samples). */
function legend(x0: number, y: number, items: readonly (readonly [string, string])[], lines = false): string {
  let out = '';
  let x = x0;
  for (const [cls, label] of items) {
    out += lines ? line(x, y - 4, x + 18, y - 4, cls) : rect(x, y - 10, x + 12, y, cls);
    out += text(x + (lines ? 24 : 17), y, label, { cls: 'legend' });
    x += (lines ? 30 : 24) + label.length * 6.4;
  }
  return out;
}
