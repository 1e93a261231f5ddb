/**
 * Formatting CSV records for the files bloomlink writes (links, MCP return file, HMIS import files,
 * rejection reports).
 * @module
 */

/**
 * Line terminator for every CSV file bloomlink writes: CRLF, as RFC 4180 specifies, as HUD's HMIS CSV
 * importers and Excel expect, and as readers that accept only LF still handle (they see a trailing
 * CR they strip, or the reader here, which accepts any line ending).
 *
 * @example
 * ```ts
 * const text = [formatCsvRow(['PersonalID', 'MemberID']), formatCsvRow(['1', 'M1'])].join(CSV_EOL) + CSV_EOL;
 * ```
 */
export const CSV_EOL = '\r\n';

/**
 * A value of a CSV field: strings and numbers as written, `null`/`undefined` as an empty field.
 *
 * @example
 * ```ts
 * const values: CsvValue[] = ['P1', 0.97, null];
 * ```
 */
export type CsvValue = string | number | null | undefined;

/**
 * Options of {@link formatCsvRow}.
 *
 * @example
 * ```ts
 * const hud: FormatCsvOptions = { quote: 'strings' };
 * ```
 */
export interface FormatCsvOptions {
  /**
   * `minimal` (default) quotes a string only when it holds the delimiter, a quote, CR or LF (or
   * starts with U+FEFF, which a reader would drop as a byte-order mark at the start of a file).
   * `strings` quotes every non-empty string, as the HUD HMIS CSV specification asks for `S` fields
   * (so `SSN` `"012345678"` keeps its leading zero in spreadsheet tools); numbers stay unquoted and
   * an empty string stays an empty (null) field.
   */
  readonly quote?: 'minimal' | 'strings';
  /** Field delimiter, one character (default comma). */
  readonly delimiter?: string;
  /**
   * `neutralise` (default) writes a string that a spreadsheet would run as a formula (see
   * `isFormulaLike`) with a leading `'`, as OWASP's CSV-injection guidance advises (see
   * `neutraliseFormula`); `keep` writes it as is (for files that are only ever read by programs).
   * Numbers are never changed.
   */
  readonly formulas?: 'neutralise' | 'keep';
}

/**
 * Formats one CSV record, without a line terminator (append {@link CSV_EOL}).
 *
 * A record with a single empty field is written as `""`: an empty line would be read back as a blank
 * line and skipped.
 *
 * @param fields - the values; `null` and `undefined` become empty fields
 * @param opts - {@link FormatCsvOptions}
 * @throws RangeError for a non-finite number or an empty record, which CSV cannot represent
 * @example
 * ```ts
 * formatCsvRow(['1', 'O"Brien', null, 42]); // '1,"O""Brien",,42'
 * formatCsvRow(['1', 'Smith', '', 42], { quote: 'strings' }); // '"1","Smith",,42'
 * ```
 */
export function formatCsvRow(fields: readonly CsvValue[], opts: FormatCsvOptions = {}): string {
  if (fields.length === 0) throw new RangeError('fields must hold at least one value');
  const delimiter = opts.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new RangeError('delimiter must be one character other than a quote, CR or LF');
  }
  const always = opts.quote === 'strings';
  const neutralise = opts.formulas !== 'keep';
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += delimiter;
    const v = fields[i];
    if (v === null || v === undefined || v === '') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new RangeError(`fields[${i}] must be a finite number`);
      out += String(v);
    } else if (typeof v === 'string') {
      const s = neutralise ? neutraliseFormula(v) : v;
      out += always || needsQuotes(s, delimiter) ? `"${s.replaceAll('"', '""')}"` : s;
    } else {
      throw new TypeError(`fields[${i}] must be a string, a number, null or undefined`);
    }
  }
  return out === '' && fields.length === 1 ? '""' : out;
}

function needsQuotes(v: string, delimiter: string): boolean {
  return (
    v.includes(delimiter) ||
    v.includes('"') ||
    v.includes('\n') ||
    v.includes('\r') ||
    // A leading BOM at the start of a file would be taken for a byte-order mark and dropped.
    v.charCodeAt(0) === 0xfeff
  );
}

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * Whether a spreadsheet (Excel, LibreOffice, Google Sheets) opening a CSV cell with this value could
 * run it as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a CR (OWASP's list), and is not
 * a plain decimal number such as `-3.2100` (which a spreadsheet reads as a number, never a formula).
 *
 * @example
 * ```ts
 * isFormulaLike('=HYPERLINK("http://x","y")'); // true
 * isFormulaLike('-2+3'); // true
 * isFormulaLike('-3.2100'); // false
 * isFormulaLike('Ana'); // false
 * ```
 */
export function isFormulaLike(v: string): boolean {
  const c = v.charCodeAt(0);
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return false;
  return !PLAIN_NUMBER.test(v);
}

/**
 * A value made safe to open in a spreadsheet: a formula-like value (see {@link isFormulaLike}) gets
 * a leading `'`, which spreadsheets take as "this is text" (OWASP's advice). A value that is already
 * `'` + a formula-like value gets one more `'`, so {@link restoreFormula} gives back exactly the
 * original for every value.
 *
 * @example
 * ```ts
 * neutraliseFormula('=1+2'); // "'=1+2"
 * neutraliseFormula("'=1+2"); // "''=1+2"
 * neutraliseFormula('Ana'); // 'Ana'
 * ```
 */
export function neutraliseFormula(v: string): string {
  let i = 0;
  while (v.charCodeAt(i) === 39) i++;
  return isFormulaLike(i === 0 ? v : v.slice(i)) ? `'${v}` : v;
}

/**
 * The inverse of {@link neutraliseFormula}, for reading back a file bloomlink wrote (links, return
 * file, HMIS files): one leading `'` is removed from a value that is `'`s followed by a formula-like
 * value; every other value is returned as is.
 *
 * @example
 * ```ts
 * restoreFormula("'=1+2"); // '=1+2'
 * restoreFormula("'Ana"); // "'Ana"
 * ```
 */
export function restoreFormula(v: string): string {
  if (v.charCodeAt(0) !== 39) return v;
  let i = 1;
  while (v.charCodeAt(i) === 39) i++;
  return isFormulaLike(v.slice(i)) ? v.slice(1) : v;
}
