import { describe, expect, it } from 'vitest';
import { personToEncode } from '../../src/encode/pipeline.js';
import { blankMemberPerson } from '../../src/encode/read-encode-task.js';
import { parseCsvSync } from '../../src/read/csv.js';
import type { Fields } from '../../src/read/fields.js';
import { identityFingerprint } from '../../src/read/member-spans.js';
import { type CleanRowValidator, clientValidator, memberValidator } from '../../src/read/validate.js';
import type { MemberRecord } from '../../src/records.js';
import { Random } from '../../src/util/prng.js';
import { MEMBER_RECORD_KEYS } from '../helpers/member-keys.js';
import { fuzzRows, spoilCell, synth } from './member-fuzz.js';

/**
 * `validateClean` (the read-encode worker's second pass judges a clean member row into the object
 * the encoder takes) against `validate`, row by row: whenever it says a row is clean, `validate`
 * accepts the row with no issue and a record whose every field is the one written; the fields a
 * record lacks are left untouched. `into` starts as the worker's own object (`blankMemberPerson`,
 * data qualities 99, `coverageType` 'Medi-Cal'), so a field the validator fails to write shows as
 * that starting value; and what the worker encodes from it (its `id` set to the MemberID) is
 * `personToEncode(record, record.memberId)`, field by field. And it does not change what `validate`
 * says of later rows. test/encode/read-encode-task.test.ts checks the worker's whole piece result.
 */
const TODAY = '2026-01-01';

interface Tally {
  rows: number;
  clean: number;
}

function compare(header: readonly string[], rows: readonly Fields[], today = TODAY): Tally {
  const both = memberValidator(header, { today }) as CleanRowValidator<MemberRecord>;
  const plain = memberValidator(header, { today });
  const tally = { rows: 0, clean: 0 };
  rows.forEach((fields, i) => {
    const row = { line: i + 2, fields };
    tally.rows++;
    const into = blankMemberPerson();
    const clean = both.validateClean(row, into);
    const r = both.validate(row);
    // Asking validateClean first changes nothing validate says (the collector is left empty).
    // The row itself in the messages: these are synthetic test rows, never real data.
    const again = plain.validate(row);
    if (JSON.stringify(r) !== JSON.stringify(again)) expect(r, JSON.stringify(fields)).toEqual(again);
    const simple = r.record !== undefined && r.issues.length === 0 && fields.length === header.length;
    if (clean !== simple) expect(clean, JSON.stringify(fields)).toBe(simple);
    if (!clean) return;
    tally.clean++;
    const rec = r.record as MemberRecord;
    const got = into as unknown as Record<string, unknown>;
    for (const k of MEMBER_RECORD_KEYS)
      if (got[k] !== rec[k]) expect(got[k], `${k} of ${JSON.stringify(fields)}`).toBe(rec[k]);
    // The validator never writes `id`; the worker sets it to the MemberID before encoding.
    if (into.id !== '' || identityFingerprint(into) !== identityFingerprint(rec))
      expect([into.id, identityFingerprint(into)]).toEqual(['', identityFingerprint(rec)]);
    into.id = into.memberId;
    const want = personToEncode(rec, rec.memberId) as unknown as Record<string, unknown>;
    for (const k of Object.keys(want))
      if (got[k] !== want[k]) expect(got[k], `person's ${k} of ${JSON.stringify(fields)}`).toBe(want[k]);
  });
  return tally;
}

describe('validateClean against validate', () => {
  it('agrees on every generated member row and finds nearly all of them clean', () => {
    const { header, rows } = synth(20_000, 17);
    const t = compare(header, rows);
    expect(t.rows).toBe(20_000);
    expect(t.clean / t.rows).toBeGreaterThan(0.8);
  });

  it('agrees on every case of every column, alone and combined, in short and long rows', () => {
    const { header, rows } = synth(50, 4);
    let clean = 0;
    let total = 0;
    for (const [i, base] of rows.entries()) {
      const t = compare(header, fuzzRows(header, base, 400, i + 11));
      clean += t.clean;
      total += t.rows;
    }
    // Both outcomes are exercised.
    expect(clean).toBeGreaterThan(total / 20);
    expect(clean).toBeLessThan(total * 0.9);
  });

  it('agrees with data-quality columns, absent optional columns and other reference days', () => {
    const { header, rows } = synth(300, 6);
    const dq = [...header, 'NameDataQuality', 'DOBDataQuality', 'SSNDataQuality'];
    const codes = ['1', '2', '8', '9', '99', '', '7', ' 1 '];
    const rnd = new Random(3);
    const withDq = rows.map((r) => [...r, ...[0, 1, 2].map(() => codes[rnd.below(codes.length)] ?? '')]);
    for (const today of ['2026-01-01', '2000-02-29', '2099-06-30']) {
      expect(compare(dq, withDq, today).clean).toBeGreaterThan(0);
      const few = header.filter((h) => !['CIN', 'MiddleName', 'Sex', 'SSN', 'EnrollmentEndDate'].includes(h));
      const pick = few.map((h) => header.indexOf(h));
      expect(
        compare(
          few,
          rows.map((r) => pick.map((c) => r[c] ?? '')),
          today,
        ).clean,
      ).toBeGreaterThan(0);
    }
  });

  it('agrees on a messy plan file as the CSV reader parses it (quotes, tabs, line breaks, blank cells)', () => {
    const { header, rows } = synth(3_000, 19);
    const rnd = new Random(7);
    const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const lines = [header.join(',')];
    for (const r of rows) {
      const c = [...r];
      spoilCell(c, rnd, true);
      lines.push(c.map(quote).join(','));
    }
    const parsed = parseCsvSync(`${lines.join('\r\n')}\r\n`);
    const t = compare(
      header,
      parsed.slice(1).map((r) => r.fields),
    );
    expect(t.rows).toBe(3_000);
    expect(t.clean).toBeGreaterThan(1_500);
  });

  it('is for member lists only', () => {
    const v = clientValidator([
      'PersonalID',
      'FirstName',
      'LastName',
      'NameDataQuality',
      'DOB',
      'DOBDataQuality',
    ]) as CleanRowValidator<never>;
    expect(() =>
      v.validateClean({ line: 2, fields: ['1', 'Ana', 'Ruiz', '1', '1980-01-01', '1'] }, {} as never),
    ).toThrow(TypeError);
  });
});
