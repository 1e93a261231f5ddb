import { describe, expect, it } from 'vitest';
import { programValidator } from '../../src/read/validate.js';
import type { ProgramRecord } from '../../src/records.js';
import { run } from './helpers.js';

const HEAD = 'MemberID,Program,Provider,ProviderNPI,StartDate,EndDate';
const prog = (rows: (string | string[])[]) => run<ProgramRecord>(programValidator, HEAD, rows);

describe('program rows', () => {
  it('one member may have several episodes; an exact repeat is rejected', () => {
    const r = prog([
      'M1,ECM,Clinic,,2024-01-01,2024-03-31',
      'M1,ECM,Clinic,,2024-06-01,',
      'M1,Housing Deposits,Homes,,2024-01-01,',
      'M1,enhanced care management,Other,,1/1/24,',
    ]);
    expect(r.records.map((p) => `${p.program} ${p.startDate}`)).toEqual([
      'ECM 2024-01-01',
      'ECM 2024-06-01',
      'Housing Deposits 2024-01-01',
    ]);
    expect(r.issues).toEqual(['5 * EPISODE_DUPLICATE error']);
  });

  it('requires MemberID, Program, Provider and StartDate', () => {
    const r = prog([
      ',ECM,C,,2024-01-01,',
      'M1,,C,,2024-01-01,',
      'M1,Rent help,C,,2024-01-01,',
      'M1,ECM,,,2024-01-01,',
      'M1,ECM,C,,,',
    ]);
    expect(r.records).toEqual([]);
    expect(r.issues).toEqual([
      '2 MemberID ID_MISSING error',
      '3 Program REQUIRED_MISSING error',
      '4 Program PROGRAM_UNKNOWN error',
      '5 Provider REQUIRED_MISSING error',
      '6 StartDate REQUIRED_MISSING error',
    ]);
  });

  it('a provider name over 250 characters is unusable', () => {
    const r = prog([['M1', 'ECM', 'P'.repeat(251), '', '2024-01-01', '']]);
    expect(r.issues).toEqual(['2 Provider FIELD_TOO_LONG error', '2 Provider REQUIRED_MISSING error']);
  });

  it('keeps a valid NPI, drops an invalid one with a warning', () => {
    const r = prog(['M1,ECM,C,1234567893,2024-01-01,', 'M2,ECM,C,1234567890,2024-01-01,']);
    expect(r.records.map((p) => p.providerNpi)).toEqual(['1234567893', undefined]);
    expect(r.issues).toEqual(['3 ProviderNPI NPI_INVALID warning']);
  });

  it('END_BEFORE_START rejects the episode', () => {
    const r = prog(['M1,ECM,C,,2024-05-01,2024-04-30']);
    expect(r.issues).toEqual(['2 EndDate END_BEFORE_START error']);
  });

  it('records carry only present optional fields', () => {
    expect(prog(['M1,Transitional Rent,Rent Co,,2025-07-01,']).records[0]).toStrictEqual({
      line: 2,
      memberId: 'M1',
      program: 'Transitional Rent',
      provider: 'Rent Co',
      startDate: '2025-07-01',
    });
  });
});
