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
 * Throws `BloomlinkError` `KEY_MISSING` (empty), `KEY_UNREADABLE` (not hex) or `KEY_TOO_SHORT`
 * (under 128 bits). The message never contains the key.
 * @example
 * ```ts
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
  return out;
}

/**
 * Derives a 32-byte subkey for one purpose with HKDF-SHA256 (RFC 5869).
 * @example
 * ```ts
 * const nameKey = deriveSubkey(master, 'field:name');
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
 * keyCheck(key) === keyCheck(sameKey); // true; different keys give different checks
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
