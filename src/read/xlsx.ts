/**
 * The rejection report as an Excel workbook (.xlsx), the form plans send providers: the same columns
 * as the CSV report on a sheet with a frozen, filterable header, and optionally the summary counts on
 * a second sheet. Plain SpreadsheetML with inline strings in a stored ZIP: no dependency, and the
 * same issues always give the same bytes.
 */

import { ISSUE_CODES } from '../issue-codes.js';
import type { RowIssue } from '../records.js';
import { at } from '../util/defined.js';
import { issueCountLines, REJECTION_REPORT_COLUMNS } from './report.js';
import type { ReadSummary } from './summary.js';
import { zipStored } from './zip.js';

/** Options of {@link rejectionReportXlsx}. */
export interface XlsxReportOptions {
  /** Adds a `Summary` sheet with these counts. */
  readonly summary?: ReadSummary;
  /** Name of the issues sheet (default `Rejections`; at most 31 characters, none of `[]:*?/\`). */
  readonly sheetName?: string;
}

/** Excel's row limit, header included. */
const MAX_ROWS = 1_048_576;

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const WIDTHS = [8, 20, 20, 30, 10, 100];
/** The last column's letter (the report has at most 26 columns). */
const LAST = String.fromCharCode(64 + REJECTION_REPORT_COLUMNS.length);

/**
 * Writes the rejection report as .xlsx bytes.
 *
 * @throws RangeError when there are more issues than an Excel sheet has rows (use the CSV report),
 *   or for an invalid sheet name
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * const { issues, summary } = await collect(readMembers(bytes));
 * await writeFile('rejects.xlsx', rejectionReportXlsx(issues, { summary }));
 * ```
 */
export function rejectionReportXlsx(issues: Iterable<RowIssue>, opts: XlsxReportOptions = {}): Uint8Array {
  const sheetName = opts.sheetName ?? 'Rejections';
  if (
    sheetName.length === 0 ||
    sheetName.length > 31 ||
    /[[\]:*?/\\]/.test(sheetName) ||
    /^'|'$/.test(sheetName)
  ) {
    throw new RangeError(
      'sheetName must be 1 to 31 characters without []:*?/\\ or a leading or trailing quote',
    );
  }
  const rows: string[] = [row(1, REJECTION_REPORT_COLUMNS, 1)];
  for (const issue of issues) {
    if (rows.length >= MAX_ROWS) {
      throw new RangeError(
        `more issues than an Excel sheet holds (${MAX_ROWS - 1}); write the CSV report instead`,
      );
    }
    const info = ISSUE_CODES[issue.code];
    if (info === undefined) throw new TypeError('issue.code must be a registered issue code');
    // The ID as a text cell, never a number: leading zeros (`0042`) survive Excel.
    rows.push(
      row(rows.length + 1, [
        issue.line,
        issue.id ?? '',
        issue.field,
        issue.code,
        issue.severity,
        info.summary,
      ]),
    );
  }
  const sheets = [{ name: sheetName, xml: issuesSheet(rows) }];
  if (opts.summary !== undefined) sheets.push({ name: 'Summary', xml: summarySheet(opts.summary) });
  const enc = new TextEncoder();
  return zipStored([
    { name: '[Content_Types].xml', data: enc.encode(contentTypes(sheets.length)) },
    {
      name: '_rels/.rels',
      data: enc.encode(
        `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: enc.encode(
        workbook(
          sheets.map((s) => s.name),
          rows.length,
        ),
      ),
    },
    { name: 'xl/_rels/workbook.xml.rels', data: enc.encode(workbookRels(sheets.length)) },
    { name: 'xl/styles.xml', data: enc.encode(STYLES) },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: enc.encode(s.xml) })),
  ]);
}

function issuesSheet(rows: readonly string[]): string {
  const cols = WIDTHS.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join(
    '',
  );
  return (
    `${XML}<worksheet xmlns="${MAIN}"><dimension ref="A1:${LAST}${rows.length}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<cols>${cols}</cols><sheetData>${rows.join('')}</sheetData><autoFilter ref="A1:${LAST}${rows.length}"/></worksheet>`
  );
}

function summarySheet(summary: ReadSummary): string {
  const lines: [string, number][] = [
    ['Rows read', summary.rowsRead],
    ['Accepted', summary.accepted],
    ['Rejected', summary.rejected],
    ['Warnings', summary.warnings],
    ...issueCountLines(summary).map(([code, severity, n]): [string, number] => [`${code} (${severity})`, n]),
  ];
  const rows = [row(1, ['Item', 'Count'], 1), ...lines.map(([k, v], i) => row(i + 2, [k, v]))];
  return (
    `${XML}<worksheet xmlns="${MAIN}"><cols><col min="1" max="1" width="36" customWidth="1"/></cols>` +
    `<sheetData>${rows.join('')}</sheetData></worksheet>`
  );
}

function row(r: number, values: readonly (string | number)[], style?: number): string {
  let out = `<row r="${r}">`;
  values.forEach((v, i) => {
    const ref = `${String.fromCharCode(65 + i)}${r}`;
    const s = style === undefined ? '' : ` s="${style}"`;
    out +=
      typeof v === 'number'
        ? `<c r="${ref}"${s}><v>${v}</v></c>`
        : `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(v)}</t></is></c>`;
  });
  return `${out}</row>`;
}

function workbook(names: readonly string[], issueRows: number): string {
  const sheets = names
    .map((n, i) => `<sheet name="${escapeXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const filter = `'${escapeXml(at(names, 0))}'!$A$1:$${LAST}$${issueRows}`;
  return (
    `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets}</sheets>` +
    `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${filter}</definedName></definedNames></workbook>`
  );
}

function workbookRels(sheetCount: number): string {
  let rels = '';
  for (let i = 1; i <= sheetCount; i++) {
    rels += `<Relationship Id="rId${i}" Type="${REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  }
  rels += `<Relationship Id="rId${sheetCount + 1}" Type="${REL}/styles" Target="styles.xml"/>`;
  return `${XML}<Relationships xmlns="${PKG_REL}">${rels}</Relationships>`;
}

function contentTypes(sheetCount: number): string {
  const ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  let overrides = `<Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/>`;
  overrides += `<Override PartName="/xl/styles.xml" ContentType="${ct}.styles+xml"/>`;
  for (let i = 1; i <= sheetCount; i++) {
    overrides += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${ct}.worksheet+xml"/>`;
  }
  return (
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    `<Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`
  );
}

// Style 0: normal; style 1: bold (the header row).
const STYLES =
  `${XML}<styleSheet xmlns="${MAIN}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

/** Escapes XML text and drops characters XML 1.0 cannot hold (C0 controls other than tab, LF, CR). */
function escapeXml(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids; the .xlsx writer must drop exactly them
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}
