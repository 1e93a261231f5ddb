/**
 * One rule for every CSV the outputs and the CLI read back (links, decisions, changes, return
 * history, truth): a wholly empty line is no row (the CSV reader skips it); a row of empty cells
 * (`,,,`, an emptied spreadsheet row) is read through the same cell helpers (columnAt/cell,
 * isBlankRow in src/read/fields.ts) and is either reported or, where a blank means "nothing here",
 * left out — never taken for data.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTruthFile } from '../../src/cli/truth.js';
import { readDecisions } from '../../src/output/decisions.js';
import { readLinks } from '../../src/output/links.js';
import { readLinkChanges } from '../../src/output/return-changes.js';
import { RETURN_HISTORY_COLUMNS, readReturnHistory } from '../../src/output/return-history.js';
import { isBlankRow } from '../../src/read/fields.js';

const utf8 = (lines: readonly string[]) => new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
/** The same file with an empty line and a row of empty cells after its data rows. */
const withBlanks = (lines: readonly string[]) => {
  const width = (lines[0] ?? '').split(',').length;
  return utf8([...lines, '', ','.repeat(width - 1)]);
};
const blankLine = (lines: readonly string[]) => lines.length + 2; // header is line 1, then the empty line

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-blank-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a row of empty cells in the files read back', () => {
  it('isBlankRow: every cell blank after trimming', () => {
    expect(isBlankRow(['', ' ', '\t'])).toBe(true);
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow(['', 'x'])).toBe(false);
  });

  it('links: reported (its IDs are missing), never a link', async () => {
    const lines = ['PersonalID,MemberID,MatchWeight,MatchProbability,Status', 'P1,M1,12.5,0.9990,match'];
    const plain = await readLinks(utf8(lines));
    const blank = await readLinks(withBlanks(lines));
    expect(blank.links).toEqual(plain.links);
    expect(blank.links[0]?.matchProbability).toBe('0.9990');
    expect(blank.counts.rejected).toBe(plain.counts.rejected + 1);
    expect(blank.issues.map((i) => [i.line, i.code])).toContainEqual([blankLine(lines), 'ID_MISSING']);
  });

  it('return history: reported as ROW_EMPTY', async () => {
    const lines = [RETURN_HISTORY_COLUMNS.join(','), 'P1,M1,coverage,Medi-Cal,,,2024-01-01,'];
    const plain = await readReturnHistory(utf8(lines), { today: '2026-01-01' });
    const blank = await readReturnHistory(withBlanks(lines), { today: '2026-01-01' });
    expect(blank.rows).toEqual(plain.rows);
    expect(blank.issues.map((i) => [i.line, i.field, i.code])).toEqual([
      [blankLine(lines), '*', 'ROW_EMPTY'],
    ]);
    expect(blank.counts.rejected).toBe(plain.counts.rejected + 1);
  });

  it('decisions: an undecided row (its Decision is blank), counted', async () => {
    const lines = ['PersonalID,MemberID,Decision', 'P1,M1,accept'];
    const plain = await readDecisions(utf8(lines));
    const blank = await readDecisions(withBlanks(lines));
    expect(blank.decisions).toEqual(plain.decisions);
    expect([blank.rows, blank.undecided]).toEqual([plain.rows + 1, plain.undecided + 1]);
  });

  it('changes and truth: left out (a blank holds no change and no pair)', async () => {
    const changes = ['PersonalID,MemberID,Change,Reason', 'P1,M1,removed,REJECTED_BY_REVIEWER'];
    expect(await readLinkChanges(withBlanks(changes))).toEqual(await readLinkChanges(utf8(changes)));
    const truth = ['PersonalID,MemberID', 'P1,M1'];
    writeFileSync(join(dir, 'truth.csv'), withBlanks(truth));
    expect(await readTruthFile(join(dir, 'truth.csv'))).toEqual([['P1', 'M1']]);
  });
});
