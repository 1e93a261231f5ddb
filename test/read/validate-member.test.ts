import { describe, expect, it } from 'vitest';
import { memberValidator } from '../../src/read/validate.js';
import type { MemberRecord } from '../../src/records.js';
import { run } from './helpers.js';

const HEAD = 'MemberID,CIN,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate,EnrollmentEndDate';
const mem = (rows: string[]) => run<MemberRecord>(memberValidator, HEAD, rows);

describe('member rows', () => {
  it('requires MCP, CoverageType and a usable EnrollmentStartDate', () => {
    const r = mem([
      'M1,,A,B,1980-01-01,,Medi-Cal,2024-01-01,',
      'M2,,A,B,1980-01-01,Plan,,2024-01-01,',
      'M3,,A,B,1980-01-01,Plan,Commercial,2024-01-01,',
      'M4,,A,B,1980-01-01,Plan,Medi-Cal,,',
      'M5,,A,B,1980-01-01,Plan,Medi-Cal,1/1/1900,',
      'M6,,A,B,1980-01-01,Plan,Medi-Cal,January,',
    ]);
    expect(r.records).toEqual([]);
    expect(r.issues).toEqual([
      '2 MCP REQUIRED_MISSING error',
      '3 CoverageType REQUIRED_MISSING error',
      '4 CoverageType COVERAGE_INVALID error',
      '5 EnrollmentStartDate REQUIRED_MISSING error',
      '6 EnrollmentStartDate DATE_PLACEHOLDER error',
      '6 EnrollmentStartDate REQUIRED_MISSING error',
      '7 EnrollmentStartDate DATE_UNPARSEABLE error',
      '7 EnrollmentStartDate REQUIRED_MISSING error',
    ]);
  });

  it('reads open, closed and unusable end dates', () => {
    const r = mem([
      'M1,,A,B,,Plan,Medi-Cal,2024-01-01,12/31/9999',
      'M2,,A,B,,Plan,Medi-Cal,2024-01-01,06/30/2024',
      'M3,,A,B,,Plan,Medi-Cal,2024-01-01,2024-06-31',
      'M4,,A,B,,Plan,Medi-Cal,2024-01-01,2023-12-31',
      'M5,,A,B,,Plan,Medi-Cal,1/1/24,1/31/24',
    ]);
    expect(r.records.map((m) => [m.memberId, m.enrollmentStartDate, m.enrollmentEndDate])).toEqual([
      ['M1', '2024-01-01', undefined],
      ['M2', '2024-01-01', '2024-06-30'],
      ['M3', '2024-01-01', undefined],
      ['M5', '2024-01-01', '2024-01-31'],
    ]);
    expect(r.issues).toEqual([
      '4 EnrollmentEndDate DATE_IMPOSSIBLE warning',
      '5 EnrollmentEndDate END_BEFORE_START error',
    ]);
  });

  it('CIN: well-formed or dropped with CIN_INVALID; stored upper-case', () => {
    const r = mem([
      'M1,91234567a,A,B,,Plan,D-SNP,2024-01-01,',
      'M2,81234567A,A,B,,Plan,D-SNP,2024-01-01,',
      'M3,91234567I,A,B,,Plan,D-SNP,2024-01-01,',
    ]);
    expect(r.records.map((m) => m.cin)).toEqual(['91234567A', undefined, undefined]);
    expect(r.issues).toEqual(['3 CIN CIN_INVALID warning', '4 CIN CIN_INVALID warning']);
  });

  it('MemberID repeats (one row per coverage span): no ID_DUPLICATE, every span accepted', () => {
    const r = mem(['M1,,A,B,,Plan,Medi-Cal,2023-01-01,2023-06-30', 'M1,,A,B,,Plan,D-SNP,2024-01-01,']);
    expect(r.issues).toEqual([]);
    expect(r.records.map((m) => [m.memberId, m.coverageType])).toEqual([
      ['M1', 'Medi-Cal'],
      ['M1', 'D-SNP'],
    ]);
  });
});
