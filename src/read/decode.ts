/**
 * Bytes → text: encoding detection and streaming decoding of CSV files as they come out of HMIS
 * exports, Excel and plan data warehouses (UTF-8 with or without BOM, UTF-16, Windows-1252).
 *
 * Runs in browsers too: only `TextDecoder` and `Uint8Array`.
 * @module
 */
import { BloomlinkError } from '../errors.js';
import { at } from '../util/defined.js';

/**
 * The encodings the reader understands (WHATWG Encoding names, as accepted by `TextDecoder`).
 *
 * @example
 * ```ts
 * const forced: TextEncodingName = 'windows-1252';
 * const reader = await readClients(bytes, { encoding: forced });
 * ```
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * What {@link sniffEncoding} found: the encoding and how many leading bytes are a byte-order mark.
 *
 * @example
 * ```ts
 * const { encoding, bomLength } = sniffEncoding(head);
 * const text = new TextDecoder(encoding).decode(head.subarray(bomLength));
 * ```
 */
export interface SniffResult {
  readonly encoding: TextEncodingName;
  readonly bomLength: number;
}

/**
 * Options of `decodeChunks` (and of the readers that decode bytes).
 *
 * @example
 * ```ts
 * const opts: DecodeOptions = { label: 'Client.csv', onEncoding: (e) => console.log('read as', e) };
 * ```
 */
export interface DecodeOptions {
  /** File name used in error messages (default `input`). */
  readonly label?: string;
  /** Skip detection and decode with this encoding (a BOM of the same encoding is still stripped). */
  readonly encoding?: TextEncodingName;
  /**
   * Called with the encoding in use once it is known, and again if a file guessed to be UTF-8 turns
   * out to be Windows-1252 further on; lets a report say how the file was read.
   */
  readonly onEncoding?: (encoding: TextEncodingName) => void;
}

/**
 * How many bytes are buffered to detect the encoding before decoding starts (64 KiB).
 *
 * @example
 * ```ts
 * sniffEncoding(firstChunk.subarray(0, SNIFF_BYTES));
 * ```
 */
export const SNIFF_BYTES = 64 * 1024;

const ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

/**
 * Larger input chunks are decoded in pieces of this size: the CSV parser turns each piece into a batch
 * of rows, and batches that stay small die young, which keeps garbage collection cheap. 32 KiB, so
 * that a piece of text with any character above U+00FF (a two-byte string in V8: 2 bytes a
 * character) joined to the unfinished record before it stays below V8's large-object size (128 KiB):
 * at 64 KiB, `splitCsv` flattening such a join took 30–50 ns a character instead of about 1
 * (docs/scaling.md, "Encoding, round four").
 */
const MAX_PIECE = 32 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * Detects the encoding of a file from its first bytes.
 *
 * A BOM decides (UTF-8, UTF-16LE, UTF-16BE). Without one, UTF-16 is recognised by its pattern of NUL
 * bytes; otherwise text that is valid UTF-8 (a multi-byte sequence cut off at the end of `head` is
 * allowed) is UTF-8 and anything else Windows-1252, the superset of Latin-1 that Excel and older HMIS
 * exports write on Windows.
 *
 * @param head - the first bytes of the file (at most {@link SNIFF_BYTES} are looked at)
 * @param label - file name for error messages
 * @throws BloomlinkError `FILE_EMPTY` for 0 bytes, `FILE_BINARY` for NUL bytes outside UTF-16 or a
 *   high share of control bytes (an image, a spreadsheet, a zip …), `FILE_ENCODING` when valid UTF-8
 *   characters precede bytes that are not UTF-8 (a file that mixes encodings)
 * @example
 * ```ts
 * sniffEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])); // { encoding: 'utf-8', bomLength: 3 }
 * sniffEncoding(new Uint8Array([0x63, 0x61, 0x66, 0xe9])); // { encoding: 'windows-1252', bomLength: 0 }
 * ```
 */
export function sniffEncoding(head: Uint8Array, label = 'input'): SniffResult {
  if (!(head instanceof Uint8Array)) throw new TypeError('head must be a Uint8Array');
  if (head.length === 0) throw new BloomlinkError('FILE_EMPTY', `${label}: file is empty (0 bytes)`);
  const sample = head.length > SNIFF_BYTES ? head.subarray(0, SNIFF_BYTES) : head;
  const bom = detectBom(sample);
  if (bom) {
    if (bom.encoding !== 'utf-8') assertUtf16Text(sample, label);
    else assertText(sample, label);
    return bom;
  }
  const utf16 = detectUtf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  assertText(sample, label);
  const scan = scanUtf8(sample, 0);
  if (scan.invalidAt < 0) return { encoding: 'utf-8', bomLength: 0 };
  if (scan.firstNonAscii < scan.invalidAt) throw mixedEncodings(label, scan.invalidAt);
  return { encoding: 'windows-1252', bomLength: 0 };
}

/**
 * Decodes a byte stream to text chunks: buffers the first {@link SNIFF_BYTES} to detect the encoding
 * (see {@link sniffEncoding}), strips the BOM, then decodes as a stream, so a character split between
 * chunks is decoded whole.
 *
 * A file guessed to be UTF-8 only because its first 64 KiB were plain ASCII may turn out to hold a
 * Windows-1252 byte (`é` as 0xE9) further on. If every byte before it was ASCII the decoder switches
 * to Windows-1252 without losing anything, because both encodings agree on ASCII. Only a file that
 * mixes real UTF-8 characters with invalid bytes (two exports pasted together) cannot be read
 * faithfully either way, and fails with `FILE_ENCODING`; so does invalid data in a file whose encoding
 * was declared by a BOM or by `opts.encoding`.
 *
 * @param chunks - the file's bytes, in order
 * @param opts - {@link DecodeOptions}
 * @throws BloomlinkError `FILE_EMPTY`, `FILE_BINARY`, `FILE_ENCODING` (the message names the byte
 *   offset), `FILE_TRUNCATED` (the file ends inside a character)
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('\uFEFFPersonalID,DOB\r\n1,1980-01-02\r\n');
 * let text = '';
 * for await (const piece of decodeChunks([bytes], { label: 'Client.csv' })) text += piece;
 * // text === 'PersonalID,DOB\r\n1,1980-01-02\r\n'
 * ```
 */
export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  opts: DecodeOptions = {},
): AsyncGenerator<string> {
  const label = opts.label ?? 'input';
  if (opts.encoding !== undefined && !ENCODINGS.includes(opts.encoding)) {
    throw new RangeError(`opts.encoding must be one of ${ENCODINGS.join(', ')}`);
  }
  const head: Uint8Array[] = [];
  let headLength = 0;
  let decoder: ChunkDecoder | undefined;
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('chunks must yield Uint8Array values');
    if (decoder) {
      yield* decodePieces(decoder, chunk);
      continue;
    }
    if (chunk.length === 0) continue;
    headLength += chunk.length;
    if (headLength < SNIFF_BYTES) {
      // Kept past this step: copy, in case the source reuses its buffer for the next chunk.
      head.push(chunk.slice());
      continue;
    }
    head.push(chunk);
    decoder = startDecoder(head, opts, label);
    for (const piece of head) yield* decodePieces(decoder, piece);
    head.length = 0;
  }
  if (!decoder) {
    decoder = startDecoder(head, opts, label);
    for (const piece of head) yield* decodePieces(decoder, piece);
  }
  const rest = decoder.decode(EMPTY, true);
  if (rest) yield rest;
}

function* decodePieces(decoder: ChunkDecoder, chunk: Uint8Array): Generator<string> {
  for (let at = 0; at < chunk.length; at += MAX_PIECE) {
    const text = decoder.decode(chunk.subarray(at, at + MAX_PIECE), false);
    if (text) yield text;
  }
}

function startDecoder(head: readonly Uint8Array[], opts: DecodeOptions, label: string): ChunkDecoder {
  const sample = concatPrefix(head, SNIFF_BYTES);
  let found: SniffResult;
  if (opts.encoding === undefined) {
    found = sniffEncoding(sample, label);
  } else {
    if (sample.length === 0) throw new BloomlinkError('FILE_EMPTY', `${label}: file is empty (0 bytes)`);
    const bom = detectBom(sample);
    const bomLength = bom?.encoding === opts.encoding ? bom.bomLength : 0;
    if (opts.encoding === 'utf-8' || opts.encoding === 'windows-1252') assertText(sample, label);
    else assertUtf16Text(sample, label);
    found = { encoding: opts.encoding, bomLength };
  }
  const declared = opts.encoding !== undefined || found.bomLength > 0;
  const decoder = new ChunkDecoder(found.encoding, declared, label, opts.onEncoding);
  decoder.skip(found.bomLength);
  return decoder;
}

/** The first `max` bytes of the chunks as one array; copies only when they span several chunks. */
function concatPrefix(chunks: readonly Uint8Array[], max: number): Uint8Array {
  const first = chunks[0];
  if (!first) return EMPTY;
  if (first.length >= max || chunks.length === 1) return first.subarray(0, max);
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(Math.min(total, max));
  let at = 0;
  for (const c of chunks) {
    if (at >= out.length) break;
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function detectBom(b: Uint8Array): SniffResult | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

/**
 * BOM-less UTF-16 (SQL Server `bcp -w`, some .NET tools): text of Latin script has a zero high byte
 * in most code units and never a zero code unit, which binary data does not imitate.
 */
function detectUtf16WithoutBom(b: Uint8Array): TextEncodingName | undefined {
  const units = b.length >> 1;
  if (units < 2) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i + 1 < b.length; i += 2) {
    const even = b[i] === 0;
    const odd = b[i + 1] === 0;
    if (even && odd) return undefined;
    if (even) zeroEven++;
    else if (odd) zeroOdd++;
  }
  if (zeroOdd * 10 >= units * 6 && zeroEven * 20 <= zeroOdd) return 'utf-16le';
  if (zeroEven * 10 >= units * 6 && zeroOdd * 20 <= zeroEven) return 'utf-16be';
  return undefined;
}

/** Rejects NUL bytes and files where control bytes are common: no text export contains either. */
function assertText(b: Uint8Array, label: string): void {
  let controls = 0;
  for (let i = 0; i < b.length; i++) {
    const c = at(b, i);
    if (c >= 0x20) continue;
    if (c === 0) throw binary(label, 'it contains NUL bytes');
    // TAB, LF, FF, CR and SUB (the DOS end-of-file mark some old exports append) occur in text files.
    if (c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1a) controls++;
  }
  if (controls > 4 && controls * 32 > b.length) throw binary(label, 'it contains many control bytes');
}

function assertUtf16Text(b: Uint8Array, label: string): void {
  for (let i = 0; i + 1 < b.length; i += 2) {
    if (b[i] === 0 && b[i + 1] === 0) throw binary(label, 'it contains NUL characters');
  }
}

/** UTF-8 characters and bytes of another encoding in one file: no single decoding reads it faithfully. */
function mixedEncodings(label: string, at: number): BloomlinkError {
  return new BloomlinkError(
    'FILE_ENCODING',
    `${label}: not valid UTF-8 at byte ${at}, although earlier text is UTF-8, so the file mixes ` +
      `encodings; re-save it in one encoding (e.g. Excel "CSV UTF-8") and read it again`,
  );
}

function binary(label: string, why: string): BloomlinkError {
  return new BloomlinkError(
    'FILE_BINARY',
    `${label}: not a text file (${why}); export the list as CSV text, not as a spreadsheet or image`,
  );
}

/** Unicode for bytes 0x80–0x9F in Windows-1252 (the five undefined bytes map to C1 controls). */
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1 = /[\u0080-\u009f]/g;
let latin1: TextDecoder | undefined;

/**
 * Windows-1252 → text. Node ≥ 20.18.3 decodes `windows-1252` as ISO-8859-1 on its fast path, so 0x92
 * becomes U+0092 instead of ’ (nodejs/node#56542, #60888; Cloudflare workerd too). Mapping the C1
 * range afterwards gives the right text from a correct decoder (browsers) and a faulty one alike.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  latin1 ??= new TextDecoder('windows-1252');
  const text = latin1.decode(bytes);
  C1.lastIndex = 0;
  return C1.test(text) ? text.replace(C1, (c) => CP1252_C1.charAt(c.charCodeAt(0) - 0x80)) : text;
}

/** Where a UTF-8 scan stopped: indices are relative to the scanned array, -1 when none. */
interface Utf8Scan {
  /** First byte ≥ 0x80. */
  readonly firstNonAscii: number;
  /** Start of the first invalid sequence. */
  readonly invalidAt: number;
  /** Start of a valid but unfinished sequence at the very end. */
  readonly incompleteAt: number;
}

/**
 * Validates UTF-8 per RFC 3629 (no overlong forms, no surrogates, nothing above U+10FFFF). Runs on the
 * 64 KiB sniff window and on the error path only; the bulk is validated by `TextDecoder`.
 */
function scanUtf8(b: Uint8Array, from: number): Utf8Scan {
  let firstNonAscii = -1;
  let i = from;
  const n = b.length;
  while (i < n) {
    const c = at(b, i);
    if (c < 0x80) {
      i++;
      continue;
    }
    if (firstNonAscii < 0) firstNonAscii = i;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return { firstNonAscii, invalidAt: i, incompleteAt: -1 };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { firstNonAscii, invalidAt: -1, incompleteAt: i };
      const x = at(b, i + k);
      if (k === 1 ? x < lo || x > hi : x < 0x80 || x > 0xbf) {
        return { firstNonAscii, invalidAt: i, incompleteAt: -1 };
      }
    }
    i += need + 1;
  }
  return { firstNonAscii, invalidAt: -1, incompleteAt: -1 };
}

/** Length of the sequence a UTF-8 lead byte starts (0 for a continuation or invalid byte). */
function utf8Length(c: number): number {
  if (c < 0x80) return 1;
  if (c >= 0xf0) return 4;
  if (c >= 0xe0) return 3;
  if (c >= 0xc0) return 2;
  return 0;
}

/**
 * The unfinished UTF-8 sequence at the end of `prev ++ b` that a streaming `TextDecoder` holds back
 * (at most 3 bytes); only valid after the decoder accepted the bytes.
 */
function utf8Tail(prev: Uint8Array, b: Uint8Array): Uint8Array {
  const all = prev.length === 0 ? b : b.length >= 3 ? b : concat(prev, b);
  for (let back = 1; back <= 3 && back <= all.length; back++) {
    const len = utf8Length(at(all, all.length - back));
    if (len === 0) continue;
    return len > back ? all.slice(all.length - back) : EMPTY;
  }
  return EMPTY;
}

/** Streaming decoder that knows byte offsets, so errors can say where a file is broken. */
class ChunkDecoder {
  private decoder: TextDecoder | undefined;
  /**
   * UTF-8 only: a decoder never called with `stream`, for bytes that hold whole characters when
   * nothing is held back. Node decodes UTF-8 natively (simdutf, V8's one-byte strings) only on such
   * calls — one streaming call turns that off for the decoder for good — and through ICU otherwise,
   * 3–4× slower on ASCII text: ≈ 0.1 s of this thread per 110 MB (docs/scaling.md "Encoding, round
   * seventeen"). A chunk's text is the same either way; only a chunk that ends inside a character
   * (or follows one) goes through `decoder`.
   */
  private whole: TextDecoder | undefined;
  /** Offset in the file (BOM included) of the next byte to be decoded. */
  private offset = 0;
  /** BOM bytes still to be dropped. */
  private toSkip = 0;
  /** UTF-8 only: bytes of an unfinished character the decoder holds back. */
  private pending: Uint8Array = EMPTY;
  /** UTF-8 only: whether any complete non-ASCII character has been decoded. */
  private sawNonAscii = false;

  constructor(
    private encoding: TextEncodingName,
    private readonly declared: boolean,
    private readonly label: string,
    private readonly onEncoding: ((encoding: TextEncodingName) => void) | undefined,
  ) {
    if (encoding !== 'windows-1252')
      this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    if (encoding === 'utf-8') this.whole = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    onEncoding?.(encoding);
  }

  /** Skips the BOM, whichever chunks it falls in. */
  skip(bytes: number): void {
    this.toSkip = bytes;
  }

  decode(bytes: Uint8Array, final: boolean): string {
    if (this.toSkip > 0) {
      const skipped = Math.min(this.toSkip, bytes.length);
      this.toSkip -= skipped;
      this.offset += skipped;
      bytes = bytes.subarray(skipped);
    }
    if (!this.decoder) {
      this.offset += bytes.length;
      return decodeWindows1252(bytes);
    }
    try {
      // UTF-8: the bytes of a character this chunk leaves unfinished (held back for the next).
      const tail = this.encoding === 'utf-8' ? utf8Tail(this.pending, bytes) : EMPTY;
      const whole = this.whole !== undefined && this.pending.length === 0 && tail.length === 0;
      const text = whole
        ? (this.whole as TextDecoder).decode(bytes)
        : this.decoder.decode(bytes, { stream: !final });
      if (this.encoding === 'utf-8') {
        const held = this.pending.length;
        this.pending = final ? EMPTY : tail;
        // Code units equal completed bytes exactly when every completed character was ASCII.
        if (!this.sawNonAscii && text.length !== held + bytes.length - this.pending.length) {
          this.sawNonAscii = true;
        }
      }
      this.offset += bytes.length;
      return text;
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      return this.encoding === 'utf-8' ? this.recoverUtf8(bytes, final) : this.failUtf16(bytes, final);
    }
  }

  private recoverUtf8(bytes: Uint8Array, final: boolean): string {
    const segment = concat(this.pending, bytes);
    const start = this.offset - this.pending.length;
    const scan = scanUtf8(segment, 0);
    const bad = scan.invalidAt >= 0 ? scan.invalidAt : scan.incompleteAt;
    if (!this.declared && !this.sawNonAscii && bad >= 0 && scan.firstNonAscii === bad) {
      // Everything decoded so far was ASCII, which reads the same in Windows-1252: switch, lose nothing.
      this.encoding = 'windows-1252';
      this.decoder = undefined;
      this.whole = undefined;
      this.pending = EMPTY;
      this.offset = start + segment.length;
      this.onEncoding?.('windows-1252');
      return decodeWindows1252(segment);
    }
    const at = start + Math.max(bad, 0);
    if (scan.invalidAt < 0 && final) {
      throw new BloomlinkError(
        'FILE_TRUNCATED',
        `${this.label}: the file ends inside a UTF-8 character at byte ${at}; it is probably truncated, export it again`,
      );
    }
    if (this.declared) {
      throw new BloomlinkError(
        'FILE_ENCODING',
        `${this.label}: not valid UTF-8 at byte ${at}, although the file is declared UTF-8; ` +
          `re-save it as UTF-8 (e.g. Excel "CSV UTF-8") and read it again`,
      );
    }
    throw mixedEncodings(this.label, at);
  }

  private failUtf16(bytes: Uint8Array, final: boolean): never {
    const name = this.encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
    const start = this.offset;
    if (final && (start + bytes.length) % 2 === 1) {
      throw new BloomlinkError(
        'FILE_TRUNCATED',
        `${this.label}: the ${name} file has an odd number of bytes; it is probably truncated, export it again`,
      );
    }
    throw new BloomlinkError(
      'FILE_ENCODING',
      `${this.label}: not valid ${name} between bytes ${Math.max(start - 3, 0)} and ${start + bytes.length} ` +
        `(an unpaired surrogate); re-save the file as UTF-8 and read it again`,
    );
  }
}
