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

/**
 * The 10 rotations of 0123456789 cut to 9 digits, their reversals, and two published numbers
 * (078-05-1120 from a wallet insert, 219-09-9999 from an advertisement): HUD's "sequential" and
 * "known invalid" SSNs. All-one-digit values are caught separately.
 */
const KNOWN_PLACEHOLDERS: ReadonlySet<string> = (() => {
  const set = new Set<string>(['078051120', '219099999']);
  const digits = '0123456789';
  for (let i = 0; i < 10; i++) {
    const rotation = (digits.slice(i) + digits.slice(0, i)).slice(0, 9);
    set.add(rotation);
    set.add([...rotation].reverse().join(''));
  }
  return set;
})();

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
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

/** HUD's structural rules on the known digits: area ≠ 000/666/9xx, group ≠ 00, serial ≠ 0000. */
function breaksStructure(s: string): boolean {
  const area = s.slice(0, 3);
  const group = s.slice(3, 5);
  const serial = s.slice(5);
  return area === '000' || area === '666' || area[0] === '9' || group === '00' || serial === '0000';
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
  if (raw === undefined) return MISSING;
  const s = compact(raw);
  if (s === undefined) return raw.trim() === '' ? MISSING : INVALID;
  if (s === '') return MISSING;
  const unknown = s.indexOf('x') >= 0;
  if (!unknown && allSame(s) && s.length >= 4) return PLACEHOLDER;
  // 0000 never gets here: one repeated digit is a placeholder.
  if (s.length === 4 && !unknown) return { status: 'partial', ssn: `xxxxx${s}`, last4: s };
  if (s.length !== 9) return INVALID;
  if (!unknown) {
    if (KNOWN_PLACEHOLDERS.has(s)) return PLACEHOLDER;
    if (breaksStructure(s)) return INVALID;
    return { status: 'valid', ssn: s, last4: s.slice(5) };
  }
  if (allSame(s)) return MISSING;
  if (breaksStructure(s)) return INVALID;
  const tail = s.slice(5);
  return tail.indexOf('x') < 0 ? { status: 'partial', ssn: s, last4: tail } : { status: 'partial', ssn: s };
}
