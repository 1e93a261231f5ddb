/**
 * The few SVG primitives the report's charts are drawn with (no chart library: the page must work
 * offline and stay small). Every function returns markup; text is escaped here.
 */
import { esc } from './format.js';

/** A linear map from a data domain to a pixel range. */
export type Scale = (v: number) => number;

/**
 * A linear scale; a zero-width domain maps everything to the range's middle.
 * @example
 * ```ts
 * const x = linear(0, 10, 40, 540);
 * x(5); // 290
 * ```
 */
export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/**
 * About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10ⁿ).
 * @example
 * ```ts
 * ticks(-3.2, 17, 5); // [0, 5, 10, 15] (multiples of the step inside the interval)
 * ```
 */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    // Snap to the step's precision so 0.1 + 0.2 does not print as 0.30000000000000004; snapping
    // can move an end tick just outside the interval, where it would be drawn off the axis.
    const t = Number((Math.round(v / step) * step).toPrecision(12));
    if (t >= lo && t <= hi) out.push(t);
  }
  // A step wider than a narrow interval may have no multiple inside it: label the ends instead.
  return out.length > 0 ? out : [lo, hi];
}

/** Rounds a coordinate to 0.1 px: enough for the eye, and keeps the file small. */
export function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/**
 * Opens an accessible chart: `role="img"` named by its `<title>` and described by `<desc>`,
 * with explicit width/height so it has a size before CSS loads (and when printed).
 * @example
 * ```ts
 * svg('hist', 600, 300, 'Match weights', 'Most pairs score below −10 bits.', '<rect …/>');
 * ```
 */
export function svg(
  id: string,
  width: number,
  height: number,
  title: string,
  desc: string,
  body: string,
): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${esc(id)}" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${esc(id)}-t ${esc(id)}-d">` +
    `<title id="${esc(id)}-t">${esc(title)}</title><desc id="${esc(id)}-d">${esc(desc)}</desc>${body}</svg>`
  );
}

/**
 * A text element (content escaped).
 * @example
 * ```ts
 * text(10, 20, 'FirstName', { anchor: 'end' });
 * ```
 */
export function text(
  x: number,
  y: number,
  s: string,
  o: { anchor?: 'start' | 'middle' | 'end'; cls?: string; rotate?: boolean } = {},
): string {
  const anchor = o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : '';
  const cls = o.cls ? ` class="${o.cls}"` : '';
  const rot = o.rotate ? ` transform="rotate(-90 ${px(x)} ${px(y)})"` : '';
  return `<text x="${px(x)}" y="${px(y)}"${anchor}${cls}${rot}>${esc(s)}</text>`;
}

/**
 * A rectangle from two corners in any order (so bars can grow left or down), at least 0.5 px wide.
 * @example
 * ```ts
 * rect(10, 0, 4, 20, 'bar-match');
 * ```
 */
export function rect(x0: number, y0: number, x1: number, y1: number, cls: string, tip?: string): string {
  const x = Math.min(x0, x1);
  const y = Math.min(y0, y1);
  const w = Math.max(0.5, Math.abs(x1 - x0));
  const h = Math.max(0.5, Math.abs(y1 - y0));
  const title = tip === undefined ? '/>' : `><title>${esc(tip)}</title></rect>`;
  return `<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" class="${cls}"${title}`;
}

/**
 * A line segment.
 * @example
 * ```ts
 * line(0, 10, 100, 10, 'axis');
 * ```
 */
export function line(x0: number, y0: number, x1: number, y1: number, cls: string): string {
  return `<line x1="${px(x0)}" y1="${px(y0)}" x2="${px(x1)}" y2="${px(y1)}" class="${cls}"/>`;
}

/**
 * A polyline through points.
 * @example
 * ```ts
 * polyline([[0, 0], [10, 5]], 'series-1');
 * ```
 */
export function polyline(points: readonly (readonly [number, number])[], cls: string): string {
  return `<polyline points="${points.map(([x, y]) => `${px(x)},${px(y)}`).join(' ')}" class="${cls}"/>`;
}

/**
 * A horizontal axis at `y` with ticks and labels.
 * @example
 * ```ts
 * xAxis(linear(0, 1, 40, 540), [0, 0.5, 1], 280, (v) => String(v));
 * ```
 */
export function xAxis(x: Scale, values: readonly number[], y: number, label: (v: number) => string): string {
  let out = '';
  for (const v of values) {
    out += line(x(v), y, x(v), y + 4, 'axis');
    out += text(x(v), y + 16, label(v), { anchor: 'middle', cls: 'tick' });
  }
  return out;
}

/**
 * A vertical axis at `x` with ticks, labels and light grid lines across to `x2`.
 * @example
 * ```ts
 * yAxis(linear(0, 1, 280, 20), [0, 0.5, 1], 40, 540, (v) => String(v));
 * ```
 */
export function yAxis(
  y: Scale,
  values: readonly number[],
  x: number,
  x2: number,
  label: (v: number) => string,
): string {
  let out = '';
  for (const v of values) {
    out += line(x, y(v), x2, y(v), 'gridline');
    out += text(x - 6, y(v) + 4, label(v), { anchor: 'end', cls: 'tick' });
  }
  return out;
}
