/**
 * encodeClkPiece: a piece of CSV text gives the CLKs (and the first error) of its rows as the CSV
 * parser reads them, whether it takes the quote-free scan (no `"` in the piece) or the parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clkToBase64, createClkEncoder, parseClkhashSchema } from '../../../src/encode/clkhash/index.js';
import { clkhashRole, encodeClkPiece } from '../../../src/encode/clkhash/task.js';
import { parseCsvSync } from '../../../src/read/csv.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const c = vectors.cases[0];
if (!c) throw new Error('no vector case');
const schema = parseClkhashSchema(c.schema);
const encoder = createClkEncoder(schema, vectors.secret, { allowWeakSecret: true });

type Outcome = { text: string; count: number } | { error: string };

/** The reference: the parser's rows, each encoded as the one-thread path does. */
function parsed(text: string, startLine: number, columns: Int32Array, delimiter: string): Outcome {
  try {
    const rows = parseCsvSync(text, { delimiter, startLine, label: 'a.csv' });
    const clks = rows.map((row) => {
      const record = Array.from(columns, (k) => (k < 0 ? '' : (row.fields[k] ?? '')));
      return `"${clkToBase64(encoder.encode(record, row.line))}"`;
    });
    return { text: clks.join(','), count: rows.length };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function pieced(text: string, startLine: number, columns: Int32Array, delimiter: string): Outcome {
  try {
    const { bytes, count } = encodeClkPiece(encoder, { text, startLine, columns, delimiter, label: 'a.csv' });
    return { text: new TextDecoder().decode(bytes), count };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const name = fc.stringMatching(/^[A-ZÉØ' -]{0,14}$/);
// Mostly valid values (a bad one ends the piece with its error, which is compared too).
const dob = fc.oneof(
  { arbitrary: fc.constantFrom('', '1987/06/21', '2001/1/9', '1950/12/31'), weight: 19 },
  { arbitrary: fc.stringMatching(/^[0-9/x]{0,10}$/), weight: 1 },
);
const sex = fc.oneof(
  { arbitrary: fc.constantFrom('', 'M', 'F'), weight: 19 },
  { arbitrary: fc.constant('X'), weight: 1 },
);
const row = fc.tuple(fc.nat(99).map(String), name, name, dob, sex, fc.nat(99).map(String));
const ending = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n');
/** A record as CSV: any width (short rows, extra fields, a trailing delimiter), any line ending. */
const line = (d: string) =>
  fc
    .tuple(row, fc.integer({ min: 1, max: 8 }), fc.boolean(), ending, fc.boolean())
    .map(([r, width, trailing, end, quoted]) => {
      const fields = [...r, 'extra', 'more'].slice(0, width).map((v) => (quoted ? `"${v}"` : v));
      return `${fields.join(d)}${trailing ? d : ''}${end}`;
    });

/**
 * Schema feature → CSV column: the names from either name column or none, the date and sex from
 * theirs (a bad value stops a piece) or none, the ignored features from any column.
 */
const columnsOf = fc.tuple(
  fc.constantFrom(0, 5, 6, -1),
  fc.constantFrom(1, 2, -1),
  fc.constantFrom(1, 2, -1),
  fc.constantFrom(3, -1),
  fc.constantFrom(4, -1),
  fc.constantFrom(0, 5, 7, -1),
);

describe('encodeClkPiece', () => {
  it('encodes the rows the CSV parser reads, with their lines, quoted or not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(',', ';', '\t'),
        fc.integer({ min: 2, max: 500 }),
        columnsOf,
        fc.boolean(),
        (d, startLine, cols, noLastEnd) =>
          fc.assert(
            fc.property(
              fc.array(line(d), { minLength: 0, maxLength: 12 }),
              fc.constantFrom('', '\n', '\r\n'),
              (lines, lead) => {
                let text = lead + lines.join('');
                if (noLastEnd) text = text.replace(/[\r\n]+$/, '');
                const columns = Int32Array.from(cols);
                expect(pieced(text, startLine, columns, d)).toEqual(parsed(text, startLine, columns, d));
              },
            ),
            { numRuns: 5 },
          ),
      ),
      { numRuns: 60 },
    );
  });

  it('reports the first bad value with its line, as reading the rows does', () => {
    const columns = Int32Array.of(0, 1, 2, 3, 4, 5);
    const text = '1,ANA,LEE,1980/01/02,F,3\n\r\n2,BO,KIM,1980/13/02,M,4\n3,CY,PARK,x,M,5\n';
    const got = pieced(text, 7, columns, ',');
    expect(got).toEqual(parsed(text, 7, columns, ','));
    expect('error' in got && got.error).toMatch(/line 9\b/);
  });

  it('gives a short row empty values for the fields it lacks', () => {
    const columns = Int32Array.of(0, 1, 2, 3, 4, 5);
    const got = pieced('1,ANA\n', 2, columns, ',');
    const want = `"${clkToBase64(encoder.encode(['1', 'ANA', '', '', '', ''], 2))}"`;
    expect(got).toEqual({ text: want, count: 1 });
  });
});

describe('clkhashRole', () => {
  it('answers with the CLK bytes to copy, never a buffer to transfer (no detached buffer in the worker)', () => {
    const state = clkhashRole.init({ schema, secret: new TextEncoder().encode(vectors.secret) });
    const piece = {
      text: '1,ANA,LEE,1980/01/02,F,3\n',
      startLine: 2,
      columns: Int32Array.of(0, 1, 2, 3, 4, 5),
      delimiter: ',',
      label: 'a.csv',
    };
    const out = clkhashRole.run(state, piece);
    const want = `"${clkToBase64(encoder.encode(['1', 'ANA', 'LEE', '1980/01/02', 'F', '3'], 2))}"`;
    expect(new TextDecoder().decode(out.result.bytes)).toBe(want);
    // The bytes are the result's own (not a view of the worker's scratch buffer).
    expect(out.result.bytes.byteLength).toBe(out.result.bytes.buffer.byteLength);
    state.encoder.dispose();
  });
});
