/**
 * The monthly cycle end to end: a small plan-data model (members with coverage spans and program
 * episodes, month by month) is written as the return file and its `-history.csv`, `hmis` runs each
 * month with `--existing` = the HMIS's export of the project after the previous month, and the folder
 * is imported by both importer doubles (merge-by-ID and authoritative). After every month, each HMIS
 * must hold exactly what the plan's data supports (computed here from the model, not from the code
 * under test): one enrollment per coverage span, exits, services; none lost, none duplicated. Running
 * a month again (and importing it again) changes nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hmis } from '../../src/cli/commands/hmis.js';
import { chooseEpisode } from '../../src/output/episodes.js';
import type { ReturnRow } from '../../src/output/return-columns.js';
import { returnFileLines } from '../../src/output/return-format.js';
import { COMMUNITY_SUPPORTS } from '../../src/read/programs.js';
import type { CoverageType } from '../../src/records.js';
import {
  authoritativeImport,
  enrollmentsHeld,
  exportProject,
  type HmisState,
  live,
  mergeImport,
  readExport,
  snapshot,
} from './hmis-importers.js';

const PROJECT = 'MCP-GSHP';
const PLAN = 'Golden State Health Plan';
const HTNS = 'Housing Transition Navigation Services';
const HTSS = 'Housing Tenancy and Sustaining Services';
// The housing-related services (the default of the exchange).
const SERVICES = COMMUNITY_SUPPORTS.slice(0, 3).map((c) => c.name);

interface Span {
  readonly type: CoverageType;
  readonly start: string;
  readonly end?: string;
}
interface Episode {
  readonly program: string;
  readonly provider: string;
  readonly start: string;
  readonly end?: string;
}
/** A linked client as the plan returns it this month. */
interface Linked {
  readonly pid: string;
  readonly mid: string;
  readonly spans: readonly Span[];
  readonly episodes?: readonly Episode[];
}
interface Month {
  readonly asOf: string;
  readonly linked: readonly Linked[];
  readonly retracted?: readonly (readonly [string, string])[];
}

// ── The plan's data, month by month ───────────────────────────────────────────────────────────────
const steady: Linked = {
  pid: 'P-STEADY',
  mid: 'M-STEADY',
  spans: [{ type: 'Medi-Cal', start: '2024-02-01' }],
  episodes: [{ program: HTNS, provider: 'Hope Harbor', start: '2025-01-10' }],
};
const gapM1: Linked = {
  pid: 'P-GAP',
  mid: 'M-GAP',
  spans: [{ type: 'Medi-Cal', start: '2024-06-01' }],
  episodes: [{ program: 'ECM', provider: 'Bridgeway', start: '2024-07-01' }],
};
// Coverage ends, an episode starts in the gap (outside every span: not written), coverage starts again.
const gapM2: Linked = {
  ...gapM1,
  spans: [
    { type: 'Medi-Cal', start: '2024-06-01', end: '2025-10-15' },
    { type: 'Medi-Cal', start: '2025-11-20' },
  ],
  episodes: [
    { program: 'ECM', provider: 'Bridgeway', start: '2024-07-01', end: '2025-10-15' },
    { program: HTSS, provider: 'Gap Housing', start: '2025-11-01', end: '2025-11-05' },
    { program: 'ECM', provider: 'Bridgeway', start: '2025-11-25' },
  ],
};
const providerM1: Linked = {
  pid: 'P-PROV',
  mid: 'M-PROV',
  spans: [{ type: 'Medi-Cal', start: '2023-01-01' }],
  episodes: [
    { program: 'ECM', provider: 'Old Care Co', start: '2025-03-01' },
    { program: HTNS, provider: 'Nav A', start: '2025-05-01' },
  ],
};
// ECM provider change (two episodes) and a second, overlapping CS episode.
const providerM2: Linked = {
  ...providerM1,
  episodes: [
    { program: 'ECM', provider: 'Old Care Co', start: '2025-03-01', end: '2025-11-10' },
    { program: 'ECM', provider: 'New Care, Inc.', start: '2025-11-11' },
    { program: HTNS, provider: 'Nav A', start: '2025-05-01' },
    { program: HTSS, provider: 'Tenancy B', start: '2025-11-01' },
  ],
};
const leaver: Linked = {
  pid: 'P-LEFT',
  mid: 'M-LEFT',
  spans: [{ type: 'Medi-Cal', start: '2025-02-01' }],
  episodes: [{ program: 'ECM', provider: 'Bridgeway', start: '2025-02-15' }],
};
const wrongLink: Linked = {
  pid: 'P-WRONG',
  mid: 'M-WRONG',
  spans: [{ type: 'Medi-Cal', start: '2025-01-01' }],
  episodes: [{ program: HTNS, provider: 'Hope Harbor', start: '2025-03-01' }],
};
const retroM1: Linked = {
  pid: 'P-RETRO',
  mid: 'M-RETRO',
  spans: [{ type: 'Medi-Cal', start: '2025-05-01' }],
};
const retroM2: Linked = { ...retroM1, spans: [{ type: 'Medi-Cal', start: '2025-04-01' }] };
const dsnpM1: Linked = { pid: 'P-DSNP', mid: 'M-DSNP', spans: [{ type: 'Medi-Cal', start: '2023-01-01' }] };
const dsnpM2: Linked = {
  ...dsnpM1,
  spans: [
    { type: 'Medi-Cal', start: '2023-01-01', end: '2025-11-30' },
    { type: 'D-SNP', start: '2025-12-01' },
  ],
};
// One person, twice in the CoC's list: linked to the first PersonalID, then (a person rejected that
// link) to the second.
const twinA: Linked = { pid: 'P-TWIN-A', mid: 'M-TWIN', spans: [{ type: 'Medi-Cal', start: '2025-03-01' }] };
const twinB: Linked = { ...twinA, pid: 'P-TWIN-B' };
const future: Linked = {
  pid: 'P-FUTURE',
  mid: 'M-FUTURE',
  spans: [{ type: 'Medi-Cal', start: '2025-01-01', end: '2025-12-15' }],
  episodes: [{ program: 'ECM', provider: 'Bridgeway', start: '2025-01-05', end: '2025-12-15' }],
};
// Coverage that starts after the export: nothing yet; then it does.
const late: Linked = { pid: 'P-LATE', mid: 'M-LATE', spans: [{ type: 'Medi-Cal', start: '2025-12-10' }] };

const MONTHS: readonly Month[] = [
  {
    asOf: '2025-10-31',
    linked: [steady, gapM1, providerM1, leaver, wrongLink, retroM1, dsnpM1, twinA, future],
  },
  {
    asOf: '2025-11-30',
    linked: [steady, gapM2, providerM2, wrongLink, retroM2, dsnpM1, twinA, future, late],
  },
  {
    asOf: '2025-12-31',
    linked: [steady, gapM2, providerM2, retroM2, dsnpM2, twinB, future, late],
    retracted: [
      ['P-WRONG', 'M-WRONG'],
      ['P-TWIN-A', 'M-TWIN'],
    ],
  },
  { asOf: '2026-01-31', linked: [steady, gapM2, providerM2, retroM2, dsnpM2, twinB, late] },
];
const PIDS = [...new Set(MONTHS.flatMap((m) => m.linked.map((l) => l.pid)))];

// ── Files of one month ────────────────────────────────────────────────────────────────────────────
function returnRow(l: Linked, asOf: string): ReturnRow {
  const spans = l.spans.map((s, i) => ({
    line: i,
    provider: s.type,
    startDate: s.start,
    ...(s.end && { endDate: s.end }),
  }));
  const cur = chooseEpisode(spans, asOf);
  const span = l.spans.find((s) => s.start === cur.enrollmentDate)!;
  const program = (name: string) =>
    chooseEpisode(
      (l.episodes ?? [])
        .filter((e) => e.program === name)
        .map((e, i) => ({
          line: i,
          provider: e.provider,
          startDate: e.start,
          ...(e.end && { endDate: e.end }),
        })),
      asOf,
    );
  return {
    personalId: l.pid,
    mcp: PLAN,
    coverageType: span.type,
    memberId: l.mid,
    mcpEnrollmentDate: span.start,
    ...(span.end !== undefined && { mcpExitDate: span.end }),
    ecm: program('ECM'),
    cs: Object.fromEntries(SERVICES.map((s) => [s, program(s)])),
  };
}

function historyText(m: Month): string {
  const lines = ['PersonalID,MemberID,Record,Program,Provider,ProviderNPI,StartDate,EndDate'];
  for (const l of m.linked) {
    for (const s of l.spans) lines.push(`${l.pid},${l.mid},coverage,${s.type},,,${s.start},${s.end ?? ''}`);
    for (const e of l.episodes ?? []) {
      const provider = e.provider.includes(',') ? `"${e.provider}"` : e.provider;
      lines.push(
        `${l.pid},${l.mid},${e.program === 'ECM' ? 'ECM' : 'CS'},${e.program},${provider},,${e.start},${e.end ?? ''}`,
      );
    }
  }
  for (const [pid, mid] of m.retracted ?? []) lines.push(`${pid},${mid},retracted,,,,,`);
  return `${lines.join('\r\n')}\r\n`;
}

/** The CoC's Client.csv: FY2026 header, a few odd cells (leading zeros, quotes, commas). */
function clientsText(): string {
  const columns = CLIENT_COLUMNS;
  const rows = [...PIDS, 'P-NOT-LINKED'].map((pid, i) =>
    columns.map((c) => {
      if (c === 'PersonalID') return pid;
      if (c === 'FirstName') return i === 0 ? '"Ann, ""Jo"""' : `Name${i}`;
      if (c === 'SSN') return `00${String(1234567 + i)}`;
      if (c === 'DateCreated' || c === 'DateUpdated') return '2020-01-02 03:04:05';
      if (c === 'UserID') return 'coc-user';
      if (c === 'ExportID') return 'COC-EXPORT';
      return c.endsWith('DataQuality') || c === 'VeteranStatus' ? '99' : '';
    }),
  );
  return `${[CLIENT_COLUMNS, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;
}
const CLIENT_COLUMNS = (
  'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex,' +
  'AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinao,MidEastNAfrican,NativeHIPacific,White,RaceNone,' +
  'AdditionalRaceEthnicity,VeteranStatus,YearEnteredService,YearSeparated,WorldWarII,KoreanWar,VietnamWar,' +
  'DesertStorm,AfghanistanOEF,IraqOIF,IraqOND,OtherTheater,MilitaryBranch,DischargeStatus,DateCreated,' +
  'DateUpdated,UserID,DateDeleted,ExportID'
).split(',');

// ── What the plan's data supports (the oracle) ────────────────────────────────────────────────────
/**
 * The enrollments and services an HMIS should hold after months[0..k]: for each client, the spans of
 * the last month that returned them (a retracted link's: none); a client no longer returned keeps
 * that month's story, an open span exited on that month's as-of day (the last day the plan confirmed
 * it). Only spans and episodes started by their month's as-of day; an end after it is open.
 */
function expected(k: number): { enrollments: string[]; services: string[] } {
  const last = new Map<string, { l: Linked; asOf: string; present: boolean }>();
  for (let i = 0; i <= k; i++) {
    const m = MONTHS[i]!;
    for (const [pid, mid] of m.retracted ?? []) if (last.get(pid)?.l.mid === mid) last.delete(pid);
    for (const v of last.values()) v.present = false;
    for (const l of m.linked) last.set(l.pid, { l, asOf: m.asOf, present: true });
  }
  const enrollments: string[] = [];
  const services: string[] = [];
  for (const { l, asOf, present } of last.values()) {
    for (const s of l.spans) {
      if (s.start > asOf) continue;
      const ended = s.end !== undefined && s.end <= asOf ? s.end : undefined;
      const exit = ended ?? (present ? '' : asOf);
      enrollments.push(`${l.pid}|${l.mid}|${s.type}|${s.start}|${exit}`);
      for (const e of l.episodes ?? []) {
        if (e.start > asOf || e.start < s.start || (s.end !== undefined && e.start > s.end)) continue;
        const end = e.end !== undefined && e.end <= asOf ? e.end : '..';
        services.push(`${l.pid}|${s.start}|${e.program}|${e.provider}|${e.start}/${end}`);
      }
    }
  }
  return { enrollments: enrollments.sort(), services: services.sort() };
}

/** The MCP project as an HMIS holds it, in the oracle's terms. */
function held(state: HmisState): { enrollments: string[]; services: string[] } {
  const byId = new Map(
    live(state, 'Enrollment.csv')
      .filter((e) => e.ProjectID === PROJECT)
      .map((e) => [e.EnrollmentID!, e]),
  );
  return {
    enrollments: enrollmentsHeld(state, PROJECT),
    services: live(state, 'CustomMCPServices.csv')
      .filter((s) => byId.has(s.EnrollmentID!))
      .map(
        (s) =>
          `${s.PersonalID}|${byId.get(s.EnrollmentID!)!.EntryDate}|${s.CustomQuestion}|${s.CustomAnswer}|${s.CustomDetailAnswer}`,
      )
      .sort(),
  };
}

// ── The run ───────────────────────────────────────────────────────────────────────────────────────
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-monthly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clients = join(dir, 'Client.csv');
writeFileSync(clients, clientsText());

async function runHmis(
  k: number,
  existing: string | undefined,
  out: string,
  months: readonly Month[] = MONTHS,
  withHistory = true,
): Promise<void> {
  const m = months[k]!;
  const monthDir = join(dir, withHistory ? `month${k + 1}` : `return-only-${k + 1}`);
  mkdirSync(monthDir, { recursive: true });
  const ret = join(monthDir, 'mcp-return.csv');
  writeFileSync(
    ret,
    [
      ...returnFileLines(
        m.linked.map((l) => returnRow(l, m.asOf)),
        SERVICES,
      ),
    ].join(''),
  );
  if (withHistory) writeFileSync(join(monthDir, 'mcp-return-history.csv'), historyText(m));
  const code = await hmis.run({
    return: ret,
    clients,
    'coc-code': 'CA-500',
    'project-id': PROJECT,
    'export-date': m.asOf,
    out,
    quiet: true,
    ...(existing !== undefined && { existing: [existing] }),
  });
  expect(code).toBe(0);
}

const KINDS = { merge: mergeImport, authoritative: authoritativeImport } as const;

describe('monthly cycle through both importer kinds', () => {
  for (const [kind, importer] of Object.entries(KINDS)) {
    it(`${kind}: after each month the HMIS holds what the plan's data supports; re-runs change nothing`, async () => {
      const state: HmisState = new Map();
      const ids = new Map<string, string>();
      const created = new Map<string, string>();
      let existing: string | undefined;
      for (let k = 0; k < MONTHS.length; k++) {
        const out = join(dir, kind, `import-${k + 1}`);
        await runHmis(k, existing, out);
        await importer(state, out);
        const want = expected(k);
        const got = held(state);
        expect(got.enrollments, `month ${k + 1} enrollments`).toEqual(want.enrollments);
        expect(got.services, `month ${k + 1} services`).toEqual(want.services);

        // Client.csv: exactly the CoC's rows (same text) of the PersonalIDs of Enrollment.csv.
        const files = await readExport(out);
        const enrolled = new Set(files.get('Enrollment.csv')!.map((r) => r.PersonalID));
        const clientLines = readFileSync(join(out, 'Client.csv'), 'utf8').split('\r\n').slice(1, -1);
        const source = new Map(
          readFileSync(clients, 'utf8')
            .split('\r\n')
            .map((l) => [l.split(',')[0], l]),
        );
        expect(clientLines.map((l) => l.split(',')[0]).sort()).toEqual([...enrolled].sort());
        for (const l of clientLines) expect(l).toBe(source.get(l.split(',')[0]));

        // Records keep their IDs and DateCreated from month to month (the retro start keeps its ID).
        for (const e of live(state, 'Enrollment.csv')) {
          const key = e.PersonalID === 'P-RETRO' ? 'P-RETRO' : `${e.PersonalID}|${e.EntryDate}`;
          expect(ids.get(key) ?? e.EnrollmentID, key).toBe(e.EnrollmentID);
          expect(created.get(key) ?? e.DateCreated, key).toBe(e.DateCreated);
          ids.set(key, e.EnrollmentID!);
          created.set(key, e.DateCreated!);
        }

        // The CoC's project set-up is never rewritten after month 1.
        const project = live(state, 'Project.csv');
        expect(project).toHaveLength(1);
        if (k === 0) {
          // The CoC edits its set-up in HMIS; later exports must keep it exactly.
          const row = project[0]!;
          Object.assign(row, {
            OperatingStartDate: '2020-07-01',
            UserID: 'coc-admin',
            DateCreated: '2020-06-30 10:00:00',
          });
          state.get('User.csv')!.set('coc-admin', {
            row: {
              UserID: 'coc-admin',
              UserFirstName: 'Casey',
              UserLastName: '',
              UserPhone: '',
              UserExtension: '',
              UserEmail: '',
              DateCreated: '2020-01-01 00:00:00',
              DateUpdated: '2020-01-01 00:00:00',
              DateDeleted: '',
              ExportID: 'X',
            },
            deleted: false,
          });
        } else {
          expect(project[0]).toMatchObject({
            OperatingStartDate: '2020-07-01',
            UserID: 'coc-admin',
            DateCreated: '2020-06-30 10:00:00',
          });
        }

        // Re-run: the same month against the HMIS's export after importing it changes nothing.
        const after = join(dir, kind, `existing-${k + 1}`);
        exportProject(state, PROJECT, after);
        const before = snapshot(state);
        const again = join(dir, kind, `rerun-${k + 1}`);
        await runHmis(k, after, again);
        await importer(state, again);
        expect(snapshot(state), `month ${k + 1} re-run`).toEqual(before);
        existing = after;
      }
    });
  }

  it('from return files alone (no history): nothing lost under either importer, a leaver exited', async () => {
    const months: Month[] = [
      { asOf: '2025-10-31', linked: [steady, leaver, future] },
      { asOf: '2025-11-30', linked: [steady, future] },
      { asOf: '2025-12-31', linked: [steady, future] },
    ];
    for (const [kind, importer] of Object.entries(KINDS)) {
      const state: HmisState = new Map();
      let existing: string | undefined;
      for (let k = 0; k < months.length; k++) {
        const out = join(dir, `return-only-${kind}`, `import-${k + 1}`);
        await runHmis(k, existing, out, months, false);
        await importer(state, out);
        existing = join(dir, `return-only-${kind}`, `existing-${k + 1}`);
        exportProject(state, PROJECT, existing);
      }
      expect(held(state).enrollments, kind).toEqual([
        'P-FUTURE|M-FUTURE|Medi-Cal|2025-01-01|2025-12-15',
        'P-LEFT|M-LEFT|Medi-Cal|2025-02-01|2025-10-31', // the last day the plan confirmed it
        'P-STEADY|M-STEADY|Medi-Cal|2024-02-01|',
      ]);
      expect(held(state).services, kind).toEqual([
        'P-FUTURE|2025-01-01|ECM|Bridgeway|2025-01-05/2025-12-15',
        'P-LEFT|2025-02-01|ECM|Bridgeway|2025-02-15/..',
        `P-STEADY|2024-02-01|${HTNS}|Hope Harbor|2025-01-10/..`,
      ]);
    }
  });

  it('both importers end with the same records (IDs, dates, cells)', async () => {
    const states = { merge: new Map(), authoritative: new Map() } as Record<keyof typeof KINDS, HmisState>;
    for (const [kind, importer] of Object.entries(KINDS) as [
      keyof typeof KINDS,
      (s: HmisState, d: string) => Promise<void>,
    ][]) {
      let existing: string | undefined;
      for (let k = 0; k < MONTHS.length; k++) {
        const out = join(dir, `same-${kind}`, `import-${k + 1}`);
        await runHmis(k, existing, out);
        await importer(states[kind], out);
        existing = join(dir, `same-${kind}`, `existing-${k + 1}`);
        exportProject(states[kind], PROJECT, existing);
      }
    }
    for (const f of ['Enrollment.csv', 'Exit.csv', 'CustomMCPEnrollment.csv', 'CustomMCPServices.csv']) {
      const norm = (s: HmisState) =>
        live(s, f)
          .map((r) => JSON.stringify({ ...r, ExportID: '' }))
          .sort();
      expect(norm(states.authoritative), f).toEqual(norm(states.merge));
    }
  });
});
