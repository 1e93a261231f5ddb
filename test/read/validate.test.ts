import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { HMIS_CLIENT_HEADERS } from '../../src/read/layouts.js';
import {
  clientValidator,
  expectLayout,
  listValidator,
  memberValidator,
  programValidator,
  resolveToday,
} from '../../src/read/validate.js';
import { run } from './helpers.js';

const CONTRACT = 'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality';

describe('row shape', () => {
  it('ROW_SHORT, ROW_LONG (non-blank extras only), ROW_EMPTY', () => {
    const r = run(clientValidator, CONTRACT, [
      '1,A,B,1',
      '2,A,B,1,1980-01-01,1,,',
      '3,A,B,1,1980-01-01,1,x',
      ',, ,,,',
      ' ',
    ]);
    expect(r.issues).toEqual([
      '2 * ROW_SHORT warning',
      '4 * ROW_LONG warning',
      '5 * ROW_EMPTY error',
      '6 * ROW_EMPTY error',
    ]);
    expect(r.rejected).toEqual([5, 6]);
  });

  it('a row of only an ID is short and has nothing to match on', () => {
    expect(run(clientValidator, CONTRACT, ['7']).issues).toEqual([
      '2 * ROW_SHORT error',
      '2 * NOTHING_TO_MATCH error',
    ]);
  });

  it('every issue of a rejected row is an error, of an accepted row a warning', () => {
    const r = run(clientValidator, CONTRACT, [',A,B,1,1900-01-01,1', '2,A,B,1,1900-01-01,1']);
    expect(r.issues).toEqual([
      '2 PersonalID ID_MISSING error',
      '2 DOB DATE_PLACEHOLDER error',
      '3 DOB DATE_PLACEHOLDER warning',
    ]);
  });
});

describe('validators', () => {
  it('listValidator detects the kind', () => {
    expect(listValidator(CONTRACT.split(',')).kind).toBe('coc');
    expect(listValidator(HMIS_CLIENT_HEADERS['hmis-fy2024']).layout).toBe('hmis-fy2024');
    expect(listValidator(['MemberID', 'Program', 'Provider', 'StartDate']).kind).toBe('programs');
  });

  it('exposes the columns found', () => {
    const v = clientValidator([...CONTRACT.split(','), 'Notes']);
    expect([...v.columns.keys()]).toEqual(CONTRACT.split(','));
    expect(v.columns.get('DOB')).toBe(4);
  });

  it('throw for a header of another kind or with missing columns', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof BloomlinkError ? e.code : String(e);
      }
      return 'none';
    };
    expect(code(() => memberValidator(CONTRACT.split(',')))).toBe('LAYOUT_UNKNOWN');
    expect(code(() => programValidator(['MemberID', 'Program']))).toBe('COLUMN_MISSING');
    expect(code(() => clientValidator(['PersonalID', 'DOB', 'dob']))).toBe('COLUMN_DUPLICATE');
    expect(code(() => listValidator(['a', 'b']))).toBe('LAYOUT_UNKNOWN');
  });

  it('expectLayout gives the plain layout for an unrecognisable header', () => {
    expect(expectLayout('coc', ['x'])).toBe('contract');
    expect(expectLayout('members', ['x'])).toBe('members');
  });
});

describe('resolveToday', () => {
  it('checks a given day and defaults to the local date', () => {
    expect(resolveToday('2024-02-29')).toBe('2024-02-29');
    expect(() => resolveToday('2023-02-29')).toThrow(TypeError);
    expect(() => resolveToday('6/1/2025')).toThrow(TypeError);
    const d = new Date();
    expect(resolveToday(undefined)).toBe(
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`,
    );
  });
});
