import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, isIssueCode } from '../../src/issue-codes.js';

const doc = readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
const errorsSource = readFileSync(new URL('../../src/errors.ts', import.meta.url), 'utf8');

/** Rows of the markdown table under `heading`: the cells of each `| ... |` line after the separator. */
function tableRows(heading: string): string[][] {
  const start = doc.indexOf(`\n## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = doc.slice(start + 1);
  const end = rest.indexOf('\n## ', 1);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replaceAll('\\|', '|')),
    );
}

describe('ISSUE_CODES', () => {
  it('codes are upper-case snake case and every entry is complete', () => {
    for (const [code, info] of Object.entries(ISSUE_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
      expect(['error', 'warning']).toContain(info.severity);
      for (const text of [info.summary, info.effect, info.fix]) {
        expect(text.length).toBeGreaterThan(5);
        expect(text).toMatch(/\.$/);
      }
    }
  });

  it('is frozen, entries too', () => {
    expect(Object.isFrozen(ISSUE_CODES)).toBe(true);
    for (const info of Object.values(ISSUE_CODES)) expect(Object.isFrozen(info)).toBe(true);
  });

  it('contains the codes the data contract and the brief rely on', () => {
    for (const code of [
      'ID_MISSING',
      'ID_DUPLICATE',
      'NOTHING_TO_MATCH',
      'REQUIRED_MISSING',
      'DATE_UNPARSEABLE',
      'DATE_IMPOSSIBLE',
      'DATE_PLACEHOLDER',
      'DATE_AFTER_INFORMATION_DATE',
      'DATE_BEFORE_1915',
      'DQ_INVALID',
      'DQ_INCONSISTENT',
      'SSN_INVALID',
      'SSN_PLACEHOLDER',
      'SSN_PARTIAL',
      'NAME_PLACEHOLDER',
      'SEX_INVALID',
      'CIN_INVALID',
      'COVERAGE_INVALID',
      'PROGRAM_UNKNOWN',
      'END_BEFORE_START',
      'FIELD_TOO_LONG',
      'ROW_SHORT',
      'ROW_LONG',
    ]) {
      expect(isIssueCode(code), code).toBe(true);
    }
    expect(isIssueCode('toString')).toBe(false);
    expect(isIssueCode('NOPE')).toBe(false);
  });
});

describe('docs/error-codes.md', () => {
  it('lists exactly the registry codes, with the registry texts', () => {
    const rows = tableRows('Row-level issue codes');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(ISSUE_CODES).map((c) => `\`${c}\``));
    for (const [code, severity, summary, effect, fix] of rows) {
      const info = ISSUE_CODES[code!.slice(1, -1) as keyof typeof ISSUE_CODES];
      expect({ severity, summary, effect, fix }).toEqual({
        severity: info.severity,
        summary: info.summary,
        effect: info.effect,
        fix: info.fix,
      });
    }
  });

  it('lists exactly the ErrorCodes of src/errors.ts', () => {
    const union = errorsSource.slice(
      errorsSource.indexOf('export type ErrorCode'),
      errorsSource.indexOf(';', errorsSource.indexOf('export type ErrorCode')),
    );
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(10);
    const rows = tableRows('File-level error codes');
    expect(rows.map((r) => r[0]!.slice(1, -1)).sort()).toEqual([...codes].sort());
    for (const row of rows) expect(row.every((c) => c.length > 0)).toBe(true);
  });
});
