import { describe, expect, it } from 'vitest';
import { CLEAN_DEFECT_RATES, isValidNpi, PROGRAMS, synthesize } from '../../src/synth/index.js';
import { ruleBook } from './helpers.js';

const OPTS = { seed: 42, clients: 1500, members: 4000, overlap: 0.4 } as const;

const collect = <T>(it: Iterable<T>): T[] => [...it];

describe('synthesize: determinism', () => {
  it('same seed and options give identical rows in every list', () => {
    const a = synthesize(OPTS);
    const b = synthesize(OPTS);
    for (const list of ['clients', 'members', 'programs', 'truth'] as const) {
      expect(collect(a.rows(list))).toEqual(collect(b.rows(list)));
    }
    // Iterating twice regenerates the same rows.
    expect(collect(a.clients())).toEqual(collect(a.clients()));
  });

  it('a different seed gives different data', () => {
    const a = collect(synthesize(OPTS).rows('members'));
    const b = collect(synthesize({ ...OPTS, seed: 43 }).rows('members'));
    const same = a.filter((row, i) => row.join() === b[i]?.join()).length;
    expect(same).toBe(0);
    const namesA = new Set(a.map((r) => `${r[2]} ${r[4]}`));
    const overlap = b.filter((r) => namesA.has(`${r[2]} ${r[4]}`)).length;
    expect(overlap).toBeLessThan(b.length * 0.2);
  });

  it('changing a defect rate changes only what that defect touches', () => {
    // Swapped names would carry the first-name change into LastName, so they are off in both runs.
    const base = collect(synthesize({ ...OPTS, defects: { coc: { swapNames: 0 } } }).clients());
    const more = collect(
      synthesize({ ...OPTS, defects: { coc: { swapNames: 0, nickname: 0.5 } } }).clients(),
    );
    let firstChanged = 0;
    for (let i = 0; i < base.length; i++) {
      const a = base[i] as Record<string, string>;
      const b = more[i] as Record<string, string>;
      expect({ ...b, FirstName: '' }).toEqual({ ...a, FirstName: '' });
      if (a.FirstName !== b.FirstName) firstChanged++;
    }
    expect(firstChanged).toBeGreaterThan(100);
  });

  it('the CoC layout does not change the identifying fields', () => {
    const contract = collect(synthesize(OPTS).clients());
    for (const cocLayout of ['hmis-fy2026', 'hmis-fy2024'] as const) {
      const hmis = collect(synthesize({ ...OPTS, cocLayout }).clients());
      expect(hmis.length).toBe(contract.length);
      hmis.forEach((row, i) => {
        const c = contract[i] as Record<string, string>;
        for (const f of ['PersonalID', 'FirstName', 'MiddleName', 'LastName', 'NameSuffix', 'DOB', 'SSN']) {
          expect(row[f]).toBe(c[f]);
        }
        if (cocLayout === 'hmis-fy2026') expect(row.Sex).toBe(c.Sex);
      });
    }
  });
});

describe('synthesize: counts, IDs and truth', () => {
  const data = synthesize(OPTS);
  const clients = collect(data.clients());
  const members = collect(data.members());
  const truth = collect(data.truth());

  it('has exactly the requested counts and overlap', () => {
    expect(clients.length).toBe(OPTS.clients);
    expect(members.length).toBe(OPTS.members);
    expect(truth.length).toBe(Math.round(OPTS.overlap * OPTS.clients));
    expect(data.counts).toEqual({ clients: clients.length, members: members.length, truth: truth.length });
  });

  it('IDs are unique and well formed', () => {
    const pids = clients.map((r) => r.PersonalID as string);
    expect(new Set(pids).size).toBe(pids.length);
    for (const p of pids) expect(p).toMatch(/^[1-9]\d{6,}$/);
    const mids = members.map((r) => r.MemberID as string);
    expect(new Set(mids).size).toBe(mids.length);
    for (const m of mids) expect(m).toMatch(/^M\d{9}$/);
    const cins = members.map((r) => r.CIN as string);
    expect(new Set(cins).size).toBe(cins.length);
    for (const c of cins) expect(c).toMatch(/^9\d{7}[ACDEFGHMNTUVWXYZ]$/);
  });

  it('truth pairs refer to existing rows, one-to-one', () => {
    const pids = new Set(clients.map((r) => r.PersonalID));
    const mids = new Set(members.map((r) => r.MemberID));
    for (const t of truth) {
      expect(pids.has(t.PersonalID)).toBe(true);
      expect(mids.has(t.MemberID)).toBe(true);
    }
    expect(new Set(truth.map((t) => t.PersonalID)).size).toBe(truth.length);
    expect(new Set(truth.map((t) => t.MemberID)).size).toBe(truth.length);
  });

  it('a known MCPMemberID belongs to a member client; mostly the true one, some mistyped or another member’s', () => {
    const byPid = new Map(truth.map((t) => [t.PersonalID, t.MemberID]));
    const ids = new Set(collect(synthesize(OPTS).members()).map((r) => r.MemberID));
    const known = clients.filter((r) => r.MCPMemberID !== '');
    const norm = (id: string) => id.toUpperCase().replace(/-/g, '');
    let own = 0;
    let other = 0;
    let mistyped = 0;
    for (const r of known) {
      const t = byPid.get(r.PersonalID as string);
      expect(t).toBeDefined();
      const id = norm(r.MCPMemberID as string);
      if (id === t) own++;
      else if (ids.has(id)) other++;
      else mistyped++;
    }
    // The share of member clients with a known ID is the option's (± 4 binomial sd).
    const rate = 0.15;
    const sd = Math.sqrt(truth.length * rate * (1 - rate));
    expect(Math.abs(known.length - truth.length * rate)).toBeLessThan(4 * sd);
    expect(own / known.length).toBeGreaterThan(0.85);
    expect(other + mistyped).toBeGreaterThan(0);
    expect(known.some((r) => r.MCPMemberID !== norm(r.MCPMemberID as string))).toBe(true);
    expect(
      collect(synthesize({ ...OPTS, knownMemberIdRate: 0 }).clients()).every((r) => r.MCPMemberID === ''),
    ).toBe(true);
  });

  it('truth pairs are the same person (with no defects the identities agree)', () => {
    const clean = synthesize({ ...OPTS, defects: CLEAN_DEFECT_RATES });
    const byPid = new Map(collect(clean.clients()).map((r) => [r.PersonalID, r]));
    const byMid = new Map(collect(clean.members()).map((r) => [r.MemberID, r]));
    for (const t of clean.truth()) {
      const c = byPid.get(t.PersonalID) as Record<string, string>;
      const m = byMid.get(t.MemberID) as Record<string, string>;
      expect(c.FirstName?.toUpperCase()).toBe(m.FirstName);
      expect(c.LastName?.toUpperCase().replace('-', ' ')).toBe(m.LastName?.replace('-', ' '));
      expect(c.DOB).toBe(m.DOB);
      if (m.SSN) expect(c.SSN).toBe(m.SSN);
    }
  });

  it('overlap 0 and 1 are exact', () => {
    expect(collect(synthesize({ ...OPTS, overlap: 0 }).truth()).length).toBe(0);
    expect(collect(synthesize({ ...OPTS, overlap: 1 }).truth()).length).toBe(OPTS.clients);
  });

  it('HMIS duplicates add rows with new PersonalIDs for the same person', () => {
    const dup = synthesize({ ...OPTS, defects: { coc: { duplicate: 0.05 } } });
    const rows = collect(dup.clients());
    expect(rows.length).toBe(OPTS.clients + Math.round(0.05 * OPTS.clients));
    expect(new Set(rows.map((r) => r.PersonalID)).size).toBe(rows.length);
    const t = collect(dup.truth());
    expect(t.length).toBe(dup.counts.truth);
    expect(new Set(t.map((p) => p.MemberID)).size).toBeLessThan(t.length);
  });
});

describe('synthesize: member and program lists', () => {
  const data = synthesize({ ...OPTS, referenceDate: '2026-01-01' });
  const members = collect(data.members());
  const programs = collect(data.programs());
  const byMid = new Map(members.map((r) => [r.MemberID, r]));
  const clientMembers = new Set(collect(data.truth()).map((t) => t.MemberID));

  it('member rows use the contract values', () => {
    const { check, broken } = ruleBook();
    for (const m of members) {
      check('Sex is F/M/U', ['F', 'M', 'U'].includes(m.Sex as string));
      check('CoverageType', ['Medi-Cal', 'D-SNP'].includes(m.CoverageType as string));
      check('MCP', m.MCP === 'Golden State Health Plan');
      check('DOB is ISO', /^\d{4}-\d{2}-\d{2}$/.test(m.DOB as string));
      check('start on the first of a month', /^\d{4}-\d{2}-01$/.test(m.EnrollmentStartDate as string));
      check('start before the reference date', (m.EnrollmentStartDate as string) < '2026-01-01');
      if (m.EnrollmentEndDate)
        check('end after start', m.EnrollmentEndDate > (m.EnrollmentStartDate as string));
      if (m.CoverageType === 'D-SNP') check('D-SNP is 65+', Number(m.DOB?.slice(0, 4)) <= 1961);
    }
    expect(broken()).toEqual([]);
    const ended = members.filter((m) => m.EnrollmentEndDate).length / members.length;
    expect(ended).toBeGreaterThan(0.03);
    expect(ended).toBeLessThan(0.12);
  });

  it('program episodes are consistent with the membership', () => {
    const names = new Set(PROGRAMS.map((p) => p.name));
    const { check, broken } = ruleBook();
    for (const p of programs) {
      const m = byMid.get(p.MemberID) as Record<string, string>;
      check('member exists', m !== undefined);
      check('program name is canonical', names.has(p.Program as string));
      check('provider given', p.Provider !== '');
      if (p.ProviderNPI) check('NPI valid', isValidNpi(p.ProviderNPI));
      const start = p.StartDate as string;
      check('start after plan start', start >= (m.EnrollmentStartDate as string));
      check('start after CalAIM launch', start >= '2022-01-01');
      check('start before the reference date', start < '2026-01-01');
      if (p.EndDate) {
        check('end after start', p.EndDate > start);
        check('end before the reference date', p.EndDate < '2026-01-01');
        if (m.EnrollmentEndDate) check('end by the plan end', p.EndDate <= m.EnrollmentEndDate);
      } else {
        check('open only while the membership is', m.EnrollmentEndDate === '');
      }
      if (p.Program === 'Transitional Rent') check('Transitional Rent from 2025-07', start >= '2025-07-01');
    }
    expect(broken()).toEqual([]);
  });

  it('episodes are far more common among members who are CoC clients, and some repeat', () => {
    const withEpisode = new Set(programs.map((p) => p.MemberID));
    const share = (ids: string[]) => ids.filter((id) => withEpisode.has(id)).length / ids.length;
    const mids = members.map((m) => m.MemberID as string);
    const homeless = share(mids.filter((id) => clientMembers.has(id)));
    const others = share(mids.filter((id) => !clientMembers.has(id)));
    expect(homeless).toBeGreaterThan(0.4);
    expect(others).toBeLessThan(0.08);
    expect(others).toBeGreaterThan(0.01);
    const keys = programs.map((p) => `${p.MemberID}|${p.Program}`);
    expect(new Set(keys).size).toBeLessThan(keys.length);
  });
});

describe('synthesize: options', () => {
  it('rejects invalid options with the option named', () => {
    expect(() => synthesize({ ...OPTS, clients: -1 })).toThrow(/clients/);
    expect(() => synthesize({ ...OPTS, members: 1.5 })).toThrow(/members/);
    expect(() => synthesize({ ...OPTS, overlap: 2 })).toThrow(/overlap/);
    expect(() => synthesize({ ...OPTS, members: 10, clients: 100 })).toThrow(/overlap/);
    expect(() => synthesize({ ...OPTS, referenceDate: '2026-02-30' })).toThrow(/referenceDate/);
    expect(() => synthesize({ ...OPTS, cocLayout: 'x' as never })).toThrow(/cocLayout/);
    expect(() => synthesize({ ...OPTS, defects: { coc: { nickname: 1.5 } } })).toThrow(
      /defects\.coc\.nickname/,
    );
    expect(() => synthesize({ ...OPTS, defects: { coc: { dobMissing: 0.6, dobApproximate: 0.6 } } })).toThrow(
      /DOB rates/,
    );
    expect(() => synthesize({ ...OPTS, defects: { coc: { nicknam: 0.1 } as never } })).toThrow(/nicknam/);
    expect(() => synthesize({ ...OPTS, seed: Number.NaN })).toThrow(/seed/);
  });

  it('writes the plan name and mixed date formats when asked', () => {
    const d = synthesize({ ...OPTS, mcpName: 'Test Plan', dateFormat: 'mixed' });
    const members = collect(d.members());
    expect(members.every((m) => m.MCP === 'Test Plan')).toBe(true);
    const formats = [
      /^\d{4}-\d{2}-\d{2}$/,
      /^\d{2}\/\d{2}\/\d{4}$/,
      /^\d{1,2}\/\d{1,2}\/\d{2}$/,
      /^\d{8}$/,
      /^\d{2}-[A-Z]{3}-\d{2}$/,
    ];
    const seen = new Set<number>();
    for (const m of members) {
      const f = formats.findIndex((re) => re.test(m.DOB as string));
      expect(f).toBeGreaterThanOrEqual(0);
      seen.add(f);
    }
    expect(seen.size).toBe(5);
    // HMIS layouts stay ISO.
    for (const c of synthesize({ ...OPTS, dateFormat: 'mixed', cocLayout: 'hmis-fy2026' }).clients()) {
      if (c.DOB) expect(c.DOB).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
