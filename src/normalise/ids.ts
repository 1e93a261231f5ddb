/**
 * Record identifiers (PersonalID, MemberID, CIN). IDs are join keys, so apart from trimming they are
 * kept byte-exact: no case folding, no leading-zero changes.
 */

/**
 * HUD's limit for PersonalID and other identifiers (type S32).
 *
 * @example
 * ```ts
 * normaliseId(' c-1001 ', MAX_ID_LENGTH);
 * ```
 */
export const MAX_ID_LENGTH = 32;

/**
 * Whether a value is a well-formed Medi-Cal CIN: `9`, seven digits, and a letter other than B, I,
 * J, K, L, O, P, Q, R or S (any case; surrounding spaces ignored). The CIN has no public check
 * digit, so a well-formed CIN may still be wrong.
 *
 * @param raw - the cell as read
 * @example
 * ```ts
 * isValidCin('91234567A'); // true
 * isValidCin('91234567b'); // false (B is never used)
 * isValidCin('81234567A'); // false
 * ```
 */
export function isValidCin(raw: string): boolean {
  // The rule is /^9[0-9]{7}[AC-HMNT-Z]$/i (a test keeps them equal), checked on char codes: this runs
  // on every row of a plan file. With `i` and without `u`, nothing outside ASCII folds into ASCII.
  const s = raw.length === 9 ? raw : raw.trim();
  if (s.length !== 9 || s.charCodeAt(0) !== 57) return false;
  for (let i = 1; i < 8; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  let c = s.charCodeAt(8);
  if (c >= 97 && c <= 122) c -= 32;
  return c === 65 || (c >= 67 && c <= 72) || c === 77 || c === 78 || (c >= 84 && c <= 90);
}

/**
 * Normalises an identifier: surrounding whitespace removed, otherwise byte-exact. Blank values and
 * values longer than `maxLength` (HUD S32 by default) are `undefined`: an over-long ID was cut or
 * mangled by the exporting system, and joining on it would silently fail. Callers that need to say
 * why can compare `raw.trim().length` with the limit.
 *
 * @param raw - the cell as read
 * @param maxLength - the longest acceptable ID (default {@link MAX_ID_LENGTH})
 * @example
 * ```ts
 * normaliseId('  A-0012 ');       // 'A-0012'
 * normaliseId('');                // undefined
 * normaliseId('x'.repeat(33));    // undefined
 * normaliseId('x'.repeat(40), 64); // 'xxxx…' (40 characters)
 * ```
 */
export function normaliseId(raw: string | undefined, maxLength: number = MAX_ID_LENGTH): string | undefined {
  if (raw === undefined) return undefined;
  const id = raw.trim();
  return id === '' || id.length > maxLength ? undefined : id;
}

/**
 * Normalises a plan member ID for comparison (the plan's `MemberID`, the CoC's `MCPMemberID`):
 * surrounding whitespace removed, upper-cased (ASCII), and spaces and dashes inside removed, so
 * `m-1234 567` and `M1234567` agree. Unlike {@link normaliseId} this is not a join key: it is only
 * hashed and compared. Blank values, values longer than `maxLength` and values with nothing left
 * are `undefined`.
 *
 * @param raw - the cell as read
 * @param maxLength - the longest acceptable ID before normalising (default {@link MAX_ID_LENGTH})
 * @example
 * ```ts
 * normaliseMemberId(' m-1234 567 '); // 'M1234567'
 * normaliseMemberId(' - ');          // undefined
 * ```
 */
export function normaliseMemberId(
  raw: string | undefined,
  maxLength: number = MAX_ID_LENGTH,
): string | undefined {
  if (raw === undefined) return undefined;
  // Already normal (digits and capital letters only: nothing to trim, remove or fold), as plan
  // member IDs nearly always are: the two replacements below cost a regular expression each.
  if (raw.length > 0 && raw.length <= maxLength && plainId(raw)) return raw;
  const t = raw.trim();
  if (t === '' || t.length > maxLength) return undefined;
  // Whitespace of any kind and dashes are formatting, not part of the ID; only ASCII letters fold.
  const out = asciiMemberId(t) ?? t.replace(FORMATTING, '').replace(/[a-z]+/g, (x) => x.toUpperCase());
  return out === '' ? undefined : out;
}

/**
 * What the two replacements of `normaliseMemberId` make of an ASCII `t`, without a regular
 * expression or a callback per ID (lists such as FEBRL's `rec-12-dup-0` take this path for every
 * row): ASCII whitespace (tab to carriage return, space) and `-` removed, then upper-cased, which
 * in ASCII folds a–z only. `undefined` when `t` is not ASCII.
 */
function asciiMemberId(t: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c > 0x7f) return undefined;
    if (c === 0x2d || c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      out += t.slice(from, i);
      from = i + 1;
    }
  }
  return (from === 0 ? t : out + t.slice(from)).toUpperCase();
}

const FORMATTING = /[\s\-\u2010-\u2014]/g;

/** Whether `s` is ASCII digits and capital letters only. */
function plainId(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a))) return false;
  }
  return true;
}
