/**
 * Reads small non-negative integer codes as spreadsheets and exports write them: `1`, `01`, ` 1 `,
 * `1.0`. Shared by the data-quality and sex parsers so both accept the same spellings.
 */

/**
 * The integer a code cell holds, or `undefined` when it is not a plain non-negative integer (blank,
 * signs, exponents, fractions other than `.0…`, more than three digits).
 *
 * @param raw - the cell as read
 * @example
 * ```ts
 * parseCode(' 01 ');  // 1
 * parseCode('99.0');  // 99
 * parseCode('1.5');   // undefined
 * ```
 */
export function parseCode(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  let value = 0;
  let digits = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    digits++;
  }
  if (digits === 0 || value > 999) return undefined;
  if (i < s.length) {
    // Only a decimal point followed by zeros may follow ("1.0" from a spreadsheet).
    if (s.charCodeAt(i) !== 46 || i === s.length - 1) return undefined;
    for (i++; i < s.length; i++) if (s.charCodeAt(i) !== 48) return undefined;
  }
  return value;
}
