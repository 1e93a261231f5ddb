/**
 * Stable record IDs for the HMIS import files. An ID is a hash of what identifies the record (the
 * project, the client, the entry date, …), never random, so the same input always yields the same
 * IDs: a re-run updates records instead of duplicating them, and delta exports line up.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const DOMAIN = 'bloomlink/hmis/v1';
const encoder = new TextEncoder();

/**
 * A 32-character lower-case hex ID (HUD S32): the first 128 bits of SHA-256 over a domain tag, the
 * record kind and its identifying parts, NUL-separated (no part of a CSV cell can contain NUL, so
 * different parts never give the same input). 128 bits make a collision between two records of one
 * CoC practically impossible.
 *
 * @param kind - record kind, e.g. `enrollment`
 * @param parts - the identifying values, in a fixed order
 * @example
 * ```ts
 * stableId('enrollment', 'MCP-1', 'P17', '2024-07-01'); // 32 hex characters, the same every run
 * ```
 */
export function stableId(kind: string, ...parts: readonly string[]): string {
  return hex32(sha256(encoder.encode([DOMAIN, kind, ...parts].join('\u0000'))));
}

/**
 * {@link stableId} over any number of parts given as an iterable (e.g. every cell of an export),
 * hashed as they come, for IDs that stand for a whole content.
 *
 * @example
 * ```ts
 * stableIdOf('content', rows.flat()); // changes whenever any cell changes
 * ```
 */
export function stableIdOf(kind: string, parts: Iterable<string>): string {
  const h = sha256.create();
  // Encoding cell by cell costs more than the hash itself: gather text and encode it in large pieces.
  let buf = `${DOMAIN}\u0000${kind}`;
  for (const p of parts) {
    buf += `\u0000${p}`;
    if (buf.length >= 65_536) {
      h.update(encoder.encode(buf));
      buf = '';
    }
  }
  h.update(encoder.encode(buf));
  return hex32(h.digest());
}

function hex32(digest: Uint8Array): string {
  let out = '';
  for (const byte of digest.subarray(0, 16)) out += byte.toString(16).padStart(2, '0');
  return out;
}
