/**
 * Python's `datetime.strptime` (CPython `_strptime`, C/English locale) for the directives that
 * describe calendar dates, so that a clkhash `date` feature accepts, rejects and normalises
 * exactly the values clkhash does. Python matches a regular expression built from the format
 * (case-insensitive, anchored at the start only) and then rejects leftover text; this does the same.
 */
import { asciiDigits, PY_WHITESPACE_CLASS } from './python-text.js';

/** A calendar date read by {@link compileStrptime}. */
export interface PyDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A compiled date format: `parse` returns `undefined` wherever Python raises `ValueError`. */
export interface CompiledDateFormat {
  readonly parse: (value: string) => PyDate | undefined;
}

const D = '\\p{Nd}';
const names = (list: readonly string[], group: string): string =>
  `(?<${group}>${[...list].sort((a, b) => b.length - a.length).join('|')})`;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september'];
const FULL_MONTHS = [...MONTHS, 'october', 'november', 'december'];
const SHORT_MONTHS = FULL_MONTHS.map((m) => m.slice(0, 3));
const FULL_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const SHORT_DAYS = FULL_DAYS.map((d) => d.slice(0, 3));

/** Directive regular expressions, transcribed from CPython's `TimeRE` (`\d` is Unicode there). */
const DIRECTIVES: Readonly<Record<string, string>> = {
  d: `(?<d>3[0-1]|[1-2]${D}|0[1-9]|[1-9]| [1-9])`,
  f: '(?<f>[0-9]{1,6})',
  H: `(?<H>2[0-3]|[0-1]${D}|${D})`,
  I: '(?<I>1[0-2]|0[1-9]|[1-9])',
  j: `(?<j>36[0-6]|3[0-5]${D}|[1-2]${D}${D}|0[1-9]${D}|00[1-9]|[1-9]${D}|0[1-9]|[1-9])`,
  m: '(?<m>1[0-2]|0[1-9]|[1-9])',
  M: `(?<M>[0-5]${D}|${D})`,
  S: `(?<S>6[0-1]|[0-5]${D}|${D})`,
  w: '(?<w>[0-6])',
  u: '(?<u>[1-7])',
  y: `(?<y>${D}${D})`,
  Y: `(?<Y>${D}${D}${D}${D})`,
  A: names(FULL_DAYS, 'A'),
  a: names(SHORT_DAYS, 'a'),
  B: names(FULL_MONTHS, 'B'),
  b: names(SHORT_MONTHS, 'b'),
  p: '(?<p>am|pm)',
  '%': '%',
};

/** C-locale expansions Python uses for `%c`, `%x` and `%X`. */
const COMPOSITE: Readonly<Record<string, string>> = {
  c: '%a %b %d %H:%M:%S %Y',
  x: '%m/%d/%y',
  X: '%H:%M:%S',
};

/** Directives Python supports that do not fit a date-only reading (week numbers, time zones). */
const UNSUPPORTED = new Set(['U', 'W', 'V', 'G', 'z', 'Z']);

function escapeLiteral(text: string): string {
  return text
    .replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
    .replace(new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'gu'), () => `[${PY_WHITESPACE_CLASS}]+`);
}

function toPattern(format: string, groups: Set<string>): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const at = format.indexOf('%', i);
    if (at < 0) {
      out += escapeLiteral(format.slice(i));
      break;
    }
    out += escapeLiteral(format.slice(i, at));
    const directive = format[at + 1];
    if (directive === undefined) throw new RangeError(`stray % at the end of date format "${format}"`);
    const composite = COMPOSITE[directive];
    if (composite !== undefined) out += toPattern(composite, groups);
    else if (UNSUPPORTED.has(directive)) {
      throw new RangeError(
        `date format directive %${directive} is not supported in clkhash compatibility mode`,
      );
    } else {
      const re = DIRECTIVES[directive];
      if (re === undefined)
        throw new RangeError(`'%${directive}' is a bad directive in date format "${format}"`);
      if (directive !== '%') {
        // Python's `re` refuses a group name defined twice, so clkhash can never read such a date.
        if (groups.has(directive)) throw new RangeError(`date format repeats the directive %${directive}`);
        groups.add(directive);
      }
      out += re;
    }
    i = at + 2;
  }
  return out;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** Days in month `m` (1 to 12) of year `y`. */
const daysIn = (y: number, m: number): number => {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
};
const validDate = (y: number, m: number, d: number): boolean =>
  y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);

/** Python's `date.fromordinal((julian - 1) + date(year, 1, 1).toordinal())`, or undefined past 9999. */
function fromJulian(year: number, julian: number): PyDate | undefined {
  let y = year;
  let left = julian;
  for (;;) {
    const len = isLeap(y) ? 366 : 365;
    if (left <= len) break;
    left -= len;
    y++;
  }
  if (y > 9999) return undefined;
  let m = 1;
  while (left > daysIn(y, m)) left -= daysIn(y, m++);
  return { year: y, month: m, day: left };
}

const int = (s: string): number => Number.parseInt(asciiDigits(s.trim()), 10);

/**
 * Compiles a `strptime` format (e.g. `%Y/%m/%d`). Throws `RangeError` with a one-line reason for a
 * format clkhash could not use or that this mode does not support (`%U %W %V %G %z %Z`).
 *
 * @example
 * ```ts
 * const f = compileStrptime('%Y/%m/%d');
 * f.parse('1985/07/06'); // { year: 1985, month: 7, day: 6 }
 * f.parse('1985/02/30'); // undefined
 * ```
 */
export function compileStrptime(format: string): CompiledDateFormat {
  const re = new RegExp(`^(?:${toPattern(format, new Set())})`, 'iu');
  const parse = (value: string): PyDate | undefined => {
    const found = re.exec(value);
    if (!found || found[0].length !== value.length) return undefined;
    const g = found.groups ?? {};
    let year: number | undefined;
    let month = 1;
    let day = 1;
    if (g.y !== undefined) {
      const y = int(g.y);
      year = y <= 68 ? y + 2000 : y + 1900;
    }
    if (g.Y !== undefined) year = int(g.Y);
    if (g.m !== undefined) month = int(g.m);
    if (g.B !== undefined) month = FULL_MONTHS.indexOf(g.B.toLowerCase()) + 1;
    if (g.b !== undefined) month = SHORT_MONTHS.indexOf(g.b.toLowerCase()) + 1;
    if (g.d !== undefined) day = int(g.d);
    // datetime() refuses a leap second although the regular expression admits 60 and 61.
    if (g.S !== undefined && int(g.S) > 59) return undefined;
    const leapYearFix = year === undefined && month === 2 && day === 29;
    const y = year ?? (leapYearFix ? 1904 : 1900);
    let date: PyDate | undefined;
    if (g.j === undefined) {
      if (!validDate(y, month, day)) return undefined;
      date = { year: y, month, day };
    } else {
      if (y < 1 || y > 9999) return undefined;
      date = fromJulian(y, int(g.j));
      if (date === undefined) return undefined;
    }
    // Python swaps the default year back to 1900 after its calculations, so 29 February without
    // a year fails when the datetime is finally built.
    if (leapYearFix) date = { year: 1900, month: date.month, day: date.day };
    return validDate(date.year, date.month, date.day) ? date : undefined;
  };
  return { parse };
}

/**
 * clkhash's `DateSpec.OUTPUT_FORMAT` (`%Y%m%d`): the text that is tokenised and hashed.
 *
 * @example
 * ```ts
 * formatYmd({ year: 1985, month: 7, day: 6 }); // '19850706'
 * ```
 */
export function formatYmd(date: PyDate): string {
  return `${String(date.year).padStart(4, '0')}${String(date.month).padStart(2, '0')}${String(date.day).padStart(2, '0')}`;
}
