import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../src/issue-codes.js';
import { parseCsvSync } from '../../src/read/csv.js';
import { collect, readClients } from '../../src/read/reader.js';
import {
  formatIssueLine,
  REJECTION_REPORT_COLUMNS,
  rejectionReportLines,
  rejectionReportLinesAsync,
  summaryText,
} from '../../src/read/report.js';
import { SummaryCounter } from '../../src/read/summary.js';
import type { RowIssue } from '../../src/records.js';

const issues: RowIssue[] = [
  { line: 4, field: 'PersonalID', code: 'ID_DUPLICATE', severity: 'error' },
  { line: 7, field: 'DOB', code: 'DQ_INCONSISTENT', severity: 'warning', id: '0042' },
  { line: 9, field: '*', code: 'NOTHING_TO_MATCH', severity: 'error', id: '=SUM(A1)' },
];

describe('rejection report', () => {
  it('writes a header and one CRLF line per issue, descriptions from the registry', () => {
    const lines = [...rejectionReportLines(issues)];
    expect(lines[0]).toBe('Line,ID,Field,Code,Severity,Description\r\n');
    expect(lines[1]).toBe(
      '4,,PersonalID,ID_DUPLICATE,error,The record identifier already appeared on an earlier row of the file.\r\n',
    );
    expect(lines[2]?.startsWith('7,0042,DOB,DQ_INCONSISTENT,warning,')).toBe(true);
    // A formula-like ID is neutralised as every cell a person opens in Excel.
    expect(lines[3]?.startsWith("9,'=SUM(A1),*,NOTHING_TO_MATCH,error,")).toBe(true);
    expect(lines.every((l) => l.endsWith('\r\n'))).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it('reads back as CSV with the same issues (descriptions with commas are quoted)', () => {
    const rows = parseCsvSync([...rejectionReportLines(issues)].join(''));
    expect(rows[0]?.fields).toEqual([...REJECTION_REPORT_COLUMNS]);
    expect(rows.slice(1).map((r) => r.fields)).toEqual(
      issues.map((i) => [
        String(i.line),
        i.id === undefined ? '' : i.id.startsWith('=') ? `'${i.id}` : i.id,
        i.field,
        i.code,
        i.severity,
        ISSUE_CODES[i.code].summary,
      ]),
    );
  });

  it('the async variant writes the same text', async () => {
    async function* gen() {
      yield* issues;
    }
    const out: string[] = [];
    for await (const l of rejectionReportLinesAsync(gen())) out.push(l);
    expect(out).toEqual([...rejectionReportLines(issues)]);
  });

  it('an empty report is just the header', () => {
    expect([...rejectionReportLines([])].join('')).toBe('Line,ID,Field,Code,Severity,Description\r\n');
  });

  it('refuses unknown codes', () => {
    expect(() => formatIssueLine({ line: 1, field: '*', code: 'NOPE' as never, severity: 'error' })).toThrow(
      TypeError,
    );
  });

  it('end to end: a report of a dirty list names the record IDs and holds no other input value', async () => {
    const text =
      'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\nP1,Zelda,Quux,9,2021-02-30,1\n,Zelda,Quux,1,01/01/1900,1\n';
    const r = await collect(readClients(new TextEncoder().encode(text), { today: '2025-06-01' }));
    const report = [...rejectionReportLines(r.issues)].join('');
    expect(report).toContain('3,,PersonalID,ID_MISSING,error');
    expect(report).toMatch(/^2,P1,DOB,/m);
    for (const value of ['Zelda', 'Quux', '2021-02-30', '01/01/1900']) expect(report).not.toContain(value);
  });
});

describe('summaryText', () => {
  it('prints one count per line, then the codes with their severity', () => {
    expect(
      summaryText({
        rowsRead: 10,
        accepted: 8,
        rejected: 2,
        warnings: 3,
        byCode: { DATE_PLACEHOLDER: 3, ID_MISSING: 2 },
        bySeverity: { DATE_PLACEHOLDER: { error: 0, warning: 3 }, ID_MISSING: { error: 2, warning: 0 } },
      }),
    ).toBe(
      'Rows read: 10\nAccepted: 8\nRejected: 2\nWarnings: 3\nDATE_PLACEHOLDER (warning): 3\nID_MISSING (error): 2\n',
    );
  });

  it('labels a code found with both severities once per severity, so the warning lines add up', async () => {
    // Line 3: DQ_INCONSISTENT beside an error (the row is rejected, so the code is an error there);
    // line 4: DQ_INCONSISTENT on an accepted row (a warning).
    const counter = new SummaryCounter();
    counter.count(true, []);
    counter.count(false, [
      { line: 3, field: 'NameDataQuality', code: 'DQ_INCONSISTENT', severity: 'error' },
      { line: 3, field: '*', code: 'NOTHING_TO_MATCH', severity: 'error' },
    ]);
    counter.count(true, [{ line: 4, field: 'DOBDataQuality', code: 'DQ_INCONSISTENT', severity: 'warning' }]);
    const s = counter.snapshot();
    const text = summaryText(s);
    expect(text).toBe(
      'Rows read: 3\nAccepted: 2\nRejected: 1\nWarnings: 1\n' +
        'DQ_INCONSISTENT (error): 1\nDQ_INCONSISTENT (warning): 1\nNOTHING_TO_MATCH (error): 1\n',
    );
    const warningLines = [...text.matchAll(/\(warning\): (\d+)/g)].map((m) => Number(m[1]));
    expect(warningLines.reduce((a, b) => a + b, 0)).toBe(s.warnings);
  });
});
