import { describe, expect, it } from 'vitest';
import { clientValidator, memberValidator } from '../../src/read/validate.js';
import type { ClientRecord, MemberRecord } from '../../src/records.js';
import { run } from './helpers.js';

const COC =
  'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,DOB,DOBDataQuality,SSN,SSNDataQuality,Sex';
const MEM = 'MemberID,FirstName,LastName,DOB,SSN,Sex,MCP,CoverageType,EnrollmentStartDate';
const coc = (rows: string[]) => run<ClientRecord>(clientValidator, COC, rows);
const mem = (rows: string[]) =>
  run<MemberRecord>(
    memberValidator,
    MEM,
    rows.map((r) => `${r},Plan,Medi-Cal,2024-01-01`),
  );

describe('names', () => {
  it('drops placeholders per part and JOHN DOE pairs, keeps DOE with a real first name', () => {
    const r = coc([
      '1,UNKNOWN,X,Ruiz,,1,1980-01-01,1,,,',
      '2,Mary,,Doe,,1,1980-01-01,1,,,',
      '3,Doe,,John,,1,1980-01-01,1,,,',
      '4,Baby Boy,N/A,Lee,Unknown,2,1980-01-01,1,,,',
      '5,---,,Ortiz,Jr.,1,1980-01-01,1,,,',
    ]);
    expect(r.issues).toEqual([
      '2 FirstName NAME_PLACEHOLDER warning',
      '4 FirstName NAME_PLACEHOLDER warning',
      '4 LastName NAME_PLACEHOLDER warning',
      '5 FirstName NAME_PLACEHOLDER warning',
      '5 MiddleName NAME_PLACEHOLDER warning',
      '5 NameSuffix NAME_PLACEHOLDER warning',
      '6 FirstName FORMULA_LIKE_VALUE warning',
      '6 FirstName NAME_PLACEHOLDER warning',
    ]);
    expect(r.records.map((c) => [c.firstName, c.middleName, c.lastName, c.nameSuffix])).toEqual([
      [undefined, 'X', 'Ruiz', undefined],
      ['Mary', undefined, 'Doe', undefined],
      [undefined, undefined, undefined, undefined],
      [undefined, undefined, 'Lee', undefined],
      [undefined, undefined, 'Ortiz', 'Jr.'],
    ]);
    // DOE JOHN with a DOB is still matchable; its name DQ becomes 99 silently (the name was given).
    expect(r.records[2]?.nameDataQuality).toBe(99);
  });

  it('FIELD_TOO_LONG beyond HUD S50, the value treated as missing', () => {
    const long = 'A'.repeat(51);
    const r = coc([
      `1,${long},,Ruiz,${long},1,1980-01-01,1,,,`,
      `2,${'Bartholomew'.repeat(5).slice(0, 50)},,Li,,1,1980-01-01,1,,,`,
    ]);
    expect(r.issues).toEqual(['2 FirstName FIELD_TOO_LONG warning', '2 NameSuffix FIELD_TOO_LONG warning']);
    expect(r.records[0]?.firstName).toBeUndefined();
    expect(r.records[1]?.firstName).toHaveLength(50);
  });
});

describe('SSN', () => {
  it.each([
    ['234-56-7801', '1', [], '234567801', 1],
    ['234 56 7801', '', ['SSNDataQuality DQ_INVALID'], '234567801', 2],
    ['000-12-3456', '1', ['SSN SSN_INVALID'], undefined, 99],
    ['666123456', '1', ['SSN SSN_INVALID'], undefined, 99],
    ['912345678', '1', ['SSN SSN_INVALID'], undefined, 99],
    ['234005678', '1', ['SSN SSN_INVALID'], undefined, 99],
    ['234560000', '1', ['SSN SSN_INVALID'], undefined, 99],
    ['12345678', '1', ['SSN SSN_INVALID'], undefined, 99],
    ['12345-678a', '1', ['SSN SSN_INVALID'], undefined, 99],
    ['111111111', '1', ['SSN SSN_PLACEHOLDER'], undefined, 99],
    ['123456789', '2', ['SSN SSN_PLACEHOLDER'], undefined, 99],
    ['987654321', '1', ['SSN SSN_PLACEHOLDER'], undefined, 99],
    ['078051120', '1', ['SSN SSN_PLACEHOLDER'], undefined, 99],
    ['xxxxx6789', '1', ['SSN SSN_PARTIAL'], 'xxxxx6789', 2],
    ['XXX-XX-6789', '2', [], 'xxxxx6789', 2],
    ['6789', '9', ['SSNDataQuality DQ_INCONSISTENT'], 'xxxxx6789', 2],
    ['234567801', '99', ['SSNDataQuality DQ_INCONSISTENT'], '234567801', 2],
    ['xxxxxxxxx', '1', ['SSNDataQuality DQ_INCONSISTENT'], undefined, 99],
    ['', '1', ['SSNDataQuality DQ_INCONSISTENT'], undefined, 99],
    ['', '8', [], undefined, 8],
  ] as const)('%j with DQ %j', (ssn, dq, issues, value, effective) => {
    const r = coc([`1,Ana,,Ruiz,,1,1980-01-01,1,${ssn},${dq},`]);
    expect(r.issues.map((i) => i.split(' ').slice(1, 3).join(' '))).toEqual(issues);
    expect(r.records[0]?.ssn).toBe(value);
    expect(r.records[0]?.ssnDataQuality).toBe(effective);
  });

  it('members without DQ columns: 1 when usable, 2 and SSN_PARTIAL when partial, 99 when missing', () => {
    const r = mem(['M1,Ana,Ruiz,1980-01-01,234567801,F', 'M2,Bo,Li,1980-01-01,1234,M', 'M3,Cy,Wu,,,U']);
    expect(r.issues).toEqual(['3 SSN SSN_PARTIAL warning']);
    expect(r.records.map((m) => [m.ssnDataQuality, m.nameDataQuality, m.dobDataQuality])).toEqual([
      [1, 1, 1],
      [2, 1, 1],
      [99, 1, 99],
    ]);
  });
});

describe('sex', () => {
  it('reads HUD codes and letters; flags anything else', () => {
    const r = mem(['M1,A,B,,,0', 'M2,A,B,,,M', 'M3,A,B,,,u', 'M4,A,B,,,X', 'M5,A,B,,,99', 'M6,A,B,,,2']);
    expect(r.records.map((m) => m.sex)).toEqual(['F', 'M', undefined, undefined, undefined, undefined]);
    expect(r.issues).toEqual(['7 Sex SEX_INVALID warning']);
  });

  it('falls back to the FY2024 gender columns only without a Sex column', () => {
    const head =
      'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality,Woman,Man,NonBinary,GenderNone';
    const r = run<ClientRecord>(clientValidator, head, [
      '1,A,B,1,,99,1,0,0,',
      '2,A,B,1,,99,0,1,1,',
      '3,A,B,1,,99,0,0,0,9',
      '4,A,B,1,,99,0,1,0,',
    ]);
    expect(r.records.map((c) => c.sex)).toEqual(['F', undefined, undefined, 'M']);
  });
});
