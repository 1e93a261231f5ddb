/**
 * Three months of the real exchange, end to end through the CLI, on the bundled sample and the
 * plan's lists of the months after it (`nextMonth`: coverage gaps, Medi-Cal → D-SNP, members who
 * left, retroactive start dates, provider changes): each month the plan encodes its members, `match`
 * runs with last month's links and the clerk's cumulative decisions (two correct links rejected by
 * mistake: retractions), `return-file` writes the return file and its history, and `hmis` builds the
 * import against the HMIS's own export of the project, which is then imported by both importer
 * doubles (merge by ID; authoritative for the project and range). After every month the HMIS holds,
 * for every returned client, exactly one enrollment per coverage span the plan's list shows (entry =
 * span start, exit = span end once it has passed), nothing of a retracted link, and no enrollment left
 * open that the plan's data ends; importing the same folder again, or running `hmis` again, changes
 * nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { match } from '../../src/cli/commands/match.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { generateKeyHex } from '../../src/encode/key.js';
import { monthsBefore } from '../../src/output/return-window.js';
import { parseCsvSync } from '../../src/read/csv.js';
import { MEMBER_COLUMNS, PROGRAM_COLUMNS } from '../../src/synth/columns.js';
import { nextMonth } from '../../src/synth/next-month.js';
import { CSV_EOL, formatCsvRow } from '../../src/util/csv-write.js';
import {
  authoritativeImport,
  enrollmentsHeld,
  exportProject,
  type HmisState,
  mergeImport,
  snapshot,
} from '../output/hmis-importers.js';

const SAMPLE = fileURLToPath(new URL('../../data/sample/', import.meta.url));
const PROJECT = 'MCP-GSHP';
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-monthly-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Rec = Record<string, string>;

function records(path: string): Rec[] {
  const [header, ...rows] = parseCsvSync(readFileSync(path, 'utf8')).map((r) => r.fields);
  return rows
    .filter((f) => f.some((v) => v !== ''))
    .map((f) => Object.fromEntries((header ?? []).map((h, i) => [h, f[i] ?? ''])));
}

function writeCsv(path: string, columns: readonly string[], rows: readonly Rec[]): void {
  const lines = [formatCsvRow(columns), ...rows.map((r) => formatCsvRow(columns.map((c) => r[c] ?? '')))];
  writeFileSync(path, lines.map((l) => l + CSV_EOL).join(''));
}

async function run(cmd: Command, values: OptionValues): Promise<void> {
  expect(await cmd.run({ quiet: true, ...values }), cmd.name).toBe(0);
}

interface Month {
  readonly asOf: string;
  readonly members: string;
  readonly programs: string;
}

/** The plan's lists for three months: the sample, then two months of changes. */
function months(): Month[] {
  const out: Month[] = [
    { asOf: '2026-01-01', members: join(SAMPLE, 'members.csv'), programs: join(SAMPLE, 'programs.csv') },
  ];
  let members = records(join(SAMPLE, 'members.csv'));
  let programs = records(join(SAMPLE, 'programs.csv'));
  for (const [k, asOf] of [
    [2, '2026-02-01'],
    [3, '2026-03-01'],
  ] as const) {
    const previousAsOf = out[out.length - 1]?.asOf ?? '';
    // Higher rates than the defaults, so a few thousand members show every kind of change.
    const next = nextMonth(members, programs, {
      seed: k,
      previousAsOf,
      asOf,
      rates: { coverageGap: 0.05, leftPlan: 0.05, retroStart: 0.03, toDsnp: 0.2, providerChange: 0.2 },
    });
    ({ members, programs } = next);
    const m = { asOf, members: join(dir, `members-${k}.csv`), programs: join(dir, `programs-${k}.csv`) };
    writeCsv(m.members, MEMBER_COLUMNS, members);
    writeCsv(m.programs, PROGRAM_COLUMNS, programs);
    out.push(m);
  }
  return out;
}

/**
 * What the plan's data supports for the clients of a return file: per returned client, one
 * enrollment per coverage span of its member that started by `asOf` and did not end before the
 * look-back window; the exit is the span's end once it has passed.
 */
function supported(month: Month, ret: string): string[] {
  const windowStart = monthsBefore(month.asOf, 24);
  const spans = new Map<string, Rec[]>();
  for (const m of records(month.members))
    spans.set(m.MemberID ?? '', [...(spans.get(m.MemberID ?? '') ?? []), m]);
  const out: string[] = [];
  for (const row of records(ret)) {
    for (const s of spans.get(row.MemberID ?? '') ?? []) {
      const start = s.EnrollmentStartDate ?? '';
      const end = s.EnrollmentEndDate ?? '';
      if (start > month.asOf || (end !== '' && end < windowStart)) continue;
      const exit = end !== '' && end <= month.asOf ? end : '';
      out.push(`${row.PersonalID}|${row.MemberID}|${s.CoverageType}|${start}|${exit}`);
    }
  }
  return out.sort();
}

describe('three months end to end through the CLI and both importer kinds', () => {
  it('holds what the plan supports each month; retractions delete, nothing stays open, re-runs change nothing', async () => {
    const key = join(dir, 'linkage.key');
    writeFileSync(key, `${generateKeyHex()}\n`, { mode: 0o600 });
    const coc = join(dir, 'coc.arrow');
    await run(encode, { in: join(SAMPLE, 'clients.csv'), key, out: coc, today: '2026-01-01' });
    const states: Record<'merge' | 'authoritative', HmisState> = {
      merge: new Map(),
      authoritative: new Map(),
    };
    const importers = { merge: mergeImport, authoritative: authoritativeImport } as const;
    const decisions = join(dir, 'decisions.csv');
    let retracted: string[] = [];
    let previous: string | undefined;
    const plan = months();
    for (const [k, month] of plan.entries()) {
      const m = join(dir, `m${k + 1}`);
      mkdirSync(m);
      const f = {
        mcp: join(m, 'mcp.arrow'),
        links: join(m, 'links.csv'),
        changes: join(m, 'changes.csv'),
        ret: join(m, 'mcp-return.csv'),
      };
      await run(encode, { in: month.members, key, out: f.mcp, today: month.asOf });
      await run(match, {
        coc,
        mcp: f.mcp,
        out: f.links,
        ...(previous === undefined ? {} : { previous, changes: f.changes }),
        ...(k > 0 ? { decisions } : {}),
      });
      if (k > 0) {
        const removed = records(f.changes).filter((c) => c.Change === 'removed');
        // Every rejected link of last month is removed as the reviewer's, and no other reason hides one.
        for (const r of retracted)
          expect(
            removed.some((c) => `${c.PersonalID}|${c.MemberID}` === r && c.Reason === 'REJECTED_BY_REVIEWER'),
          ).toBe(k === 1);
      }
      await run(returnFile, {
        links: f.links,
        members: month.members,
        programs: month.programs,
        out: f.ret,
        'as-of': month.asOf,
        ...(k > 0 ? { changes: f.changes } : {}),
      });
      const want = supported(month, f.ret);
      expect(want.length).toBeGreaterThan(700);
      for (const kind of ['merge', 'authoritative'] as const) {
        const state = states[kind];
        const existing = join(m, `${kind}-hmis-export`);
        if (k > 0) exportProject(state, PROJECT, existing);
        const out = join(m, `${kind}-import`);
        const args = {
          return: f.ret,
          clients: join(SAMPLE, 'hmis-fy2026', 'Client.csv'),
          'coc-code': 'CA-500',
          'project-id': PROJECT,
          'export-date': month.asOf,
          ...(k > 0 ? { existing: [existing] } : {}),
        };
        await run(hmis, { ...args, out });
        await importers[kind](state, out);
        const held = enrollmentsHeld(state, PROJECT);
        const returned = new Set(records(f.ret).map((r) => r.PersonalID));
        // Every returned client: exactly its member's spans, entry and exit as the plan's list says.
        expect(
          held.filter((e) => returned.has(e.split('|')[0] ?? '')),
          `month ${k + 1}, ${kind}`,
        ).toEqual(want);
        // A retracted link leaves nothing live.
        for (const r of retracted)
          expect(
            held.some((e) => e.startsWith(`${r}|`)),
            r,
          ).toBe(false);
        // Nothing left open that the plan's data ends: an open enrollment is a span the plan shows open.
        const open = new Set(want.filter((e) => e.endsWith('|')));
        for (const e of held.filter((x) => x.endsWith('|')))
          expect(open.has(e) || !returned.has(e.split('|')[0] ?? ''), e).toBe(true);
        // Importing the same folder again changes nothing; so does running hmis again.
        const before = snapshot(state);
        await importers[kind](state, out);
        expect(snapshot(state)).toEqual(before);
        const again = join(m, `${kind}-import-again`);
        await run(hmis, { ...args, out: again });
        for (const file of ['Enrollment.csv', 'Exit.csv', 'CustomMCPEnrollment.csv', 'CustomMCPServices.csv'])
          expect(readFileSync(join(again, file), 'utf8'), file).toBe(readFileSync(join(out, file), 'utf8'));
      }
      if (k === 0) {
        // The clerk rejects two automatic links (correct ones, by mistake): they must be withdrawn.
        const links = records(f.links).filter((l) => l.Status === 'match');
        const rejected = [links[0], links[1]].map((l) => `${l?.PersonalID}|${l?.MemberID}`);
        retracted = rejected;
        writeFileSync(
          decisions,
          `PersonalID,MemberID,Decision\r\n${rejected.map((r) => `${r.replace('|', ',')},reject\r\n`).join('')}`,
        );
      }
      previous = f.links;
    }
  }, 600_000);
});
