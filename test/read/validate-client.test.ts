import { describe, expect, it } from 'vitest';
import { clientValidator } from '../../src/read/validate.js';
import type { ClientRecord } from '../../src/records.js';
import { run } from './helpers.js';

const HEAD =
  'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality,MCPMemberID,InformationDate,DateCreated,DateUpdated,DateDeleted';
const coc = (rows: string[]) => run<ClientRecord>(clientValidator, HEAD, rows);

describe('client rows', () => {
  it('PersonalID: required, at most 32 characters, unique; trimmed but otherwise exact', () => {
    const r = coc([
      ' 007 ,A,B,1,,99,,,,,',
      '7,A,B,1,,99,,,,,',
      '007,A,B,1,,99,,,,,',
      `${'x'.repeat(33)},A,B,1,,99,,,,,`,
      '   ,A,B,1,,99,,,,,',
    ]);
    expect(r.records.map((c) => c.personalId)).toEqual(['007', '7']);
    expect(r.issues).toEqual([
      '4 PersonalID ID_DUPLICATE error',
      '5 PersonalID ID_TOO_LONG error',
      '6 PersonalID ID_MISSING error',
    ]);
  });

  it('MCPMemberID is optional; over 32 characters it is dropped with FIELD_TOO_LONG', () => {
    const r = coc(['1,A,B,1,,99,M-1,,,,', `2,A,B,1,,99,${'m'.repeat(33)},,,,`]);
    expect(r.records.map((c) => c.mcpMemberId)).toEqual(['M-1', undefined]);
    expect(r.issues).toEqual(['3 MCPMemberID FIELD_TOO_LONG warning']);
  });

  it('information date: InformationDate, else DateUpdated, else DateCreated', () => {
    const r = coc([
      '1,A,B,1,,99,,2024-03-01,2020-01-01 00:00:00,2023-01-01 00:00:00,',
      '2,A,B,1,,99,,,2020-01-01 00:00:00,2023-01-01 10:11:12,',
      '3,A,B,1,,99,,,2020-01-01 00:00:00,garbage,',
      '4,A,B,1,,99,,,,,',
    ]);
    expect(r.records.map((c) => c.informationDate)).toEqual([
      '2024-03-01',
      '2023-01-01',
      '2020-01-01',
      undefined,
    ]);
    expect(r.issues).toEqual([]);
  });

  it('checks the DOB against the information date', () => {
    const r = coc([
      '1,A,B,1,2023-06-01,1,,,,2023-01-01 00:00:00,',
      '2,A,B,1,2022-06-01,1,,,,2023-01-01 00:00:00,',
    ]);
    expect(r.issues).toEqual(['2 DOB DATE_AFTER_INFORMATION_DATE warning']);
    expect(r.records.map((c) => c.dob)).toEqual([undefined, '2022-06-01']);
  });

  it('rejects soft-deleted HMIS records without claiming their ID', () => {
    const r = coc(['1,A,B,1,,99,,,,,2024-01-01 00:00:00', '1,A,B,1,,99,,,,,']);
    expect(r.issues).toEqual(['2 DateDeleted ROW_DELETED error']);
    expect(r.records.map((c) => c.line)).toEqual([3]);
  });

  it('records carry only present optional fields', () => {
    const [record] = coc(['1,Ana,Ruiz,1,1980-02-03,1,,,,,']).records;
    expect(record).toStrictEqual({
      line: 2,
      personalId: '1',
      firstName: 'Ana',
      lastName: 'Ruiz',
      nameDataQuality: 1,
      dob: '1980-02-03',
      dobDataQuality: 1,
      ssnDataQuality: 99,
    });
  });
});
