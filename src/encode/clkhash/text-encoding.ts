/**
 * The byte encodings a clkhash v3 string feature may name (`ascii`, `utf-8`, `utf-16`, `utf-32`),
 * producing exactly the bytes Python's `str.encode` does on a little-endian machine (where
 * clkhash runs in practice): `utf-16` and `utf-32` start every encoded token with a byte-order mark.
 */
import { isWellFormedText } from './python-text.js';

/** Encodings allowed by the linkage schema v3 `textFormat`. */
export type ClkhashTextEncoding = 'ascii' | 'utf-8' | 'utf-16' | 'utf-32';

const utf8 = new TextEncoder();
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class is "not ASCII": it names the ASCII range, control characters included, on purpose
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Whether Python could encode `s` with `encoding` (clkhash rejects the entry otherwise).
 *
 * @example
 * ```ts
 * canEncode('ZOË', 'ascii'); // false
 * canEncode('ZOË', 'utf-8'); // true
 * ```
 */
export function canEncode(s: string, encoding: ClkhashTextEncoding): boolean {
  return encoding === 'ascii' ? !NON_ASCII.test(s) : isWellFormedText(s);
}

function utf16(s: string): Uint8Array {
  const out = new Uint8Array(2 + 2 * s.length);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + 2 * i] = c & 0xff;
    out[3 + 2 * i] = c >>> 8;
  }
  return out;
}

function utf32(s: string): Uint8Array {
  const cps = Array.from(s, (ch) => ch.codePointAt(0) ?? 0);
  const out = new Uint8Array(4 + 4 * cps.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xfeff, true);
  cps.forEach((cp, i) => {
    view.setUint32(4 + 4 * i, cp, true);
  });
  return out;
}

/**
 * Returns the function that turns a token into the bytes clkhash hashes. Callers validate first
 * ({@link canEncode}); the encoders assume well-formed input.
 *
 * @example
 * ```ts
 * textEncoder('utf-16')('A'); // Uint8Array [0xff, 0xfe, 0x41, 0x00]
 * ```
 */
export function textEncoder(encoding: ClkhashTextEncoding): (s: string) => Uint8Array {
  switch (encoding) {
    case 'utf-16':
      return utf16;
    case 'utf-32':
      return utf32;
    default:
      // ASCII text is its own UTF-8 encoding.
      return (s) => utf8.encode(s);
  }
}

/** Writes a token's bytes into `into`; returns how many, or −1 when they do not fit. */
export type TextEncoderInto = (s: string, into: Uint8Array) => number;

/**
 * Like {@link textEncoder}, but writing into a caller's buffer (no allocation per token for UTF-8
 * and ASCII, the encodings schemas use): the per-token hashers encode straight into their kernel's
 * memory.
 *
 * @example
 * ```ts
 * const buf = new Uint8Array(128);
 * textEncoderInto('utf-8')('AN', buf); // 2, buf starts [0x41, 0x4e]
 * ```
 */
export function textEncoderInto(encoding: ClkhashTextEncoding): TextEncoderInto {
  if (encoding === 'utf-16' || encoding === 'utf-32') {
    const encode = textEncoder(encoding);
    return (s, into) => {
      const bytes = encode(s);
      if (bytes.length > into.length) return -1;
      into.set(bytes);
      return bytes.length;
    };
  }
  return (s, into) => {
    const r = utf8.encodeInto(s, into);
    return r.read === s.length ? r.written : -1;
  };
}
