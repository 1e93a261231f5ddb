/**
 * Secret keys: generation, parsing from a key file, HKDF subkeys and the key check.
 *
 * The key check stored in encoded files is HMAC-SHA256 under an HKDF subkey of a fixed public
 * constant: equal checks mean equal keys, and it reveals nothing about the key beyond that.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { BloomlinkError } from '../errors.js';

/**
 * Minimum key length in bytes (128 bits).
 * @example
 * ```ts
 * if (key.length < MIN_KEY_BYTES) throw new Error('key too short');
 * ```
 */
export const MIN_KEY_BYTES = 16;

const SALT = new TextEncoder().encode('bloomlink/v1 key derivation');
const KEY_CHECK_CONSTANT = new TextEncoder().encode('bloomlink/v1 key check constant');

/**
 * Generates a fresh random 256-bit key, hex-encoded (what `bloomlink keygen` prints).
 * @example
 * ```ts
 * import { generateKeyHex } from 'bloomlink/encode';
 * const hex = generateKeyHex(); // 64 hex characters
 * ```
 */
export function generateKeyHex(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  const hex = toHex(bytes);
  bytes.fill(0);
  return hex;
}

/**
 * Parses the text of a key file: hex digits (as `keygen` writes), surrounding whitespace ignored.
 * Throws `BloomlinkError` `KEY_MISSING` (empty), `KEY_UNREADABLE` (not hex), `KEY_TOO_SHORT`
 * (under 128 bits) or `KEY_WEAK` (too regular, see {@link weakKeyReason}). The message never
 * contains the key.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const key = parseKey(readFileSync('linkage.key', 'utf8'));
 * ```
 */
export function parseKey(text: string, label = 'key file'): Uint8Array {
  const t = text.trim();
  if (t.length === 0)
    throw new BloomlinkError(
      'KEY_MISSING',
      `${label}: the key file is empty; create one with 'bloomlink keygen'`,
    );
  if (!/^[0-9a-fA-F]+$/.test(t) || t.length % 2 !== 0) {
    throw new BloomlinkError(
      'KEY_UNREADABLE',
      `${label}: not a hex key (expected the output of 'bloomlink keygen')`,
    );
  }
  if (t.length / 2 < MIN_KEY_BYTES) {
    throw new BloomlinkError(
      'KEY_TOO_SHORT',
      `${label}: key is ${(t.length / 2) * 8} bits; at least ${MIN_KEY_BYTES * 8} bits are required`,
    );
  }
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(t.slice(2 * i, 2 * i + 2), 16);
  try {
    checkKeyStrength(out, label);
  } catch (e) {
    out.fill(0);
    throw e;
  }
  return out;
}

/**
 * The longest repeat period that makes a key weak: a key that is a block of up to 8 bytes repeated
 * (`00…`, `aaaa…`, `0123456789abcdef` repeated) holds at most 64 bits, whatever its length.
 * @example
 * ```ts
 * weakKeyReason(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8)); // mentions the period
 * ```
 */
export const WEAK_KEY_MAX_PERIOD = 8;

/**
 * Why a key is too regular to be a secret, or `undefined` when it passes. The rule (documented in
 * docs/error-codes.md under `KEY_WEAK`): a key is weak when
 * - it has fewer distinct byte values than a quarter of its length (at least 2), or
 * - it is a block of {@link WEAK_KEY_MAX_PERIOD} bytes or fewer repeated (the last block may be cut).
 *
 * A random 16-byte key fails either rule with probability below 10⁻¹⁸, a random 32-byte key (what
 * `keygen` makes) below 10⁻³⁷. The rule catches typed and patterned keys; it cannot tell a random key
 * from one derived from a guessable password, a counter (`000102…`) or another published key.
 * The reason names the rule, never the key.
 * @example
 * ```ts
 * weakKeyReason(new Uint8Array(32)); // 'it has 1 distinct byte value…'
 * weakKeyReason(crypto.getRandomValues(new Uint8Array(32))); // undefined
 * ```
 */
export function weakKeyReason(key: Uint8Array): string | undefined {
  const distinct = new Set(key).size;
  const needed = Math.max(2, Math.ceil(key.length / 4));
  if (distinct < needed)
    return `it has ${distinct} distinct byte value${distinct === 1 ? '' : 's'}; a random key of ${key.length} bytes has about ${Math.round(256 * (1 - (255 / 256) ** key.length))}`;
  for (let period = 1; period <= WEAK_KEY_MAX_PERIOD && period < key.length; period++) {
    let repeats = true;
    for (let i = period; i < key.length && repeats; i++) repeats = key[i] === key[i - period];
    if (repeats) return `it is a block of ${period} byte${period === 1 ? '' : 's'} repeated`;
  }
  return undefined;
}

/**
 * Throws `BloomlinkError` `KEY_WEAK` when {@link weakKeyReason} finds the key too regular; the
 * message names `label` and the rule, never the key. `parseKey` runs it on every key file.
 * @example
 * ```ts
 * checkKeyStrength(key, 'linkage.key'); // throws KEY_WEAK for an all-zero key
 * ```
 */
export function checkKeyStrength(key: Uint8Array, label = 'key'): void {
  const reason = weakKeyReason(key);
  if (reason !== undefined)
    throw new BloomlinkError(
      'KEY_WEAK',
      `${label}: the key is not random (${reason}); make one with 'bloomlink keygen'`,
    );
}

/**
 * Derives a 32-byte subkey for one purpose with HKDF-SHA256 (RFC 5869).
 * @example
 * ```ts
 * const nameKey = deriveSubkey(parseKey(keyHex), 'field:name');
 * ```
 */
export function deriveSubkey(master: Uint8Array, purpose: string, length = 32): Uint8Array {
  if (master.length < MIN_KEY_BYTES) throw new RangeError('master key must be at least 16 bytes');
  return hkdf(sha256, master, SALT, new TextEncoder().encode(`bloomlink/v1:${purpose}`), length);
}

/**
 * The key check written into every encoded file: 128 bits, hex.
 * @example
 * ```ts
 * keyCheck(key) === keyCheck(parseKey(keyHex)); // true when keyHex is key's text; different keys give different checks
 * ```
 */
export function keyCheck(master: Uint8Array): string {
  const sub = deriveSubkey(master, 'key-check');
  const mac = hmac(sha256, sub, KEY_CHECK_CONSTANT);
  sub.fill(0);
  const hex = toHex(mac.subarray(0, 16));
  mac.fill(0);
  return hex;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
