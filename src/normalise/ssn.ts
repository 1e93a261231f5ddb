/**
 * SSN validity by HUD's rules (HMIS CSV: `^[0-9xX]{9}$`, `x` for an unknown digit; the APR/DQ
 * "valid SSN" test as implemented by Green River's `HudUtility.valid_social?`). An SSN that fails
 * them must not be used as matching evidence: placeholders such as 123456789 would otherwise link
 * unrelated people.
 */

/** Outcome of {@link checkSsn}. */
export type SsnStatus = 'valid' | 'partial' | 'missing' | 'placeholder' | 'invalid';

/** What {@link checkSsn} found. `ssn` is set for `valid` and `partial`, `last4` when known. */
export interface SsnCheck {
  readonly status: SsnStatus;
  /** 9 digits (`valid`), or 9 characters of digits and lower-case `x` (`partial`). */
  readonly ssn?: string;
  /** The last four digits, when all four are known. */
  readonly last4?: string;
}

const MISSING: SsnCheck = Object.freeze({ status: 'missing' });
const PLACEHOLDER: SsnCheck = Object.freeze({ status: 'placeholder' });
const INVALID: SsnCheck = Object.freeze({ status: 'invalid' });

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * HUD's "sequential" and "known invalid" SSNs: the 10 rotations of 0123456789 cut to 9 digits and
 * their reversals (each digit one more, or one less, than the previous one, modulo 10), and two
 * published numbers (078-05-1120 from a wallet insert, 219-09-9999 from an advertisement).
 * All-one-digit values are caught separately. Judged on char codes: no hashing of a fresh string.
 */
function isKnownPlaceholder(s: string): boolean {
  if (s === '078051120' || s === '219099999') return true;
  let up = true;
  let down = true;
  for (let i = 1; i < 9; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (d !== 1 && d !== -9) up = false;
    if (d !== -1 && d !== 9) down = false;
  }
  return up || down;
}

function isNineDigits(s: string): boolean {
  if (s.length !== 9) return false;
  for (let i = 0; i < 9; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Strips dashes and spaces; lower-cases X. `undefined` if any other character is present. */
function compact(raw: string): string | undefined {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isDigit(c) || c === 120) out += raw[i];
    else if (c === 88) out += 'x';
    else if (c !== 45 && c !== 32 && c !== 9) return undefined;
  }
  return out;
}

function allSame(s: string): boolean {
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== s.charCodeAt(0)) return false;
  return true;
}

function zeros(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/** HUD's structural rules on the known digits: area ≠ 000/666/9xx, group ≠ 00, serial ≠ 0000. */
function breaksStructure(s: string): boolean {
  const a = s.charCodeAt(0);
  return (
    a === 57 ||
    zeros(s, 0, 3) ||
    (a === 54 && s.charCodeAt(1) === 54 && s.charCodeAt(2) === 54) ||
    zeros(s, 3, 5) ||
    zeros(s, 5, 9)
  );
}

/**
 * {@link checkSsn} without building its result, for readers that check millions of cells: the SSN
 * as {@link SsnCheck.ssn} would give it (9 characters of digits and lower-case `x`; `partial` when
 * it has an `x`, `valid` otherwise) or, when there is none, the status `missing`, `placeholder` or
 * `invalid` (words that can never be an SSN). A cell of nine digits is returned as is.
 *
 * @param raw - the cell as read
 * @example
 * ```ts
 * checkSsnCompact('123-45-6780'); // '123456780' (valid)
 * checkSsnCompact('6780');        // 'xxxxx6780' (partial)
 * checkSsnCompact('123456789');   // 'placeholder'
 * ```
 */
export function checkSsnCompact(raw: string | undefined): string {
  if (raw === undefined) return 'missing';
  let s: string;
  if (isNineDigits(raw)) s = raw;
  else {
    const c = compact(raw);
    if (c === undefined) return raw.trim() === '' ? 'missing' : 'invalid';
    s = c;
  }
  if (s === '') return 'missing';
  const unknown = s.indexOf('x') >= 0;
  if (!unknown && allSame(s) && s.length >= 4) return 'placeholder';
  // 0000 never gets here: one repeated digit is a placeholder.
  if (s.length === 4 && !unknown) return `xxxxx${s}`;
  if (s.length !== 9) return 'invalid';
  if (!unknown) {
    if (isKnownPlaceholder(s)) return 'placeholder';
    return breaksStructure(s) ? 'invalid' : s;
  }
  if (allSame(s)) return 'missing';
  return breaksStructure(s) ? 'invalid' : s;
}

/**
 * Checks an SSN by HUD's rules after removing dashes and spaces:
 * - `missing`: blank, or nothing but unknown digits (`xxx-xx-xxxx`);
 * - `placeholder`: every digit the same (000000000, 888888888, also shorter runs such as 888888),
 *   a rotation of 0123456789 cut to 9 digits or its reversal (123456789, 987654321), 078051120 or
 *   219099999;
 * - `invalid`: not 9 characters of digits and `x`, or area 000, 666 or 9xx, group 00, serial 0000
 *   (judged on the known digits of a partial SSN too);
 * - `partial`: 9 characters with some `x`; a bare 4-digit value is read as the last four digits;
 * - `valid`: 9 digits passing every rule.
 * Excel-damaged values that lost a leading zero (8 digits) are `invalid`: which digit is missing
 * cannot be known.
 *
 * @param raw - the cell as read
 * @example
 * ```ts
 * checkSsn('123-45-6780');  // { status: 'valid', ssn: '123456780', last4: '6780' }
 * checkSsn('xxxxx6780');    // { status: 'partial', ssn: 'xxxxx6780', last4: '6780' }
 * checkSsn('123456789');    // { status: 'placeholder' }
 * checkSsn('666-12-3456');  // { status: 'invalid' }
 * checkSsn('');             // { status: 'missing' }
 * ```
 */
export function checkSsn(raw: string | undefined): SsnCheck {
  const s = checkSsnCompact(raw);
  if (s === 'missing') return MISSING;
  if (s === 'placeholder') return PLACEHOLDER;
  if (s === 'invalid') return INVALID;
  if (s.indexOf('x') < 0) return { status: 'valid', ssn: s, last4: s.slice(5) };
  const tail = s.slice(5);
  return tail.indexOf('x') < 0 ? { status: 'partial', ssn: s, last4: tail } : { status: 'partial', ssn: s };
}
