/**
 * Text → CSV records: a streaming RFC 4180 parser with the leniency real HMIS and plan exports need
 * (any mix of LF, CRLF and lone CR line endings; stray quotes inside unquoted fields kept literally;
 * blank lines skipped). Records come out with the physical line where they start, so row issues can
 * point at the line a person sees in an editor.
 *
 * Speed: one `charCodeAt` pass over unquoted text, `indexOf` for the closing quote of a quoted field;
 * at 10 short fields a row this runs at over a million rows per second (bench/csv.bench.ts).
 * @module
 */
import { BloomlinkError } from '../errors.js';
import { at } from '../util/defined.js';

/**
 * One CSV record.
 *
 * @example
 * ```ts
 * const rows: CsvRow[] = [];
 * for await (const row of parseCsv(['a,b\n1,2\n'])) rows.push(row);
 * // rows[0].line === 1, rows[1].fields: ['1', '2']
 * ```
 */
export interface CsvRow {
  /** 1-based physical line where the record starts (the header is line 1). */
  readonly line: number;
  /** The fields as written, quotes removed and `""` unescaped; surrounding whitespace kept. */
  readonly fields: string[];
}

/**
 * Options of {@link parseCsv}, `parseCsvBatches` and `parseCsvSync`.
 *
 * @example
 * ```ts
 * const opts: CsvOptions = { label: 'members.txt', delimiter: '|' };
 * ```
 */
export interface CsvOptions {
  /** File name used in error messages (default `input`). */
  readonly label?: string;
  /**
   * Field delimiter, one character. When absent it is detected from the first non-blank line: the
   * most frequent of comma, tab, semicolon and pipe outside quotes (comma on a tie or when none occurs).
   */
  readonly delimiter?: string;
  /**
   * Longest record accepted, in characters (default 1 MiB). A longer one almost always means a quote
   * that is never closed, which would otherwise swallow the rest of a large file into memory.
   */
  readonly maxRecordLength?: number;
  /**
   * Physical line number of the text's first line (default 1). Give it for text that continues a
   * file from a record boundary (as the parallel reader cuts it): line numbers then match the whole file, and
   * a leading U+FEFF is kept as text (a byte order mark only begins a file).
   */
  readonly startLine?: number;
}

const DEFAULT_MAX_RECORD = 1024 * 1024;
/** Text parsed per batch (see parseCsvBatches). */
const BATCH_CHARS = 64 * 1024;
const CANDIDATES = [',', '\t', ';', '|'] as const;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Parses CSV text given in chunks (split anywhere) into records.
 *
 * @param text - the text in order; a plain string is one chunk
 * @param opts - {@link CsvOptions}
 * @throws BloomlinkError `FILE_TRUNCATED` when input ends inside a quoted field (the message names the
 *   line where the field starts), `CSV_MALFORMED` for a record longer than `maxRecordLength`
 * @example
 * ```ts
 * for await (const row of parseCsv(['PersonalID,LastName\r\n1,"O""Brien"\r\n'])) {
 *   console.log(row.line, row.fields); // 1 ['PersonalID', 'LastName'], then 2 ['1', 'O"Brien']
 * }
 * ```
 */
export function parseCsv(
  text: AsyncIterable<string> | Iterable<string>,
  opts: CsvOptions = {},
): AsyncGenerator<CsvRow> {
  return flattenBatches(parseCsvBatches(text, opts));
}

/**
 * Iterates the items of a stream of arrays one by one. Does what `for (const x of batch) yield x` in
 * an async generator does at less than half the cost per item: items of a buffered batch are handed
 * out as already-resolved promises, without resuming a generator for each.
 *
 * @example
 * ```ts
 * for await (const row of flattenBatches(parseCsvBatches(chunks))) console.log(row.line);
 * ```
 */
export function flattenBatches<T>(batches: AsyncGenerator<T[]>): AsyncGenerator<T> {
  let buf: T[] = [];
  let k = 0;
  let done = false;
  // Calls that must wait (a refill or a close) are chained so results keep their order even when a
  // caller does not await one `next()` before the next.
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  const finished = (): IteratorReturnResult<undefined> => ({ value: undefined, done: true });
  const serial = <R>(step: () => Promise<R>): Promise<R> => {
    waiting++;
    const p = queue.then(step).finally(() => {
      waiting--;
    });
    queue = p.catch(() => undefined);
    return p;
  };
  const pull = async (): Promise<IteratorResult<T, undefined>> => {
    while (k >= buf.length) {
      if (done) return finished();
      let r: IteratorResult<T[]>;
      try {
        r = await batches.next();
      } catch (e) {
        done = true;
        throw e;
      }
      if (r.done) {
        done = true;
        return finished();
      }
      buf = r.value;
      k = 0;
    }
    // k < buf.length: an item of the batch (T itself may include undefined, so no at()).
    return { value: buf[k++] as T, done: false };
  };
  const close = async (): Promise<void> => {
    const wasDone = done;
    done = true;
    buf = [];
    if (!wasDone) await batches.return(undefined);
  };
  const it: AsyncGenerator<T, undefined, unknown> = {
    next() {
      if (waiting === 0 && k < buf.length) return Promise.resolve({ value: buf[k++] as T, done: false });
      return serial(pull);
    },
    return() {
      return serial(async () => {
        await close();
        return finished();
      });
    },
    throw(e: unknown) {
      return serial(async () => {
        await close();
        throw e;
      });
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

/**
 * Like {@link parseCsv} but yields records in arrays, one per input chunk (per 64 Ki characters of a
 * larger one): the fastest way to read millions of rows, as async iteration costs a promise per item.
 *
 * @example
 * ```ts
 * let rows = 0;
 * for await (const batch of parseCsvBatches(['a,b\n1,2\n3,4\n'])) rows += batch.length;
 * // rows === 3
 * ```
 */
export async function* parseCsvBatches(
  text: AsyncIterable<string> | Iterable<string>,
  opts: CsvOptions = {},
): AsyncGenerator<CsvRow[]> {
  const parser = new CsvParser(opts);
  for await (const chunk of typeof text === 'string' ? [text] : text) {
    if (typeof chunk !== 'string') throw new TypeError('text must yield strings');
    // Small batches die young: rows of a whole 1 MiB chunk outlive young-generation collections and
    // get copied by the GC; measured with bench/csv.bench.ts, that cost 2-3x the parsing time.
    for (let at = 0; at < chunk.length; at += BATCH_CHARS) {
      const rows = parser.push(chunk.length <= BATCH_CHARS ? chunk : chunk.slice(at, at + BATCH_CHARS));
      if (rows.length > 0) yield rows;
    }
  }
  const rows = parser.finish();
  if (rows.length > 0) yield rows;
}

/**
 * Parses a whole CSV text in batches of rows (one per 64 Ki characters), synchronously: for text
 * already in memory, such as a piece of a file read on a worker thread (see `splitCsv`). Small
 * batches let the rows die young when each batch is consumed before the next.
 *
 * @example
 * ```ts
 * for (const rows of parseCsvTextBatches(piece.text, { delimiter: ',', startLine: piece.startLine })) {
 *   for (const row of rows) validate(row);
 * }
 * ```
 */
export function* parseCsvTextBatches(text: string, opts: CsvOptions = {}): Generator<CsvRow[]> {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  const parser = new CsvParser(opts);
  for (let at = 0; at < text.length; at += BATCH_CHARS) {
    const rows = parser.push(text.length <= BATCH_CHARS ? text : text.slice(at, at + BATCH_CHARS));
    if (rows.length > 0) yield rows;
  }
  const rows = parser.finish();
  if (rows.length > 0) yield rows;
}

/**
 * Parses a whole CSV text at once; for small inputs and tests.
 *
 * @example
 * ```ts
 * parseCsvSync('a,b\n\n"x\ny",z\n');
 * // [{ line: 1, fields: ['a', 'b'] }, { line: 3, fields: ['x\ny', 'z'] }]
 * ```
 */
export function parseCsvSync(text: string, opts: CsvOptions = {}): CsvRow[] {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  const parser = new CsvParser(opts);
  const rows = parser.push(text);
  for (const row of parser.finish()) rows.push(row);
  return rows;
}

/**
 * Detects the delimiter of a header line: the most frequent candidate outside quotes.
 *
 * @example
 * ```ts
 * sniffDelimiter('PersonalID\tFirstName\tLastName'); // '\t'
 * ```
 */
export function sniffDelimiter(line: string): string {
  const counts = [0, 0, 0, 0];
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted) {
      const k = c === 44 ? 0 : c === 9 ? 1 : c === 59 ? 2 : c === 124 ? 3 : -1;
      if (k >= 0) counts[k] = at(counts, k) + 1;
    }
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (at(counts, k) > at(counts, best)) best = k;
  return at(CANDIDATES, best);
}

/**
 * The incremental tokenizer. `buf` always starts at a record boundary; an incomplete record at the end
 * of a chunk is kept and scanned again with the next chunk (bounded by `maxRecordLength`).
 */
class CsvParser {
  private readonly label: string;
  private readonly max: number;
  private delim: string | undefined;
  private delimCode = 0;
  private buf = '';
  private line: number;
  private started: boolean;

  constructor(opts: CsvOptions) {
    this.label = opts.label ?? 'input';
    this.max = opts.maxRecordLength ?? DEFAULT_MAX_RECORD;
    if (!Number.isInteger(this.max) || this.max < 1) {
      throw new RangeError('maxRecordLength must be a positive integer');
    }
    this.line = opts.startLine ?? 1;
    if (!Number.isInteger(this.line) || this.line < 1)
      throw new RangeError('startLine must be a positive integer');
    this.started = this.line > 1;
    if (opts.delimiter !== undefined) {
      const d = opts.delimiter;
      if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\r' || d === '\n') {
        throw new RangeError('delimiter must be one character other than a quote, CR or LF');
      }
      this.setDelimiter(d);
    }
  }

  push(chunk: string): CsvRow[] {
    if (!this.started) {
      if (chunk.length === 0) return [];
      this.started = true;
      // A BOM left by a caller that decoded the bytes itself would stick to the first column name.
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    return this.parse(false);
  }

  finish(): CsvRow[] {
    const rows = this.parse(true);
    this.buf = '';
    return rows;
  }

  private setDelimiter(d: string): void {
    this.delim = d;
    this.delimCode = d.charCodeAt(0);
  }

  /** Detects the delimiter once the first non-blank line is complete; false while it is not. */
  private detect(final: boolean): boolean {
    const s = this.buf;
    let start = 0;
    while (start < s.length && (s.charCodeAt(start) === LF || s.charCodeAt(start) === CR)) start++;
    let end = start;
    while (end < s.length && s.charCodeAt(end) !== LF && s.charCodeAt(end) !== CR) end++;
    if (end === s.length && !final) {
      if (s.length - start > this.max) throw this.tooLong(this.line + countBreaks(s, 0, start));
      return false;
    }
    this.setDelimiter(sniffDelimiter(s.slice(start, end)));
    return true;
  }

  /**
   * Parses the complete records at the start of `buf`. One pass of `charCodeAt` over unquoted text
   * (fields are short, so this beats an `indexOf` call per field or `split`); `indexOf` finds the
   * closing quote of a quoted field.
   */
  private parse(final: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    if (this.delim === undefined && !this.detect(final)) return rows;
    const s = this.buf;
    const n = s.length;
    const dc = this.delimCode;
    let line = this.line;
    let pos = 0;
    // Next CR and LF at or after some earlier position (n when none), to tell cheaply whether a quoted
    // field spans lines; searched again only once passed, so a file without CRs is searched once.
    let nextCr = -1;
    let nextLf = -1;
    outer: while (pos < n) {
      let c = s.charCodeAt(pos);
      if (c === LF || c === CR) {
        // A blank line: skipped, but counted so later line numbers match the file.
        if (c === CR && pos + 1 === n && !final) break; // an LF may follow in the next chunk
        pos += c === CR && s.charCodeAt(pos + 1) === LF ? 2 : 1;
        line++;
        continue;
      }
      const fields: string[] = [];
      let lines = 0; // line breaks inside quoted fields of this record so far
      let i = pos;
      for (;;) {
        if (i === n && !final) break outer;
        let value: string;
        if (s.charCodeAt(i) === QUOTE) {
          const open = i + 1;
          let from = open;
          let parts: string | undefined;
          let q: number;
          for (;;) {
            q = s.indexOf('"', from);
            if (q < 0) {
              if (final) throw this.unclosed(line + lines);
              break outer;
            }
            if (q + 1 === n && !final) break outer; // cannot yet tell `""` from a closing quote
            if (s.charCodeAt(q + 1) !== QUOTE) break;
            parts = (parts ?? '') + s.slice(from, q + 1);
            from = q + 2;
          }
          value = parts === undefined ? s.slice(from, q) : parts + s.slice(from, q);
          if (nextLf < open) nextLf = indexOrEnd(s, '\n', open);
          if (nextCr < open) nextCr = indexOrEnd(s, '\r', open);
          if (nextLf < q || nextCr < q) lines += countBreaks(s, open, q);
          i = q + 1;
          // Lenient: text between the closing quote and the delimiter is kept, as in `"ab"c` → `abc`.
          const j = unquotedEnd(s, i, dc);
          if (j > i) {
            value += s.slice(i, j);
            i = j;
          }
        } else {
          const j = unquotedEnd(s, i, dc);
          value = s.slice(i, j);
          i = j;
        }
        fields.push(value);
        if (i - pos > this.max) throw this.tooLong(line);
        if (i === n) {
          if (!final) break outer;
        } else {
          c = s.charCodeAt(i);
          if (c === dc) {
            i++;
            continue;
          }
          if (c === CR) {
            if (i + 1 === n && !final) break outer;
            i += s.charCodeAt(i + 1) === LF ? 2 : 1;
          } else i++;
        }
        rows.push({ line, fields });
        line += lines + 1;
        pos = i;
        continue outer;
      }
    }
    // +1: a record of exactly `max` characters may wait for the LF after its CR.
    if (!final && n - pos > this.max + 1) throw this.tooLong(line);
    this.buf = pos === 0 ? s : s.slice(pos);
    this.line = line;
    return rows;
  }

  private unclosed(line: number): BloomlinkError {
    return new BloomlinkError(
      'FILE_TRUNCATED',
      `${this.label}: line ${line}: a quoted field starting on this line is never closed; ` +
        'the file is truncated or has an unbalanced quote',
    );
  }

  private tooLong(line: number): BloomlinkError {
    return tooLongError(this.label, line, this.max);
  }
}

function tooLongError(label: string, line: number, max: number): BloomlinkError {
  return new BloomlinkError(
    'CSV_MALFORMED',
    `${label}: line ${line}: the record starting here is longer than ${max} characters; ` +
      'a quote is probably never closed, or the file is not CSV',
  );
}

/**
 * Where the complete records at the start of `s` end: the position after the line break of the last
 * record that is complete (0 when none is), by the same rules as the parser (a quote opens a quoted
 * field only at the start of a field; `""` inside one is a quote; blank lines are skipped). Cutting
 * text there gives pieces that parse, each on its own with {@link CsvOptions.startLine}, to exactly
 * the records the whole text parses to: how the parallel reader shares a file between threads
 * without parsing it twice. A CR at the very end is not a cut point (an LF may follow).
 *
 * @param s - text that starts at a record boundary
 * @param delimiter - the field delimiter (one character)
 * @param opts - `label`, `maxRecordLength` and `startLine` (the line `s` starts on), for the error;
 *   `stopAfter`: stop after that many records (blank lines do not count)
 * @throws BloomlinkError `CSV_MALFORMED` when the incomplete record at the end is already longer than
 *   `maxRecordLength` (as the parser would throw: its quote is probably never closed)
 * @example
 * ```ts
 * recordsEnd('a,b\n"x\ny",z\n1,', ','); // 12: the two complete records, not the partial third
 * ```
 */
export function recordsEnd(
  s: string,
  delimiter: string,
  opts: CsvOptions & { readonly stopAfter?: number } = {},
): number {
  const dc = delimiter.charCodeAt(0);
  const n = s.length;
  const stopAfter = opts.stopAfter ?? Number.POSITIVE_INFINITY;
  let records = 0;
  let end = 0;
  let pos = 0;
  if (opts.stopAfter === undefined) {
    end = lastRecordsEnd(s, dc);
    pos = n; // skip the record-by-record scan
  }
  outer: while (pos < n && records < stopAfter) {
    let i = pos;
    for (;;) {
      if (i < n && s.charCodeAt(i) === QUOTE) {
        i = afterClosingQuote(s, i);
        if (i < 0) break outer;
      }
      i = unquotedEnd(s, i, dc);
      if (i === n) break outer;
      const c = s.charCodeAt(i);
      if (c === dc) {
        i++;
        continue;
      }
      if (c === CR) {
        if (i + 1 === n) break outer;
        i += s.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++;
      // A blank line is no record, but the text after it still starts at a boundary.
      if (i - pos > (c === CR && s.charCodeAt(i - 1) === LF ? 2 : 1)) records++;
      end = i;
      pos = i;
      continue outer;
    }
  }
  const max = opts.maxRecordLength ?? DEFAULT_MAX_RECORD;
  if (n - end > max + 1) {
    // As the parser: the incomplete record (after any blank lines) is too long to be one.
    let start = end;
    while (start < n && (s.charCodeAt(start) === LF || s.charCodeAt(start) === CR)) start++;
    if (n - start > max + 1)
      throw tooLongError(opts.label ?? 'input', (opts.startLine ?? 1) + countLineBreaks(s, 0, start), max);
  }
  return end;
}

/**
 * The end of the last complete record in `s` (see {@link recordsEnd}), jumping from quote to quote
 * with `indexOf` instead of reading every character: only a quote at the start of a field changes
 * the state, and between two quotes outside a quoted field every line break ends a record. Most
 * rows have no quote at all, so this costs a few native searches per piece of text.
 */
function lastRecordsEnd(s: string, dc: number): number {
  const n = s.length;
  let end = 0;
  let pos = 0;
  for (;;) {
    const q0 = s.indexOf('"', pos);
    const q = q0 < 0 ? n : q0;
    // Outside quotes from pos to q: the last line break there ends a record.
    const cut = lastBreakEnd(s, pos, q);
    if (cut > 0) end = cut;
    if (q === n) return end;
    const prev = q === 0 ? LF : s.charCodeAt(q - 1);
    if (prev !== dc && prev !== LF && prev !== CR) {
      pos = q + 1; // a stray quote inside an unquoted field: text
      continue;
    }
    pos = afterClosingQuote(s, q);
    if (pos < 0) return end;
  }
}

/**
 * Where the text after the closing quote of the quoted field opened at `open` starts (`""` inside
 * is an escaped quote); −1 when `s` ends before the closing quote is known (a quote at the very end
 * may be the first of `""`).
 */
function afterClosingQuote(s: string, open: number): number {
  for (let from = open + 1; ; ) {
    const q = s.indexOf('"', from);
    if (q < 0 || q + 1 === s.length) return -1;
    if (s.charCodeAt(q + 1) !== QUOTE) return q + 1;
    from = q + 2;
  }
}

/**
 * Where the text after the last line break in `s[from, to)` starts (0 when there is none, or when it
 * is a CR at the very end of `s`, which an LF may follow).
 */
function lastBreakEnd(s: string, from: number, to: number): number {
  if (to <= from) return 0;
  const part = from === 0 && to === s.length ? s : s.slice(from, to);
  const lf = part.lastIndexOf('\n');
  const cr = part.lastIndexOf('\r');
  if (lf < 0 && cr < 0) return 0;
  if (lf > cr) return from + lf + 1;
  const at = from + cr;
  if (at + 1 === s.length) return lastBreakEnd(s, from, at);
  return s.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
}

/**
 * Line breaks in `s[from, to)`, counting CRLF once: how many lines a piece of text spans.
 *
 * @example
 * ```ts
 * countLineBreaks('a\r\nb\rc\n'); // 3
 * ```
 */
export function countLineBreaks(s: string, from = 0, to = s.length): number {
  // Native searches: every LF, and every CR not followed by an LF.
  let count = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) count++;
  for (let i = s.indexOf('\r', from); i >= 0 && i < to; i = s.indexOf('\r', i + 1))
    if (i + 1 >= to || s.charCodeAt(i + 1) !== LF) count++;
  return count;
}

/** End of unquoted text starting at `from`: the next delimiter, CR or LF, or the end of `s`. */
function unquotedEnd(s: string, from: number, delimCode: number): number {
  const n = s.length;
  let j = from;
  for (; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c === delimCode || c === LF || c === CR) break;
  }
  return j;
}

function indexOrEnd(s: string, what: string, from: number): number {
  const i = s.indexOf(what, from);
  return i < 0 ? s.length : i;
}

/** Line breaks in `s[from, to)`, counting CRLF once. */
function countBreaks(s: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}
