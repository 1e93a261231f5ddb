/**
 * clkhash's `generate_key_lists`: HKDF (RFC 5869) over the UTF-8 secret with the schema's hash,
 * salt and info derives 2 × (number of features) keys of `keySize` bytes — ignored features
 * included — and feature i gets keys 2i and 2i+1 (BLAKE2b uses the first; double hashing uses
 * the first for HMAC-SHA1 and the second for HMAC-MD5).
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { ClkhashSchema } from './schema-types.js';

/**
 * Derives the per-feature key pairs. The caller owns the returned keys and must wipe them.
 *
 * @example
 * ```ts
 * const pairs = deriveClkhashKeys(secretBytes, schema);
 * const [blakeKey] = pairs[1]!; // keys of the second feature
 * ```
 */
export function deriveClkhashKeys(secret: Uint8Array, schema: ClkhashSchema): [Uint8Array, Uint8Array][] {
  const { hash, salt, info, keySize } = schema.kdf;
  const n = schema.features.length;
  const okm = hkdf(hash === 'SHA256' ? sha256 : sha512, secret, salt, info, 2 * n * keySize);
  const pairs: [Uint8Array, Uint8Array][] = [];
  for (let i = 0; i < n; i++) {
    pairs.push([
      okm.slice(2 * i * keySize, (2 * i + 1) * keySize),
      okm.slice((2 * i + 1) * keySize, (2 * i + 2) * keySize),
    ]);
  }
  okm.fill(0);
  return pairs;
}
