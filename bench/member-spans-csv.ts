/**
 * A plan member list with several coverage spans per member and messy rows, for checking that a
 * change to the member reader or the encoder keeps every output byte (encoded file, rejection
 * report, summary) against an older build. Starts from `bloomlink synth`'s one-row-per-member list
 * and, seeded, adds to it: earlier spans of the same member (some ended, some overlapping, some
 * repeating a row cell for cell, some with a changed identity column), rows with bad or missing
 * cells (dates, SSNs, sex codes, names, formula-looking cells, too few or too many cells, quoted
 * cells with commas and quotes), blank lines, and duplicated rows far from their first copy.
 *
 * Usage: npx tsx bench/member-spans-csv.ts MEMBERS_IN.csv MEMBERS_OUT.csv [seed=7]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Random } from '../src/util/prng.js';

const [inPath, outPath, seedArg] = process.argv.slice(2);
if (!inPath || !outPath) throw new Error('usage: member-spans-csv.ts IN.csv OUT.csv [seed]');
const rnd = new Random(Number(seedArg ?? 7));
const text = readFileSync(inPath, 'utf8');
const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
const header = lines[0]!;
const cols = header.split(',');
const at = (name: string) => {
  const i = cols.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
};
const START = at('EnrollmentStartDate');
const END = at('EnrollmentEndDate');
const FIRST = at('FirstName');
const LAST = at('LastName');
const DOB = at('DOB');
const SSN = at('SSN');
const SEX = at('Sex');
const CIN = at('CIN');
const MID = at('MemberID');

const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)]!;
const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
const day = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const earlier = (iso: string, years: number) => {
  const y = Number(iso.slice(0, 4)) || 2020;
  return day(y - years, 1 + rnd.below(12), 1);
};

const out: string[] = [header];
const saved: string[] = [];
for (let i = 1; i < lines.length; i++) {
  const line = lines[i]!;
  // synth writes no quoted cells in this layout; a quoted one is copied as it is
  const cells = line.includes('"') ? null : line.split(',');
  const u = rnd.next();
  if (cells && u < 0.3) {
    // earlier spans of this member (before or after its latest row in the file)
    const start = cells[START] || '2020-01-01';
    const extra = 1 + rnd.below(3);
    const rows: string[][] = [];
    for (let k = 0; k < extra; k++) {
      const c = cells.slice();
      const v = rnd.next();
      c[START] = earlier(start, k + 1);
      c[END] = v < 0.15 ? '' : earlier(start, k); // some open (overlap), most ended
      if (v > 0.8) c[LAST] = `${c[LAST]}${pick(['-SMITH', 'S', ''])}`;
      else if (v > 0.7) c[SSN] = '';
      else if (v > 0.65) c[SEX] = pick(['F', 'M', 'U', '']);
      else if (v > 0.6) c[CIN] = '';
      rows.push(c);
    }
    if (rnd.next() < 0.1) rows.push(cells.slice()); // a repeat, cell for cell
    if (rnd.next() < 0.05) {
      const c = cells.slice();
      c[START] = earlier(start, -1); // a later span: this row becomes the superseded one
      rows.push(c);
    }
    const before = rnd.next() < 0.5;
    if (!before) out.push(line);
    for (const c of rows) out.push(c.map(quote).join(','));
    if (before) out.push(line);
    continue;
  }
  if (cells && u < 0.36) {
    const c = cells.slice();
    const v = rnd.below(14);
    if (v === 0) c[DOB] = pick(['1980-02-30', '02/03/1980', '1980-2-3', '19800203', 'unknown', '']);
    else if (v === 1) c[SSN] = pick(['123-45-678', '000000000', '123456789', '12345678X', '987-65-4321']);
    else if (v === 2) c[SEX] = pick(['X', 'female', 'm', '9', '']);
    else if (v === 3) c[FIRST] = pick(['', '=HYPERLINK("x")', 'Mary Ann', "O'Neil", 'José', '  ANN  ']);
    else if (v === 4) c[LAST] = pick(['', '+SUM(A1)', 'De La Cruz', 'Nguyễn', 'Smith, Jr.', 'a"b']);
    else if (v === 5) c[START] = pick(['', '2026-13-01', '2030-01-01', '2024/01/01']);
    else if (v === 6) c[END] = pick(['2000-01-01', 'ongoing', '2025-02-29', '2024-12-31']);
    else if (v === 7) c[MID] = pick(['', ' ', '@M1', 'M 1']);
    else if (v === 8)
      c.pop(); // too few cells
    else if (v === 9)
      c.push('extra'); // too many cells
    else if (v === 10) c[CIN] = pick(['', 'ABC', '9'.repeat(40)]);
    else if (v === 11) c[DOB] = pick(['2030-01-01', '1890-01-01', '1900-01-01']);
    else if (v === 12) c[FIRST] = `${c[FIRST]}\t`;
    else c[LAST] = `${c[LAST]}\r\nX`;
    out.push(c.map(quote).join(','));
    continue;
  }
  if (u < 0.362) out.push('');
  else if (u < 0.365 && saved.length > 0) out.push(pick(saved));
  if (u > 0.999) saved.push(line);
  out.push(line);
}
writeFileSync(outPath, `${out.join('\r\n')}\r\n`);
console.log(`${out.length - 1} rows from ${lines.length - 1} members`);
