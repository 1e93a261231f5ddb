/**
 * Standard base64 (RFC 4648 §4, with padding) without `Buffer` or `atob`, so it runs unchanged in
 * browsers and Node and never routes key material through string conversions of its own.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as padded standard base64.
 *
 * @example
 * ```ts
 * encodeBase64(new Uint8Array([1, 2, 3, 4])); // 'AQIDBA=='
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out +=
      ALPHABET.charAt(v >>> 18) +
      ALPHABET.charAt((v >>> 12) & 63) +
      ALPHABET.charAt((v >>> 6) & 63) +
      ALPHABET.charAt(v & 63);
  }
  if (i < n) {
    const v = ((bytes[i] ?? 0) << 16) | ((i + 1 < n ? (bytes[i + 1] ?? 0) : 0) << 8);
    out += ALPHABET.charAt(v >>> 18) + ALPHABET.charAt((v >>> 12) & 63);
    out += i + 1 < n ? `${ALPHABET.charAt((v >>> 6) & 63)}=` : '==';
  }
  return out;
}

const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

/**
 * Writes the padded base64 of `bytes[0…n−1]` as ASCII bytes into `out` from `offset`; returns the
 * offset after them (4·⌈n/3⌉ bytes written). The same text as {@link encodeBase64}, without a string.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(8);
 * base64Into(new Uint8Array([1, 2, 3, 4]), 4, out, 0); // 8; out holds the ASCII of 'AQIDBA=='
 * ```
 */
export function base64Into(bytes: Uint8Array, n: number, out: Uint8Array, offset: number): number {
  let o = offset;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out[o] = CODES[v >>> 18] ?? 0;
    out[o + 1] = CODES[(v >>> 12) & 63] ?? 0;
    out[o + 2] = CODES[(v >>> 6) & 63] ?? 0;
    out[o + 3] = CODES[v & 63] ?? 0;
    o += 4;
  }
  if (i < n) {
    const v = ((bytes[i] ?? 0) << 16) | ((i + 1 < n ? (bytes[i + 1] ?? 0) : 0) << 8);
    out[o] = CODES[v >>> 18] ?? 0;
    out[o + 1] = CODES[(v >>> 12) & 63] ?? 0;
    out[o + 2] = i + 1 < n ? (CODES[(v >>> 6) & 63] ?? 0) : 61;
    out[o + 3] = 61; // '='
    o += 4;
  }
  return o;
}

/**
 * Decodes standard base64; whitespace is ignored, padding is optional. Returns `undefined` for
 * any other character or an impossible length (Python's `b64decode` would also fail there).
 *
 * @example
 * ```ts
 * decodeBase64('AQIDBA=='); // Uint8Array [1, 2, 3, 4]
 * decodeBase64('not base64!'); // undefined
 * ```
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/[\t\n\f\r ]/g, '').replace(/={1,2}$/, '');
  if (s.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? (LOOKUP[c] ?? 0) : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}
