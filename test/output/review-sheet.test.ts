import { describe, expect, it } from 'vitest';
import { buildReviewSheet, REVIEW_SHEET_COLUMNS } from '../../src/output/review-sheet.js';
import { readCsvBatches } from '../../src/read/source.js';

const enc = (s: string) => new TextEncoder().encode(s);

const REVIEW = `PersonalID,MemberID,MatchWeight,MatchProbability,Status,FirstNameLevel,FirstNameWeight
C1,M1,1.2,0.61,review,exact,3.1
C2,M2,9.9,0.99,match,exact,3.1
C3,M3,0.4,0.52,review,else,-2
C404,M4,0.3,0.51,review,else,-2
C2,M9,0.1,0.5,review,else,-2
`;

const CLIENTS = `PersonalID,MCPMemberID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,DOB,DOBDataQuality,SSN,SSNDataQuality,Sex
C1,M1,Ann,Q,Lee,,1,1980-02-03,1,521436789,1,0
C2,,Bob,,Nguyen,,1,1975-06-07,1,,99,1
C3,,=Carla,,Smith,Jr,2,1990-10-11,2,xxxxx6789,2,
`;

const MEMBERS = `MemberID,CIN,FirstName,MiddleName,LastName,NameSuffix,DOB,Sex,SSN,MCP,CoverageType,EnrollmentStartDate,EnrollmentEndDate
M1,91234567A,ANN,,LEE,,1980-02-03,F,521436789,Plan,Medi-Cal,2024-01-01,
M3,91234567B,CARLA,,SMYTHE,,1990-10-11,F,,Plan,Medi-Cal,2024-01-01,
M4,91234567C,DAN,,DOE,,1960-01-01,M,,Plan,Medi-Cal,2024-01-01,
`;

async function rows(lines: readonly string[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const b of readCsvBatches(enc(lines.join('')), { label: 'half', restoreFormulas: true }))
    for (const r of b) out.push([...r.fields]);
  return out;
}

describe('buildReviewSheet', () => {
  it("writes the CoC's half: review pairs only, its own clear text, SSN last 4 only", async () => {
    const sheet = await buildReviewSheet({
      links: enc(REVIEW),
      list: enc(CLIENTS),
      side: 'coc',
      today: '2026-01-01',
    });
    const [header, ...body] = await rows(sheet.lines);
    expect(header).toEqual(REVIEW_SHEET_COLUMNS.coc);
    // C2,M2 is a match (nothing to review); C404 is not in the list; C2,M9 is a LINK_DUPLICATE.
    expect(body.map((r) => `${r[1]}|${r[2]}`)).toEqual(['C1|M1', 'C3|M3']);
    const c1 = Object.fromEntries(header!.map((h, i) => [h, body[0]![i]]));
    expect(c1).toMatchObject({
      Side: 'coc',
      MatchProbability: '0.61',
      FirstName: 'Ann',
      MiddleName: 'Q',
      LastName: 'Lee',
      DOB: '1980-02-03',
      Sex: 'F',
      SSNLast4: '6789',
      NameDataQuality: '1',
      MCPMemberID: 'M1',
    });
    expect(sheet.lines.join('')).not.toContain('521436789');
    // A formula-like value is neutralised in the file and restored by a reader.
    expect(sheet.lines.join('')).toContain("'=Carla");
    expect(body[1]![4]).toBe('=Carla');
    expect(body[1]![10]).toBe('6789');
    expect(sheet.pairs).toBe(2);
    expect(sheet.matchesSkipped).toBe(1);
    expect(sheet.notFound).toBe(1);
    const issues = sheet.issues
      .filter((i) => i.file === 'review.csv')
      .map((i) => `${i.line}:${i.id ?? ''}:${i.field}:${i.code}`);
    // No ID: the PersonalID, the link's own ID, is the field at issue.
    expect(issues).toEqual(['5::PersonalID:LINK_CLIENT_UNKNOWN', '6::PersonalID:LINK_DUPLICATE']);
    // Every row of the review file is accounted for.
    const c = sheet.linksCounts;
    expect(c.rowsRead).toBe(5);
    expect(c.used + c.rejected).toBe(c.rowsRead);
    expect(c.used).toBe(sheet.pairs + sheet.matchesSkipped);
    expect(sheet.listCounts.rowsRead).toBe(3);
  });

  it("writes the plan's half from the member list, without CIN or coverage", async () => {
    const sheet = await buildReviewSheet({
      links: enc(REVIEW),
      list: enc(MEMBERS),
      side: 'mcp',
      today: '2026-01-01',
    });
    const [header, ...body] = await rows(sheet.lines);
    expect(header).toEqual(REVIEW_SHEET_COLUMNS.mcp);
    expect(body.map((r) => `${r[0]}|${r[1]}|${r[2]}|${r[4]}|${r[6]}`)).toEqual([
      'mcp|C1|M1|ANN|LEE',
      'mcp|C3|M3|CARLA|SMYTHE',
      'mcp|C404|M4|DAN|DOE',
    ]);
    const text = sheet.lines.join('');
    for (const hidden of ['91234567', 'Medi-Cal', 'Plan', '2024-01-01']) expect(text).not.toContain(hidden);
    expect(sheet.notFound).toBe(0);
  });

  it("names a pair missing from the plan's list by the link's PersonalID", async () => {
    const sheet = await buildReviewSheet({
      links: enc('PersonalID,MemberID,Status\nC7,M404,review\n'),
      list: enc(MEMBERS),
      side: 'mcp',
      today: '2026-01-01',
    });
    expect(sheet.notFound).toBe(1);
    expect(sheet.issues.filter((i) => i.file === 'review.csv')).toEqual([
      {
        file: 'review.csv',
        line: 2,
        id: 'C7',
        field: 'MemberID',
        code: 'LINK_MEMBER_UNKNOWN',
        severity: 'error',
      },
    ]);
  });

  it("takes a member's identity from its most recent coverage span", async () => {
    const members = `MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate,EnrollmentEndDate
M1,ANNE,LEE,1980-02-03,Plan,Medi-Cal,2025-03-01,
M1,ANN,LEE-OLD,1980-02-03,Plan,Medi-Cal,2023-01-01,2024-12-31
`;
    const review = 'PersonalID,MemberID,Status\nC1,M1,review\n';
    const sheet = await buildReviewSheet({
      links: enc(review),
      list: enc(members),
      side: 'mcp',
      today: '2026-01-01',
    });
    const [, row] = await rows(sheet.lines);
    // Either the reader accepts both spans (the newer one wins) or rejects the repeat (the first, newer row stays).
    expect(row?.slice(4, 7)).toEqual(['ANNE', '', 'LEE']);
  });

  it('refuses a side other than coc or mcp', async () => {
    await expect(
      buildReviewSheet({ links: enc(REVIEW), list: enc(CLIENTS), side: 'plan' as 'mcp' }),
    ).rejects.toThrow(TypeError);
  });
});
