import { describe, expect, it } from 'vitest';
import { rejectionReportXlsx } from '../../src/read/xlsx.js';
import type { RowIssue } from '../../src/records.js';
import { unzip } from './helpers.js';

const issues: RowIssue[] = [
  { line: 4, field: 'PersonalID', code: 'ID_DUPLICATE', severity: 'error' },
  { line: 7, field: 'DOB', code: 'DQ_INCONSISTENT', severity: 'warning', id: '0042' },
];
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

/** Cell values of a sheet, row by row (inline strings and numbers). */
function cells(xml: string): (string | number)[][] {
  return [...xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map((r) =>
    [...r[1]!.matchAll(/<c [^>]*?(?:t="inlineStr"><is><t[^>]*>(.*?)<\/t><\/is>|><v>(.*?)<\/v>)<\/c>/g)].map(
      (c) => (c[1] !== undefined ? c[1].replaceAll('&amp;', '&') : Number(c[2])),
    ),
  );
}

describe('rejectionReportXlsx', () => {
  it('writes an Office Open XML package with the report rows', () => {
    const files = unzip(rejectionReportXlsx(issues));
    expect([...files.keys()]).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    const sheet = text(files.get('xl/worksheets/sheet1.xml'));
    expect(cells(sheet)).toEqual([
      ['Line', 'ID', 'Field', 'Code', 'Severity', 'Description'],
      [
        4,
        '',
        'PersonalID',
        'ID_DUPLICATE',
        'error',
        'The record identifier already appeared on an earlier row of the file.',
      ],
      [
        7,
        '0042',
        'DOB',
        'DQ_INCONSISTENT',
        'warning',
        'The data-quality code contradicts the field: a value is present with 8, 9 or 99, or it is blank with 1 or 2.',
      ],
    ]);
    expect(sheet).toContain('<autoFilter ref="A1:F3"/>');
    // IDs are text cells, so Excel keeps their leading zeros; line numbers are numbers.
    expect(sheet).toContain('<c r="B3" t="inlineStr"><is><t xml:space="preserve">0042</t></is></c>');
    expect(sheet).toContain('<c r="A3"><v>7</v></c>');
    expect(text(files.get('xl/workbook.xml'))).toContain("'Rejections'!$A$1:$F$3");
    expect(sheet).toContain('state="frozen"');
    expect(text(files.get('xl/workbook.xml'))).toContain(
      '<sheet name="Rejections" sheetId="1" r:id="rId1"/>',
    );
    expect(text(files.get('[Content_Types].xml'))).toContain('/xl/worksheets/sheet1.xml');
  });

  it('adds a Summary sheet when given the counts', () => {
    const files = unzip(
      rejectionReportXlsx(issues, {
        sheetName: 'Errors & warnings',
        summary: {
          rowsRead: 9,
          accepted: 8,
          rejected: 1,
          warnings: 1,
          byCode: { DQ_INCONSISTENT: 2, ID_DUPLICATE: 1 },
          bySeverity: { DQ_INCONSISTENT: { error: 1, warning: 1 }, ID_DUPLICATE: { error: 1, warning: 0 } },
        },
      }),
    );
    expect(text(files.get('xl/workbook.xml'))).toContain('<sheet name="Errors &amp; warnings"');
    expect(cells(text(files.get('xl/worksheets/sheet2.xml')))).toEqual([
      ['Item', 'Count'],
      ['Rows read', 9],
      ['Accepted', 8],
      ['Rejected', 1],
      ['Warnings', 1],
      ['DQ_INCONSISTENT (error)', 1],
      ['DQ_INCONSISTENT (warning)', 1],
      ['ID_DUPLICATE (error)', 1],
    ]);
  });

  it('is deterministic; an empty report has the header only', () => {
    expect(rejectionReportXlsx(issues)).toEqual(rejectionReportXlsx(issues));
    expect(cells(text(unzip(rejectionReportXlsx([])).get('xl/worksheets/sheet1.xml')))).toHaveLength(1);
  });

  it('checks the sheet name and the codes', () => {
    expect(() => rejectionReportXlsx(issues, { sheetName: 'a/b' })).toThrow(RangeError);
    expect(() => rejectionReportXlsx(issues, { sheetName: 'x'.repeat(32) })).toThrow(RangeError);
    expect(() =>
      rejectionReportXlsx([{ line: 1, field: '*', code: 'NOPE' as never, severity: 'error' }]),
    ).toThrow(TypeError);
  });
});
