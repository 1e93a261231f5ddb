/**
 * Text helpers of the HTML report: escaping and number formats. Deterministic and locale-free (no
 * `toLocaleString`), so the same report renders the same bytes in Node and in any browser.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML/SVG content and quoted attribute values.
 * @example
 * ```ts
 * esc('<b id="x">'); // '&lt;b id=&quot;x&quot;&gt;'
 * ```
 */
export function esc(s: string): string {
  // The pattern matches only characters ESCAPES has.
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const MINUS = '\u2212';

/**
 * An integer with thousands separators (non-finite values as "—").
 * @example
 * ```ts
 * int(1234567); // '1,234,567'
 * ```
 */
export function int(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? MINUS + s : s;
}

/**
 * A share as a percentage with `digits` decimals.
 * @example
 * ```ts
 * pct(0.98765); // '98.8%'
 * ```
 */
export function pct(x: number, digits = 1): string {
  return `${fixed(x * 100, digits)}%`;
}

/**
 * A number with `digits` decimals and a true minus sign.
 * @example
 * ```ts
 * fixed(-2.345, 1); // '−2.3'
 * ```
 */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return s.startsWith('-') ? (/^-0(\.0*)?$/.test(s) ? s.slice(1) : MINUS + s.slice(1)) : s;
}

/**
 * A weight in bits with its sign: "+12.3", "−4.1", "0.0".
 * @example
 * ```ts
 * signed(3.06); // '+3.1'
 * ```
 */
export function signed(w: number, digits = 1): string {
  const s = fixed(w, digits);
  return w > 0 && s !== fixed(0, digits) ? `+${s}` : s;
}

/**
 * A probability for people: three decimals, with "< 0.001" and "> 0.999" at the ends.
 * @example
 * ```ts
 * prob(0.42); // '0.420'
 * prob(0.99995); // '> 0.999'
 * ```
 */
export function prob(p: number): string {
  if (p >= 0.9995 && p < 1) return '> 0.999';
  if (p > 0 && p < 0.0005) return '< 0.001';
  return p.toFixed(3);
}

/**
 * A small probability (m, u, λ) as plain text: three significant digits, powers of ten below 0.001
 * written "5.02 × 10^-7" style with a Unicode superscript so it also reads in SVG text.
 * @example
 * ```ts
 * sci(0.25); // '0.250'
 * sci(5.0199e-7); // '5.02 × 10⁻⁷'
 * ```
 */
export function sci(x: number): string {
  if (x === 0) return '0';
  if (x >= 0.001) return x.toPrecision(3);
  const e = Math.floor(Math.log10(x));
  let mant = x / 10 ** e;
  let exp = e;
  // Rounding the mantissa can reach 10 (9.996 → "10.0"); carry into the exponent.
  if (Number(mant.toPrecision(3)) >= 10) {
    mant /= 10;
    exp += 1;
  }
  return `${mant.toPrecision(3)} × 10${superscript(exp)}`;
}

const SUP: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

function superscript(n: number): string {
  return [...String(n)].map((c) => SUP[c] ?? c).join('');
}

/**
 * A large number compactly for chart axes: 950, 12k, 3.4M, −1.2M.
 * @example
 * ```ts
 * compact(1_234_567); // '1.2M'
 * ```
 */
export function compact(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? MINUS : '';
  if (a >= 1e9) return `${sign}${trim(a / 1e9)}G`;
  if (a >= 1e6) return `${sign}${trim(a / 1e6)}M`;
  if (a >= 1e3) return `${sign}${trim(a / 1e3)}k`;
  return `${sign}${trim(a)}`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : String(Number(x.toPrecision(2)));
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * An ISO 8601 time for people, in UTC ("1 January 2026, 09:30 UTC"); an unparseable string as is.
 * @example
 * ```ts
 * dateTime('2026-01-01T09:30:00.000Z'); // '1 January 2026, 09:30 UTC'
 * ```
 */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}
