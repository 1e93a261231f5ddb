/**
 * Cutting CSV text at `recordsEnd` and parsing the pieces on their own (with `startLine`) gives
 * exactly the rows, lines and errors of parsing the whole text; `splitCsv` reads a file's header and
 * hands out such pieces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvRow, countLineBreaks, parseCsvSync, recordsEnd } from '../../src/read/csv.js';
import { readCsvRows } from '../../src/read/source.js';
import { splitCsv } from '../../src/read/split.js';

const csvText = fc
  .array(fc.constantFrom('a', 'b', ',', '"', '""', '\n', '\r', '\r\n', ' ', 'é'), { maxLength: 80 })
  .map((parts) => parts.join(''));

/** Parses `text` piece by piece, each piece cut by `recordsEnd` within at most `window` characters. */
function parseInPieces(text: string, window: number): CsvRow[] {
  const rows: CsvRow[] = [];
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const rest = text.slice(pos);
    let end = recordsEnd(rest.slice(0, window), ',', { startLine: line });
    if (end === 0) end = rest.length;
    const piece = rest.slice(0, end);
    for (const r of parseCsvSync(piece, { delimiter: ',', startLine: line })) rows.push(r);
    line += countLineBreaks(piece);
    pos += end;
  }
  return rows;
}

function outcome(f: () => CsvRow[]): CsvRow[] | string {
  try {
    return f();
  } catch (e) {
    return (e as Error).message;
  }
}

async function collectRows(bytes: Uint8Array): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const r of readCsvRows(bytes)) rows.push(r);
  return rows;
}

async function splitRows(bytes: Uint8Array, pieceChars: number): Promise<CsvRow[]> {
  const file = await splitCsv(bytes, { pieceChars });
  const rows: CsvRow[] = [file.header];
  for await (const p of file.pieces())
    for (const r of parseCsvSync(p.text, { delimiter: file.delimiter, startLine: p.startLine })) rows.push(r);
  return rows;
}

describe('recordsEnd', () => {
  it('cuts only where the pieces parse to the same rows, lines and errors as the whole', () => {
    fc.assert(
      fc.property(csvText, fc.integer({ min: 1, max: 30 }), (text, window) => {
        const whole = outcome(() => parseCsvSync(text, { delimiter: ',' }));
        const pieces = outcome(() => parseInPieces(text, window));
        expect(pieces).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same cut jumping from quote to quote as reading record by record', () => {
    fc.assert(
      fc.property(csvText, fc.constantFrom(',', ';'), (text, d) => {
        expect(recordsEnd(text, d)).toBe(recordsEnd(text, d, { stopAfter: Number.POSITIVE_INFINITY }));
      }),
      { numRuns: 5000 },
    );
  });

  it('counts line breaks with or without CRs', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        let slow = 0;
        for (let i = 0; i < text.length; i++)
          if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) slow++;
        expect(countLineBreaks(text)).toBe(slow);
      }),
    );
  });

  it('never cuts inside a quoted field, after a CR that may precede an LF, or in a partial record', () => {
    expect(recordsEnd('a,b\n"x\ny",z\n1,', ',')).toBe(12);
    expect(recordsEnd('a\r', ',')).toBe(0);
    expect(recordsEnd('a\r\nb\r', ',')).toBe(3);
    expect(recordsEnd('"a\n', ',')).toBe(0);
    expect(recordsEnd('"a""', ',')).toBe(0);
    expect(recordsEnd('x;"a\n;b"\n', ';')).toBe(9);
  });

  it('counts records for stopAfter, not blank lines', () => {
    expect(recordsEnd('\n\r\nh1,h2\nr1\n', ',', { stopAfter: 1 })).toBe(9);
  });

  it('reports an incomplete record longer than maxRecordLength as the parser does', () => {
    const text = `a\n"${'x'.repeat(50)}`;
    expect(() => recordsEnd(text, ',', { maxRecordLength: 10, startLine: 5, label: 'f.csv' })).toThrow(
      'f.csv: line 6: the record starting here is longer than 10 characters',
    );
  });
});

describe('splitCsv', () => {
  it('gives the header and pieces that parse to the rows readCsvRows gives', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 40 }), async (body, pieceChars) => {
        const bytes = new TextEncoder().encode(`\uFEFF\r\n"Personal\nID",Name\r\n${body}`);
        const whole = await collectRows(bytes).catch((e: Error) => e.message);
        const split = await splitRows(bytes, pieceChars).catch((e: Error) => e.message);
        expect(split).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts text with a character above U+00FF into pieces of at most 30,000 characters, Latin-1 text not', async () => {
    const rows = (name: string) =>
      Array.from({ length: 6000 }, (_, i) => `${i},${i === 100 ? name : 'Lee'},Ann\n`).join('');
    for (const [name, longest] of [
      ['Nguy\u1ec5n', 30_000],
      ['Mu\u00f1oz', 40_000],
    ] as const) {
      const body = rows(name);
      const file = await splitCsv(new TextEncoder().encode(`ID,Last,First\n${body}`), { pieceChars: 40_000 });
      const pieces: string[] = [];
      for await (const p of file.pieces()) pieces.push(p.text);
      expect(pieces.join('')).toBe(body);
      const max = Math.max(...pieces.map((p) => p.length));
      expect(max).toBeLessThanOrEqual(longest);
      expect(max).toBeGreaterThan(longest - 100);
    }
  });

  it('detects the delimiter as the parser does and reads non-UTF-8 files', async () => {
    const text = 'PersonalID;LastName\r\n1;"Mu\u00f1oz"\r\n2;Lee\r\n';
    const latin1 = Uint8Array.from(text, (c) => c.charCodeAt(0));
    const file = await splitCsv(latin1, { label: 'c.csv' });
    expect(file.delimiter).toBe(';');
    expect(file.header).toEqual({ line: 1, fields: ['PersonalID', 'LastName'] });
    const pieces = [];
    for await (const p of file.pieces()) pieces.push(p);
    expect(pieces).toHaveLength(1);
    expect(parseCsvSync(pieces[0]!.text, { delimiter: ';', startLine: pieces[0]!.startLine })).toEqual([
      { line: 2, fields: ['1', 'Mu\u00f1oz'] },
      { line: 3, fields: ['2', 'Lee'] },
    ]);
  });

  it('stops with FILE_EMPTY when there is no header and FILE_TRUNCATED for a header never closed', async () => {
    await expect(splitCsv(new TextEncoder().encode('\n\r\n'), { label: 'e.csv' })).rejects.toThrow(
      'e.csv: file has no rows, not even a header',
    );
    await expect(splitCsv(new TextEncoder().encode('"PersonalID,Name\n1,2\n'))).rejects.toMatchObject({
      code: 'FILE_TRUNCATED',
    });
  });
});
