import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { mapHeader } from '../../src/read/header.js';
import {
  COC_COLUMNS,
  detectLayout,
  HMIS_CLIENT_HEADERS,
  LIST_COLUMNS,
  MEMBER_COLUMNS,
  PROGRAM_COLUMNS,
} from '../../src/read/layouts.js';

const CONTRACT_COC = [
  'PersonalID',
  'MCPMemberID',
  'FirstName',
  'MiddleName',
  'LastName',
  'NameSuffix',
  'NameDataQuality',
  'DOB',
  'DOBDataQuality',
  'SSN',
  'SSNDataQuality',
  'Sex',
  'InformationDate',
];
const MEMBERS = [
  'MemberID',
  'CIN',
  'FirstName',
  'MiddleName',
  'LastName',
  'NameSuffix',
  'DOB',
  'Sex',
  'SSN',
  'MCP',
  'CoverageType',
  'EnrollmentStartDate',
  'EnrollmentEndDate',
];
const PROGRAMS = ['MemberID', 'Program', 'Provider', 'ProviderNPI', 'StartDate', 'EndDate'];

function code(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof BloomlinkError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('detectLayout', () => {
  it('recognises the contract lists and both HMIS Client.csv editions', () => {
    expect(detectLayout(CONTRACT_COC)).toEqual({ kind: 'coc', layout: 'contract' });
    expect(detectLayout(HMIS_CLIENT_HEADERS['hmis-fy2024'])).toEqual({ kind: 'coc', layout: 'hmis-fy2024' });
    expect(detectLayout(HMIS_CLIENT_HEADERS['hmis-fy2026'])).toEqual({ kind: 'coc', layout: 'hmis-fy2026' });
    expect(detectLayout(MEMBERS)).toEqual({ kind: 'members', layout: 'members' });
    expect(detectLayout(PROGRAMS)).toEqual({ kind: 'programs', layout: 'programs' });
  });

  it('matches case-insensitively, with quotes, spaces and a BOM around names, and aliases', () => {
    expect(detectLayout(['\uFEFFpersonalid', 'dob']).kind).toBe('coc');
    expect(detectLayout(['HMIS Client ID', 'DOB']).kind).toBe('coc');
    expect(detectLayout([' "MEMBERID" ', 'coveragetype']).kind).toBe('members');
    expect(detectLayout(['Member ID', 'mcp']).kind).toBe('members');
    expect(detectLayout(['memberid', 'PROGRAM']).kind).toBe('programs');
  });

  it('a contract list with FY2024 gender columns stays a contract list; HMIS without Sex or gender is FY2026', () => {
    expect(detectLayout([...CONTRACT_COC, 'Woman', 'Man']).layout).toBe('contract');
    const bare = HMIS_CLIENT_HEADERS['hmis-fy2026'].filter((c) => c !== 'Sex' && c !== 'HispanicLatinao');
    expect(detectLayout(bare).layout).toBe('hmis-fy2026');
  });

  it('throws LAYOUT_UNKNOWN for anything else', () => {
    expect(code(() => detectLayout([]))).toBe('LAYOUT_UNKNOWN');
    expect(code(() => detectLayout(['MemberID', 'FirstName']))).toBe('LAYOUT_UNKNOWN');
    expect(code(() => detectLayout(['ID', 'Name', 'DOB']))).toBe('LAYOUT_UNKNOWN');
  });
});

describe('column specs', () => {
  it('map the headers they describe', () => {
    expect([...mapHeader(CONTRACT_COC, COC_COLUMNS).index.keys()]).toEqual(CONTRACT_COC);
    expect(mapHeader(MEMBERS, MEMBER_COLUMNS).extra).toEqual([]);
    expect(mapHeader(PROGRAMS, PROGRAM_COLUMNS).extra).toEqual([]);
    for (const layout of ['hmis-fy2024', 'hmis-fy2026'] as const) {
      const { index } = mapHeader(HMIS_CLIENT_HEADERS[layout], COC_COLUMNS);
      for (const c of COC_COLUMNS.required) expect(index.has(c), `${layout} ${c}`).toBe(true);
    }
  });

  it('follow the data contract for required columns', () => {
    expect(COC_COLUMNS.required).toEqual([
      'PersonalID',
      'FirstName',
      'LastName',
      'NameDataQuality',
      'DOB',
      'DOBDataQuality',
    ]);
    expect(MEMBER_COLUMNS.required).toEqual([
      'MemberID',
      'FirstName',
      'LastName',
      'DOB',
      'MCP',
      'CoverageType',
      'EnrollmentStartDate',
    ]);
    expect(PROGRAM_COLUMNS.required).toEqual(['MemberID', 'Program', 'Provider', 'StartDate']);
    expect(LIST_COLUMNS).toEqual({ coc: COC_COLUMNS, members: MEMBER_COLUMNS, programs: PROGRAM_COLUMNS });
  });

  it('have the exact HUD header rows (FY2026: 38 columns with Sex, FY2024: 46 with gender)', () => {
    expect(HMIS_CLIENT_HEADERS['hmis-fy2026']).toHaveLength(38);
    expect(HMIS_CLIENT_HEADERS['hmis-fy2024']).toHaveLength(46);
    expect(HMIS_CLIENT_HEADERS['hmis-fy2026'][10]).toBe('Sex');
    expect(HMIS_CLIENT_HEADERS['hmis-fy2024']).toContain('HispanicLatinaeo');
    expect(HMIS_CLIENT_HEADERS['hmis-fy2026']).toContain('HispanicLatinao');
    expect(Object.isFrozen(HMIS_CLIENT_HEADERS['hmis-fy2024'])).toBe(true);
  });
});
