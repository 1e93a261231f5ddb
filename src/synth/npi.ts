/**
 * National Provider Identifier check digit: the Luhn algorithm over the 9 base digits prefixed with
 * the card issuer prefix `80840` (CMS, "Requirements for NPI check digit").
 */

/**
 * The check digit for 9 NPI base digits.
 *
 * @example
 * ```ts
 * npiCheckDigit('123456789'); // 3  (NPI 1234567893)
 * ```
 */
export function npiCheckDigit(base: string): number {
  if (!/^\d{9}$/.test(base)) throw new RangeError('base must be 9 digits');
  const digits = `80840${base}`;
  let sum = 0;
  // Double every second digit from the right of the payload (the check digit's neighbour first).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Whether a string is a 10-digit NPI with a valid check digit.
 *
 * @example
 * ```ts
 * isValidNpi('1234567893'); // true
 * ```
 */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}
