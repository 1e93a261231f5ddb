/**
 * American Soundex (as used by the US Census and NARA), for blocking keys. Input is a folded name
 * (upper-case A–Z); other characters are skipped. Returns '' when there is no letter.
 */

// A E I O U Y H W have no code; H and W do not separate letters with the same code (NARA rule).
const CODES = '01230120022455012623010202';

/**
 * Soundex code of a name: a letter and three digits, zero-padded.
 * @example
 * ```ts
 * soundex('ROBERT'); // 'R163'
 * soundex('TYMCZAK'); // 'T522'
 * ```
 */
export function soundex(name: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < name.length && out.length < 4; i++) {
    const c = name.charCodeAt(i);
    if (c < 65 || c > 90) continue;
    const code = CODES.charAt(c - 65);
    if (out.length === 0) {
      out = String.fromCharCode(c);
      last = code;
      continue;
    }
    if (c === 72 || c === 87) continue; // H, W
    if (code === '0') {
      last = '';
      continue;
    }
    if (code !== last) out += code;
    last = code;
  }
  return out.length === 0 ? '' : out.padEnd(4, '0');
}
