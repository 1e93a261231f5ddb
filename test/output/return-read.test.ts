import { describe, expect, it } from 'vitest';
import { buildReturnRows } from '../../src/output/return-file.js';
import { returnFileLines } from '../../src/output/return-format.js';
import { readReturnFile } from '../../src/output/return-read.js';
import { fixture } from './golden.js';

const enc = (s: string) => new TextEncoder().encode(s);
const HEAD =
  'PersonalID,FirstName,MiddleName,LastName,NameSuffix,DOB,MCP,CoverageType,MemberID,CIN,MCPEnrollmentDate,MCPExitDate,' +
  'ECM,ECMProvider,ECMEnrollmentDate,ECMDischargeDate,CS Housing Deposits,CS Housing Deposits Provider,' +
  'CS Housing Deposits Enrollment Date,CS Housing Deposits Discharge Date';

describe('readReturnFile', () => {
  it('reads back exactly the rows that were written', async () => {
    const r = await buildReturnRows(
      { links: fixture('links.csv'), members: fixture('members.csv'), programs: fixture('programs.csv') },
      { asOf: '2026-01-01', includeReview: true },
    );
    const back = await readReturnFile(enc([...returnFileLines(r.rows, r.services)].join('')), {
      today: '2026-01-01',
    });
    expect(back.issues).toEqual([]);
    expect(back.services).toEqual(r.services);
    expect(back.rows).toEqual(r.rows);
    expect(back.lines).toEqual([2, 3, 4, 5, 6]);
  });

  it('rejects rows that would make wrong HMIS records, with line, field and code', async () => {
    const text = [
      HEAD,
      'P1,,,,,,Plan,Medi-Cal,M1,,2024-01-01,,enrolled,Prov,2024-02-01,,not enrolled,,,',
      'P2,,,,,,Plan,Medi-Cal,M2,,2024-01-01,2023-01-01,not enrolled,,,,not enrolled,,,',
      'P3,,,,,,Plan,Medi-Cal,M3,,2024-01-01,,maybe,,,,not enrolled,,,',
      'P4,,,,,,Plan,Medi-Cal,M4,,2024-01-01,,enrolled,,,,not enrolled,,,',
      'P5,,,,,,Plan,Medi-Cal,M5,,2024-01-01,,not enrolled,,,,enrolled,Prov,2024-05-01,2024-04-01',
      'P6,,,,,,Plan,Medi-Cal,M6,,2024-01-01,31/31/2024,not enrolled,,,,not enrolled,,,',
      'P1,,,,,,Plan,Covered CA,M1,,,,not enrolled,,,,not enrolled,,,',
      'P8,,,,,,Plan,d-snp,M8,,1/2/24,12/31/9999,ENROLLED,Prov,2024-02-01,,Not Enrolled,,,',
    ].join('\r\n');
    const r = await readReturnFile(enc(text), { today: '2026-01-01' });
    expect(r.rows.map((x) => x.personalId)).toEqual(['P1', 'P8']);
    expect(r.rows[1]).toMatchObject({
      coverageType: 'D-SNP',
      mcpEnrollmentDate: '2024-01-02',
      ecm: { status: 'enrolled' },
    });
    expect(r.rows[1]!.mcpExitDate).toBeUndefined();
    const got = r.issues.map((i) => `${i.line}:${i.field}:${i.code}`);
    expect(got).toEqual(
      expect.arrayContaining([
        '3:MCPExitDate:END_BEFORE_START',
        '4:ECM:PROGRAM_STATUS_INVALID',
        '5:ECM:PROGRAM_STATUS_INVALID',
        '6:CS Housing Deposits Discharge Date:END_BEFORE_START',
        '7:MCPExitDate:END_DATE_UNUSABLE',
        '8:PersonalID:ID_DUPLICATE',
        '8:MemberID:ID_DUPLICATE',
        '8:CoverageType:COVERAGE_INVALID',
        '8:MCPEnrollmentDate:REQUIRED_MISSING',
      ]),
    );
    expect(r.issues.every((i) => i.severity === 'error')).toBe(true);
    expect(r.counts).toEqual({ rowsRead: 8, used: 2, rejected: 6, warnings: 0 });
  });

  it('refuses a header with an unknown service or a missing companion column', async () => {
    await expect(readReturnFile(enc(`${HEAD},CS Bus Passes\r\n`))).rejects.toMatchObject({
      code: 'LAYOUT_UNKNOWN',
    });
    await expect(
      readReturnFile(enc(HEAD.replace(',CS Housing Deposits Provider', ''))),
    ).rejects.toMatchObject({ code: 'COLUMN_MISSING' });
    await expect(readReturnFile(enc('PersonalID,MemberID\r\n'))).rejects.toMatchObject({
      code: 'COLUMN_MISSING',
    });
  });
});
