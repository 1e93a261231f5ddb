/**
 * The key check as people read it aloud: the two parties compare it (by phone, say) before
 * exchanging files, to know they hold the same key. Shown identically by the CLI (`keygen`,
 * `encode`, `match`) and the browser encode page. Key-free: the check is a keyed hash of a constant,
 * stored in every encoded file, and reveals nothing about the key.
 */

/** Hex digits shown: 64 of the stored check's 128 bits, plenty to tell two keys apart by ear. */
const SHOWN = 16;

/**
 * The key check (32 hex digits, as stored in encoded files) as four groups of four hex digits,
 * e.g. `3f9a-12c4-5b6d-7e8f`: the first 64 bits, which is what people compare; the matcher still
 * compares all 128. Throws `TypeError` for anything but 32 hex digits.
 * @example
 * ```ts
 * formatKeyCheck('3f9a12c45b6d7e8f0011223344556677'); // '3f9a-12c4-5b6d-7e8f'
 * ```
 */
export function formatKeyCheck(keyCheck: string): string {
  if (typeof keyCheck !== 'string' || !/^[0-9a-f]{32}$/i.test(keyCheck))
    throw new TypeError('keyCheck must be the 32 hex digits stored in an encoded file');
  return (keyCheck.toLowerCase().slice(0, SHOWN).match(/.{4}/g) as string[]).join('-');
}
