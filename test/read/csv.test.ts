import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import {
  type CsvRow,
  flattenBatches,
  parseCsv,
  parseCsvBatches,
  parseCsvSync,
  sniffDelimiter,
} from '../../src/read/csv.js';

type Outcome = { rows: CsvRow[] } | { code: string; message: string };

async function collect(chunks: Iterable<string> | AsyncIterable<string>, opts = {}): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of parseCsv(chunks, opts)) rows.push(row);
  return rows;
}

async function outcome(run: () => Promise<CsvRow[]> | CsvRow[]): Promise<Outcome> {
  try {
    return { rows: await run() };
  } catch (e) {
    if (!(e instanceof BloomlinkError)) throw e;
    return { code: e.code, message: e.message };
  }
}

function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of points) {
    out.push(text.slice(last, p));
    last = p;
  }
  out.push(text.slice(last));
  return out;
}

/**
 * Reference parser: a plain character-by-character state machine with the same rules, written for
 * clarity, not speed. The fast parser must agree with it on every input.
 */
function referenceParse(text: string, delim = ','): CsvRow[] {
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let i = 0;
  let line = 1;
  const isBreak = (k: number) => s[k] === '\n' || s[k] === '\r';
  const skipBreak = (k: number) => (s[k] === '\r' && s[k + 1] === '\n' ? k + 2 : k + 1);
  while (i < s.length) {
    if (isBreak(i)) {
      i = skipBreak(i);
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (s[i] === '"') {
        const fieldLine = line;
        i++;
        for (;;) {
          if (i >= s.length) throw new BloomlinkError('FILE_TRUNCATED', `line ${fieldLine}`);
          if (s[i] === '"') {
            if (s[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (isBreak(i)) {
            const next = skipBreak(i);
            value += s.slice(i, next);
            i = next;
            line++;
            continue;
          }
          value += s[i];
          i++;
        }
      }
      while (i < s.length && s[i] !== delim && !isBreak(i)) value += s[i++];
      fields.push(value);
      if (i < s.length && s[i] === delim) {
        i++;
        continue;
      }
      if (i < s.length) i = skipBreak(i);
      line++;
      break;
    }
    rows.push({ line: start, fields });
  }
  return rows;
}

describe('parseCsvSync', () => {
  it('reads LF, CRLF and lone CR line endings, mixed', () => {
    expect(parseCsvSync('a,b\n1,2\r\n3,4\r5,6')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
    ]);
  });

  it('reads a final line with or without a newline the same', () => {
    expect(parseCsvSync('a,b\r\n1,2\r\n')).toEqual(parseCsvSync('a,b\r\n1,2'));
    expect(parseCsvSync('a,b\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('unescapes doubled quotes and keeps delimiters and newlines inside quotes', () => {
    expect(parseCsvSync('"O""Brien","Smith, Jr.","a\r\nb"\n')).toEqual([
      { line: 1, fields: ['O"Brien', 'Smith, Jr.', 'a\r\nb'] },
    ]);
  });

  it('reads the real HMIS dirt """Last4""TEST"" Last"""', () => {
    expect(parseCsvSync('PersonalID,LastName\r\n7,"""Last4""TEST"" Last"""\r\n')).toEqual([
      { line: 1, fields: ['PersonalID', 'LastName'] },
      { line: 2, fields: ['7', '"Last4"TEST" Last"'] },
    ]);
  });

  it('numbers records by the physical line they start on', () => {
    const rows = parseCsvSync('h1,h2\r\n"multi\r\nline\nfield\rend",x\r\n\r\nnext,row\n');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 7]);
    expect(rows[1]!.fields).toEqual(['multi\r\nline\nfield\rend', 'x']);
  });

  it('skips blank lines but counts them', () => {
    expect(parseCsvSync('\n\r\na\n\n\r\rb\n\n')).toEqual([
      { line: 3, fields: ['a'] },
      { line: 7, fields: ['b'] },
    ]);
  });

  it('keeps whitespace around fields and empty fields', () => {
    expect(parseCsvSync(' a , b ,\n,,\n  \n')).toEqual([
      { line: 1, fields: [' a ', ' b ', ''] },
      { line: 2, fields: ['', '', ''] },
      { line: 3, fields: ['  '] },
    ]);
  });

  it('keeps a stray quote inside an unquoted field literally', () => {
    expect(parseCsvSync('ab"c,d"\n5\'10",x\n')).toEqual([
      { line: 1, fields: ['ab"c', 'd"'] },
      { line: 2, fields: ['5\'10"', 'x'] },
    ]);
  });

  it('keeps text after a closing quote', () => {
    expect(parseCsvSync('"ab"c,"x" ,"y"z"w\n')).toEqual([{ line: 1, fields: ['abc', 'x ', 'yz"w'] }]);
  });

  it('reads a quoted empty field as a one-field record, not a blank line', () => {
    expect(parseCsvSync('""\n')).toEqual([{ line: 1, fields: [''] }]);
  });

  it('gives a header-only file one row and an empty text none', () => {
    expect(parseCsvSync('PersonalID,DOB\r\n')).toEqual([{ line: 1, fields: ['PersonalID', 'DOB'] }]);
    expect(parseCsvSync('')).toEqual([]);
    expect(parseCsvSync('\r\n\n')).toEqual([]);
  });

  it('drops a leading BOM', () => {
    expect(parseCsvSync('\uFEFFPersonalID,DOB\n')).toEqual([{ line: 1, fields: ['PersonalID', 'DOB'] }]);
  });

  it('fails on an unterminated quote, naming the line where the field starts', () => {
    const run = () => parseCsvSync('a,b\n1,2\n3,"never\nclosed\n', { label: 'Client.csv' });
    expect(run).toThrow(BloomlinkError);
    expect(run).toThrow(/^Client\.csv: line 3: a quoted field starting on this line is never closed/);
    try {
      run();
    } catch (e) {
      expect((e as BloomlinkError).code).toBe('FILE_TRUNCATED');
      expect((e as BloomlinkError).message).not.toContain('never\nclosed');
    }
  });

  it('counts line breaks of earlier quoted fields in the line of an unclosed one', () => {
    expect(() => parseCsvSync('h\n"a\nb","c\nd\n')).toThrow(/line 3: a quoted field/);
  });

  it('fails on a record longer than maxRecordLength, without quoting it', () => {
    const long = `h\n"${'x'.repeat(50)}\n`;
    expect(() => parseCsvSync(long, { maxRecordLength: 20 })).toThrow(
      expect.objectContaining({
        code: 'CSV_MALFORMED',
        message: expect.stringMatching(/^input: line 2: the record/),
      }),
    );
    expect(() => parseCsvSync(`h\n${'y'.repeat(21)}\n`, { maxRecordLength: 20 })).toThrow(/line 2/);
    expect(parseCsvSync(`h\n${'y'.repeat(20)}\r\n`, { maxRecordLength: 20 })).toHaveLength(2);
  });

  it('uses a given delimiter and rejects impossible ones', () => {
    expect(parseCsvSync('a;b,c\n', { delimiter: ';' })).toEqual([{ line: 1, fields: ['a', 'b,c'] }]);
    for (const delimiter of ['', ';;', '"', '\n', '\r']) {
      expect(() => parseCsvSync('a', { delimiter })).toThrow(RangeError);
    }
  });

  it('detects tab, semicolon and pipe delimiters from the header line', () => {
    expect(parseCsvSync('a\tb\tc\n1\t2,5\t3\n')[1]!.fields).toEqual(['1', '2,5', '3']);
    expect(parseCsvSync('\n\na;b;c\n1;2;3\n')[1]!.fields).toEqual(['1', '2', '3']);
    expect(parseCsvSync('a|b\n1|2\n')[1]!.fields).toEqual(['1', '2']);
    expect(parseCsvSync('PersonalID\n1,2\n')[1]!.fields).toEqual(['1', '2']);
  });
});

describe('sniffDelimiter', () => {
  it('ignores candidates inside quotes and prefers comma on a tie', () => {
    expect(sniffDelimiter('"a;b;c",d')).toBe(',');
    expect(sniffDelimiter('a,b;c')).toBe(',');
    expect(sniffDelimiter('a|b|c,d')).toBe('|');
    expect(sniffDelimiter('')).toBe(',');
  });
});

describe('parseCsv (streaming)', () => {
  const tricky =
    '\uFEFFID,Name,Note\r\n1,"""Last4""TEST"" Last""","a\r\nb"\r\n\r\n2,ab"c,"x,""y"""\r3,"",\n\n4,"q"r,"\r"\r\n5,e\u0301,last';

  it('gives the same rows for a split at every position', async () => {
    const whole = parseCsvSync(tricky);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 5, 6, 8, 10]);
    for (let p = 0; p <= tricky.length; p++) {
      expect(await collect([tricky.slice(0, p), tricky.slice(p)]), `split at ${p}`).toEqual(whole);
    }
  });

  it('gives the same rows for one-character chunks', async () => {
    expect(await collect(tricky.split(''))).toEqual(parseCsvSync(tricky));
  });

  it('accepts async iterables, a plain string and empty chunks', async () => {
    async function* gen() {
      yield '';
      yield 'a,b\n';
      yield '';
      yield '1,2';
    }
    expect(await collect(gen())).toEqual(parseCsvSync('a,b\n1,2'));
    expect(await collect('a,b\n1,2')).toEqual(parseCsvSync('a,b\n1,2'));
  });

  it('yields batches holding every row once, in order', async () => {
    const rows: CsvRow[] = [];
    for await (const batch of parseCsvBatches(['a\n1\n2', '\n3\n', '4'])) {
      expect(batch.length).toBeGreaterThan(0);
      rows.push(...batch);
    }
    expect(rows.map((r) => r.fields[0])).toEqual(['a', '1', '2', '3', '4']);
  });

  it('cuts a large chunk into several batches without changing the rows', async () => {
    const text = `id,name\r\n${'1,"a\r\nb"\r\n'.repeat(50_000)}`;
    const batches = [];
    for await (const batch of parseCsvBatches([text])) batches.push(batch);
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.flat()).toEqual(parseCsvSync(text));
  });

  it('rejects chunks that are not strings', async () => {
    await expect(collect([1 as unknown as string])).rejects.toThrow(TypeError);
  });

  it('stops with FILE_TRUNCATED at the end of a stream inside a quote', async () => {
    await expect(collect(['a,b\n', '1,"x', 'y'])).rejects.toMatchObject({ code: 'FILE_TRUNCATED' });
  });

  it('does not rescan to the end of the buffer per record (single column, no CR)', async () => {
    const text = `${'"v"\n'.repeat(200_000)}`;
    const t0 = performance.now();
    expect(parseCsvSync(text)).toHaveLength(200_000);
    expect(performance.now() - t0).toBeLessThan(5_000); // linear: ~50 ms; quadratic: minutes
  });
});

describe('parseCsv properties', () => {
  const csvText = fc
    .array(fc.constantFrom('a', 'b', ' ', ',', '"', '""', '\r', '\n', '\r\n', 'é', '\t', ';'), {
      maxLength: 40,
    })
    .map((parts) => parts.join(''));

  it('agrees with the reference parser', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        const fast = await outcome(() => parseCsvSync(text, { delimiter: ',' }));
        const ref = await outcome(() => referenceParse(text));
        if ('rows' in ref) expect(fast).toEqual(ref);
        else expect(fast).toMatchObject({ code: ref.code, message: expect.stringContaining(ref.message) });
      }),
      { numRuns: 3000 },
    );
  });

  it('parse(join(chunks)) equals parse(chunks) for any split, errors included', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        async (text, cuts, maxRecordLength) => {
          const opts = maxRecordLength === undefined ? {} : { maxRecordLength };
          const whole = await outcome(() => parseCsvSync(text, opts));
          const split = await outcome(() => collect(splitAt(text, cuts), opts));
          expect(split).toEqual(whole);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('flattenBatches', () => {
  async function* source(log: string[], fail = false) {
    try {
      yield [1, 2];
      yield [];
      yield [3];
      if (fail) throw new Error('boom');
      yield [4, 5];
    } finally {
      log.push('closed');
    }
  }

  it('yields every item in order and then stays done', async () => {
    const it = flattenBatches(source([]));
    const seen: number[] = [];
    for await (const x of it) seen.push(x);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('keeps order when next() is called without awaiting', async () => {
    const it = flattenBatches(source([]));
    const results = await Promise.all(Array.from({ length: 7 }, () => it.next()));
    expect(results.map((r) => (r.done ? 'done' : r.value))).toEqual([1, 2, 3, 4, 5, 'done', 'done']);
  });

  it('closes the source when the consumer stops early', async () => {
    const log: string[] = [];
    for await (const x of flattenBatches(source(log))) if (x === 2) break;
    expect(log).toEqual(['closed']);
    const it = flattenBatches(source(log));
    await it.next();
    await expect(it.throw(new Error('stop'))).rejects.toThrow('stop');
    expect(log).toEqual(['closed', 'closed']);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('passes on an error of the source once, then is done', async () => {
    const it = flattenBatches(source([], true));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of it) seen.push(x);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2, 3]);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});
