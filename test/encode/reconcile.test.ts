/** The main thread's settling of IDs across pieces. */
import { describe, expect, it } from 'vitest';
import type { PieceResult } from '../../src/encode/read-encode-task.js';
import { Reconciler } from '../../src/encode/reconcile.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import type { RowIssue } from '../../src/records.js';

/**
 * A piece of rows given as [accepted, id or null, issues]; accepted `'older'` is an older span the
 * worker accepted and left out of the batch.
 */
function piece(rows: [boolean | 'older', string | null, RowIssue[]][]): PieceResult {
  const accepted = rows.filter(([a]) => a === true).map(([, id]) => id!);
  const rejected = rows.filter(([a]) => !a).map(([, id]) => id);
  const issues = rows.flatMap(([, , i]) => i);
  const issueStart = [0];
  for (const [, , i] of rows) issueStart.push(issueStart.at(-1)! + i.length);
  const n = accepted.length;
  const batch: EncodedBatch = {
    length: n,
    ids: accepted,
    nameDq: new Uint8Array(n),
    dobDq: new Uint8Array(n),
    ssnDq: new Uint8Array(n),
    blooms: {},
    hashes: { dob: Uint32Array.from(accepted, (_, i) => i + 1) },
    sets: {},
    blocks: {},
  };
  return {
    lines: Uint32Array.from(rows, (_, i) => i + 2),
    accepted: Uint8Array.from(rows, ([a]) => (a === 'older' ? 2 : a ? 1 : 0)),
    issues,
    issueStart: Uint32Array.from(issueStart),
    rejectedIds: rejected,
    batch,
  };
}

describe('Reconciler', () => {
  it('rejects an ID accepted in an earlier piece where the validator would, and counts it', () => {
    const seen: RowIssue[] = [];
    const r = new Reconciler({ idField: 'MemberID', onIssue: (i) => seen.push(i) });
    r.piece(
      piece([
        [true, 'A', []],
        [false, 'B', [{ line: 3, field: 'DOB', code: 'DATE_UNPARSEABLE', severity: 'error' }]],
      ]),
    );
    const warn: RowIssue = { line: 2, field: 'DOB', code: 'DATE_PLACEHOLDER', severity: 'warning' };
    const short: RowIssue = { line: 3, field: '*', code: 'ROW_SHORT', severity: 'warning' };
    const kept = r.piece(
      piece([
        [true, 'A', [warn]], // duplicate of piece 1: rejected, its warning becomes an error
        [true, 'B', [short]], // B was rejected in piece 1, so it is free
        [false, 'A', [{ line: 4, field: 'DOB', code: 'DATE_UNPARSEABLE', severity: 'error' }]],
        [true, 'C', []],
      ]),
    );
    expect(kept.ids).toEqual(['B', 'C']);
    expect(Array.from(kept.hashes.dob!)).toEqual([2, 3]);
    expect(seen.slice(1)).toEqual([
      { line: 2, field: 'MemberID', code: 'ID_DUPLICATE', severity: 'error' },
      { ...warn, severity: 'error' },
      short,
      { line: 4, field: 'MemberID', code: 'ID_DUPLICATE', severity: 'error' },
      { line: 4, field: 'DOB', code: 'DATE_UNPARSEABLE', severity: 'error' },
    ]);
    expect(r.summary).toEqual({
      rowsRead: 6,
      accepted: 3,
      rejected: 3,
      warnings: 1,
      byCode: { DATE_UNPARSEABLE: 2, DATE_PLACEHOLDER: 1, ID_DUPLICATE: 2, ROW_SHORT: 1 },
      bySeverity: {
        DATE_UNPARSEABLE: { error: 2, warning: 0 },
        DATE_PLACEHOLDER: { error: 1, warning: 0 },
        ID_DUPLICATE: { error: 2, warning: 0 },
        ROW_SHORT: { error: 0, warning: 1 },
      },
    });
    expect(r.issues).toEqual([]);
  });

  it('puts the duplicate after a row-shape issue, as the validator does', () => {
    const r = new Reconciler({ idField: 'PersonalID' });
    r.piece(piece([[true, 'A', []]]));
    r.piece(piece([[true, 'A', [{ line: 2, field: '*', code: 'ROW_LONG', severity: 'warning' }]]]));
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([
      ['ROW_LONG', 'error'],
      ['ID_DUPLICATE', 'error'],
    ]);
  });
});

describe('Reconciler with a span plan (member lists)', () => {
  it('keeps repeated IDs accepted, drops older spans from the batch, and adds the plan at the end', () => {
    const seen: RowIssue[] = [];
    const r = new Reconciler({ idField: 'MemberID', onIssue: (i) => seen.push(i) });
    const warning: RowIssue = { line: 2, field: '*', code: 'SPAN_IDENTITY_DIFFERS', severity: 'warning' };
    r.usePlan({
      spans: 3,
      members: 2,
      superseded: (line) => line === 2,
      grouped: (line) => line === 2 || line === 4,
      groupedLines: Uint8Array.of(0b10100),
      supersededLines: Uint8Array.of(0b100),
    });
    const kept = r.piece(
      piece([
        [true, 'A', []],
        [true, 'B', []],
        [true, 'A', []],
      ]),
    );
    expect(kept.ids).toEqual(['B', 'A']);
    expect(seen).toEqual([]);
    r.finish([warning]);
    expect(seen).toEqual([warning]);
    expect(r.summary).toMatchObject({ rowsRead: 3, accepted: 3, rejected: 0, warnings: 1, members: 2 });
  });

  it('counts an older span the worker left out of the batch as accepted, without a batch row', () => {
    const r = new Reconciler({ idField: 'MemberID' });
    r.usePlan({
      spans: 4,
      members: 2,
      superseded: (line) => line === 2 || line === 4,
      grouped: (line) => line >= 2 && line <= 5,
      groupedLines: Uint8Array.of(0b111100),
      supersededLines: Uint8Array.of(0b10100),
    });
    const older: RowIssue = { line: 2, field: 'SSN', code: 'SSN_PARTIAL', severity: 'warning' };
    // line 2: left out by the worker; line 4: encoded, dropped here (a worker without the plan)
    const kept = r.piece(
      piece([
        ['older', 'A', [older]],
        [true, 'B', []],
        [true, 'A', []],
        [true, 'A', []],
        [false, 'C', [{ line: 6, field: 'DOB', code: 'REQUIRED_MISSING', severity: 'error' }]],
      ]),
    );
    expect(kept.ids).toEqual(['B', 'A']);
    expect(Array.from(kept.hashes.dob!)).toEqual([1, 3]);
    expect(r.issues).toEqual([older, { line: 6, field: 'DOB', code: 'REQUIRED_MISSING', severity: 'error' }]);
    expect(r.summary).toMatchObject({ rowsRead: 5, accepted: 4, rejected: 1, warnings: 1 });
  });
});
