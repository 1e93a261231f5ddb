import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvSync } from '../../src/read/csv.js';
import {
  CSV_EOL,
  formatCsvRow,
  isFormulaLike,
  neutraliseFormula,
  restoreFormula,
} from '../../src/util/csv-write.js';

describe('formatCsvRow', () => {
  it('quotes only when needed in minimal mode', () => {
    expect(
      formatCsvRow(['1', 'O"Brien', 'Smith, Jr.', 'a\nb', 'c\rd', ' x ', null, undefined, 42, -1.5]),
    ).toBe('1,"O""Brien","Smith, Jr.","a\nb","c\rd", x ,,,42,-1.5');
  });

  it('quotes every non-empty string in strings mode, numbers and nulls bare', () => {
    expect(formatCsvRow(['012345678', '', null, 1, 'O"Brien'], { quote: 'strings' })).toBe(
      '"012345678",,,1,"O""Brien"',
    );
  });

  it('writes a record of one empty field as "" so it is not read back as a blank line', () => {
    expect(formatCsvRow([''])).toBe('""');
    expect(formatCsvRow([null], { quote: 'strings' })).toBe('""');
    expect(formatCsvRow(['', ''])).toBe(',');
  });

  it('quotes a leading BOM so a reader does not drop it', () => {
    expect(formatCsvRow(['\uFEFFa', 'b\uFEFF'])).toBe('"\uFEFFa",b\uFEFF');
  });

  it('uses another delimiter', () => {
    expect(formatCsvRow(['a;b', 'c,d'], { delimiter: ';' })).toBe('"a;b";c,d');
  });

  it('rejects what CSV cannot represent', () => {
    expect(() => formatCsvRow([])).toThrow(RangeError);
    expect(() => formatCsvRow([Number.NaN])).toThrow(/fields\[0\]/);
    expect(() => formatCsvRow(['a', Number.POSITIVE_INFINITY])).toThrow(/fields\[1\]/);
    expect(() => formatCsvRow([true as unknown as string])).toThrow(TypeError);
    expect(() => formatCsvRow(['a'], { delimiter: '"' })).toThrow(RangeError);
  });

  it('ends lines with CRLF', () => {
    expect(CSV_EOL).toBe('\r\n');
  });
});

describe('formatCsvRow → parseCsvSync round trip', () => {
  const field = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc
      .array(
        fc.constantFrom(
          '"',
          ',',
          '\r',
          '\n',
          '\r\n',
          ' ',
          'a',
          '\t',
          ';',
          '\uFEFF',
          '=',
          '+',
          '-',
          '@',
          "'",
          '1',
          '.',
        ),
        {
          maxLength: 8,
        },
      )
      .map((p) => p.join('')),
  );

  it('reads back every record of arbitrary strings, in both quoting modes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('minimal' as const, 'strings' as const),
        (records, quote) => {
          const text = records.map((r) => formatCsvRow(r, { quote, formulas: 'keep' }) + CSV_EOL).join('');
          const rows = parseCsvSync(text, { delimiter: ',' });
          expect(rows.map((r) => r.fields)).toEqual(records);
          // Neutralised (the default), every value comes back through restoreFormula.
          const safe = records.map((r) => formatCsvRow(r, { quote }) + CSV_EOL).join('');
          const back = parseCsvSync(safe, { delimiter: ',' }).map((r) => r.fields.map(restoreFormula));
          expect(back).toEqual(records);
          for (const row of parseCsvSync(safe, { delimiter: ',' }))
            for (const cell of row.fields) expect(isFormulaLike(cell)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('formula neutralisation (OWASP CSV injection)', () => {
  const PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    '@SUM(1+1)',
    '-2+3',
    '\tx',
    '\rx',
    '-',
    '+1',
  ];

  it('prefixes every payload with an apostrophe, in both quoting modes', () => {
    for (const p of PAYLOADS) {
      expect(isFormulaLike(p)).toBe(true);
      expect(neutraliseFormula(p)).toBe(`'${p}`);
      for (const quote of ['minimal', 'strings'] as const) {
        const [cell] = parseCsvSync(formatCsvRow([p, 'x'], { quote }), { delimiter: ',' })[0]!.fields;
        expect(cell).toBe(`'${p}`);
      }
    }
  });

  it('leaves numbers, plain decimal strings and ordinary text alone', () => {
    expect(formatCsvRow([-3.21, '-3.2100', '12', 'Ana', "O'Brien", ''])).toBe(
      "-3.21,-3.2100,12,Ana,O'Brien,",
    );
    expect(formatCsvRow(['=1+2'], { formulas: 'keep' })).toBe('=1+2');
  });

  it('is undone by restoreFormula for every string, apostrophes included', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom("'", '=', '-', '1', 'a', '\t', '.'), { maxLength: 6 })
          .map((a) => a.join('')),
        (v) => {
          expect(restoreFormula(neutraliseFormula(v))).toBe(v);
          expect(isFormulaLike(neutraliseFormula(v))).toBe(false);
        },
      ),
    );
    expect(restoreFormula("'Ana")).toBe("'Ana");
  });
});
