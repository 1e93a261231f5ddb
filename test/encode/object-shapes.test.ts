import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { asMemberPerson, blankMemberPerson } from '../../src/encode/read-encode-task.js';
import { ColumnWriter } from '../../src/encoded/columns.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { suffixOfToken } from '../../src/normalise/suffix.js';
import { IssueCollector } from '../../src/read/row-issues.js';
import { type CleanRowValidator, memberValidator } from '../../src/read/validate.js';
import type { MemberRecord } from '../../src/records.js';
import { EVERY_MEMBER_KEY_LISTED, MEMBER_RECORD_KEYS } from '../helpers/member-keys.js';

/**
 * The object shapes that keep V8 from throwing away optimised code in the read-encode worker
 * (docs/scaling.md, "Encoding, round fifteen"): every member row's person has one map whether the
 * row was clean or validated, validate's records keep their fields (only present ones, in order),
 * and the collector's count does not depend on its arrays. `%HaveSameMap` is V8's own test.
 */
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const HEADER = [
  'MemberID',
  'CIN',
  'FirstName',
  'MiddleName',
  'LastName',
  'DOB',
  'SSN',
  'Sex',
  'MCP',
  'CoverageType',
  'EnrollmentStartDate',
  'EnrollmentEndDate',
];
// Synthetic rows: a clean one, and ones with a warning (an invalid CIN, a placeholder SSN).
const CLEAN = [
  'M1',
  '91234567A',
  'Ana',
  'B',
  'Ruiz',
  '1980-02-03',
  '536-22-8741',
  'F',
  'Plan',
  'Medi-Cal',
  '2024-01-01',
  '',
];
const WARNED = [
  'M2',
  '81234567A',
  'Bo',
  '',
  'Lee',
  '',
  '999-99-9999',
  '',
  'Plan',
  'D-SNP',
  '2024-01-01',
  '2024-06-30',
];
const WARNED2 = ['M3', '91234567I', '', '', 'Kim', '1/2/1970', '', 'M', 'Plan', 'Medi-Cal', '2023-05-01', ''];

describe('one object shape per role in the read-encode worker', () => {
  it('copies every field of a member record into the person (asMemberPerson)', () => {
    // A field added to MemberRecord must be listed (a type error until then), then copied.
    expect(EVERY_MEMBER_KEY_LISTED).toBe(true);
    // A distinct value per field, whatever its type: a field left out keeps the blank's value.
    const rec = Object.fromEntries(
      MEMBER_RECORD_KEYS.map((k, i) => [k, `value-${i}`]),
    ) as unknown as MemberRecord;
    const p = asMemberPerson(rec) as unknown as Record<string, unknown>;
    for (const [i, k] of MEMBER_RECORD_KEYS.entries()) expect(p[k], k).toBe(`value-${i}`);
    expect(Object.keys(p)).toEqual(Object.keys(blankMemberPerson()));
  });

  it('gives a validated member row the map of a clean one, with the record’s fields', () => {
    const v = memberValidator(HEADER, { today: '2026-01-01' }) as CleanRowValidator<MemberRecord>;
    const clean = blankMemberPerson();
    expect(v.validateClean({ line: 2, fields: CLEAN }, clean)).toBe(true);
    for (const [line, fields] of [
      [3, WARNED],
      [4, WARNED2],
    ] as const) {
      const r = v.validate({ line, fields });
      expect(r.issues.length).toBeGreaterThan(0);
      const rec = r.record as MemberRecord;
      const p = asMemberPerson(rec);
      expect(sameMap(p, clean)).toBe(true);
      expect(Object.keys(p)).toEqual(Object.keys(clean));
      for (const [k, value] of Object.entries(rec)) expect((p as Record<string, unknown>)[k]).toBe(value);
      for (const [k, value] of Object.entries(p))
        if (k !== 'id' && !(k in rec))
          expect(value, k).toBe((blankMemberPerson() as Record<string, unknown>)[k]);
    }
  });

  it('keeps validate’s member records as they were: present fields only, in assembly order', () => {
    const v = memberValidator(HEADER, { today: '2026-01-01' });
    // The fields present, in the order the validator writes them (MEMBER_RECORD_KEYS' order).
    const presentKeys = (...absent: (keyof MemberRecord)[]) =>
      MEMBER_RECORD_KEYS.filter((k) => !absent.includes(k));
    const a = v.validate({ line: 2, fields: CLEAN }).record as MemberRecord;
    expect(Object.keys(a)).toEqual(presentKeys('nameSuffix', 'enrollmentEndDate'));
    const b = v.validate({ line: 3, fields: WARNED }).record as MemberRecord;
    expect(Object.keys(b)).toEqual(presentKeys('middleName', 'nameSuffix', 'dob', 'ssn', 'sex', 'cin'));
    expect(Object.values(b)).not.toContain(undefined);
  });

  it('counts issues whatever its arrays held before', () => {
    const c = new IssueCollector();
    expect(c.count).toBe(0);
    c.add('DOB', 'DATE_PLACEHOLDER');
    c.add('Sex', 'SEX_INVALID');
    expect(c.count).toBe(2);
    c.clear();
    expect(c.count).toBe(0);
    c.add('Sex', 'SEX_INVALID');
    expect(c.count).toBe(1);
    expect(c.take(5)).toHaveLength(1);
    expect(c.count).toBe(0);
    expect(c.take(6)).toEqual([]);
  });

  it('starts a batch’s ID column as strings (no holes) and reads no empty token past its end', () => {
    const w = new ColumnWriter(DEFAULT_SCHEMA, 3);
    expect(w.ids).toEqual(['', '', '']);
    expect(0 in w.ids && 2 in w.ids).toBe(true);
    expect(sameMap(w.ids, new ColumnWriter(DEFAULT_SCHEMA, 2).ids)).toBe(true);
    expect(suffixOfToken('', true)).toBeUndefined();
    expect(suffixOfToken('JR', false)).toBe('JR');
  });
});
