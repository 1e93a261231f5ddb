/**
 * Column specs of the three input lists (data contract) and of HUD's HMIS CSV `Client.csv`, and the
 * detection of which list a header belongs to. Column names are matched case-insensitively; the
 * canonical spelling below is the one used in issues and output.
 */
import { BloomlinkError } from '../errors.js';
import type { GenderColumn } from '../normalise/sex.js';
import type { CocLayout, ListKind } from '../records.js';
import { headerKey } from './header.js';

/**
 * Which columns a list needs: the shape `mapHeader` takes. `aliases` maps a canonical column to other
 * header spellings accepted for it.
 */
export interface ColumnSpec {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly aliases: Readonly<Record<string, readonly string[]>>;
  /** Spellings used only when the header has none of the column's own (see `HeaderSpec`). */
  readonly fallbacks?: Readonly<Record<string, readonly string[]>>;
}

/**
 * HUD HMIS CSV `Client.csv` header rows, exactly as specified (FY2024 has the 3.06 Gender columns,
 * FY2026 has 4.21 `Sex` and spells `HispanicLatinao` without the second e).
 *
 * @example
 * ```ts
 * HMIS_CLIENT_HEADERS['hmis-fy2026'].includes('Sex'); // true
 * ```
 */
export const HMIS_CLIENT_HEADERS: Readonly<Record<'hmis-fy2024' | 'hmis-fy2026', readonly string[]>> =
  Object.freeze({
    'hmis-fy2024': Object.freeze(
      'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinaeo,MidEastNAfrican,NativeHIPacific,White,RaceNone,AdditionalRaceEthnicity,Woman,Man,NonBinary,CulturallySpecific,Transgender,Questioning,DifferentIdentity,GenderNone,DifferentIdentityText,VeteranStatus,YearEnteredService,YearSeparated,WorldWarII,KoreanWar,VietnamWar,DesertStorm,AfghanistanOEF,IraqOIF,IraqOND,OtherTheater,MilitaryBranch,DischargeStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID'.split(
        ',',
      ),
    ),
    'hmis-fy2026': Object.freeze(
      'PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinao,MidEastNAfrican,NativeHIPacific,White,RaceNone,AdditionalRaceEthnicity,VeteranStatus,YearEnteredService,YearSeparated,WorldWarII,KoreanWar,VietnamWar,DesertStorm,AfghanistanOEF,IraqOIF,IraqOND,OtherTheater,MilitaryBranch,DischargeStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID'.split(
        ',',
      ),
    ),
  });

/**
 * FY2024 3.06 Gender columns (0/1 each, GenderNone 8/9/99): weak sex evidence when there is no Sex
 * column (see `sexFromGenderColumns`).
 *
 * @example
 * ```ts
 * GENDER_COLUMNS.includes('Woman'); // true
 * ```
 */
export const GENDER_COLUMNS = Object.freeze([
  'Woman',
  'Man',
  'NonBinary',
  'CulturallySpecific',
  'Transgender',
  'Questioning',
  'DifferentIdentity',
  'GenderNone',
] as const satisfies readonly GenderColumn[]);

const NAME_COLUMNS = ['FirstName', 'LastName'] as const;
/**
 * Header spellings people write for the person columns (matching already ignores case, spaces and
 * underscores, so `Date of Birth`, `First Name`, `last_name` need no entry). Only spellings that
 * cannot mean another column: no `Name` (which part?), no `ID` or `Client ID` (a plan's own client
 * number is not the HMIS PersonalID, and `Client ID` would make a member list look like a CoC list).
 */
const PERSON_ALIASES = {
  DOB: ['DateOfBirth', 'BirthDate', 'BirthDt'],
  SSN: ['SocialSecurityNumber'],
  DOBDataQuality: ['DOBDQ'],
  NameDataQuality: ['NameDQ'],
  SSNDataQuality: ['SSNDQ'],
} as const;

/**
 * Last-four-SSN columns. A value of 4 digits is read as HUD's partial SSN `xxxxx` + the 4 digits
 * (SSNDataQuality 2, warning `SSN_PARTIAL`, when no SSNDataQuality says otherwise), the same as
 * 4 digits in an `SSN` column. Used only when the file has no SSN column of its own, so an export
 * with both is read from its full SSN column and is not refused as a duplicate.
 */
const SSN_FALLBACKS = { SSN: ['SSN4', 'Last4SSN', 'SSNLast4', 'Last4OfSSN', 'SSNLastFour'] } as const;

/**
 * The CoC client list: the contract list and both HMIS `Client.csv` layouts (one spec; the HMIS
 * metadata columns are optional so the same validator reads all three).
 *
 * @example
 * ```ts
 * COC_COLUMNS.required; // ['PersonalID', 'FirstName', 'LastName', 'NameDataQuality', 'DOB', 'DOBDataQuality']
 * ```
 */
export const COC_COLUMNS: ColumnSpec = freezeSpec({
  required: ['PersonalID', ...NAME_COLUMNS, 'NameDataQuality', 'DOB', 'DOBDataQuality'],
  optional: [
    'MCPMemberID',
    'MiddleName',
    'NameSuffix',
    'SSN',
    'SSNDataQuality',
    'Sex',
    ...GENDER_COLUMNS,
    'InformationDate',
    'DateCreated',
    'DateUpdated',
    'DateDeleted',
  ],
  aliases: {
    ...PERSON_ALIASES,
    PersonalID: ['HMISClientID'],
  },
  fallbacks: SSN_FALLBACKS,
});

/**
 * The MCP member list. The data-quality columns are not in the contract but are honoured when a plan
 * sends them.
 *
 * @example
 * ```ts
 * MEMBER_COLUMNS.required.includes('CoverageType'); // true
 * ```
 */
export const MEMBER_COLUMNS: ColumnSpec = freezeSpec({
  required: ['MemberID', ...NAME_COLUMNS, 'DOB', 'MCP', 'CoverageType', 'EnrollmentStartDate'],
  optional: [
    'CIN',
    'MiddleName',
    'NameSuffix',
    'Sex',
    'SSN',
    'EnrollmentEndDate',
    'NameDataQuality',
    'DOBDataQuality',
    'SSNDataQuality',
  ],
  aliases: { ...PERSON_ALIASES },
  fallbacks: SSN_FALLBACKS,
});

/**
 * The MCP program list (ECM and Community Supports episodes).
 *
 * @example
 * ```ts
 * PROGRAM_COLUMNS.required; // ['MemberID', 'Program', 'Provider', 'StartDate']
 * ```
 */
export const PROGRAM_COLUMNS: ColumnSpec = freezeSpec({
  required: ['MemberID', 'Program', 'Provider', 'StartDate'],
  optional: ['ProviderNPI', 'EndDate'],
  aliases: { ProviderNPI: ['NPI'] },
});

/**
 * Column spec per list kind.
 *
 * @example
 * ```ts
 * LIST_COLUMNS.programs === PROGRAM_COLUMNS; // true
 * ```
 */
export const LIST_COLUMNS: Readonly<Record<ListKind, ColumnSpec>> = Object.freeze({
  coc: COC_COLUMNS,
  members: MEMBER_COLUMNS,
  programs: PROGRAM_COLUMNS,
});

/** A detected layout: the list kind and, for a CoC list, which of its three header layouts. */
export interface DetectedLayout {
  readonly kind: ListKind;
  readonly layout: CocLayout | 'members' | 'programs';
}

const HMIS_ONLY = keys([
  'ExportID',
  'DateCreated',
  'DateUpdated',
  'VeteranStatus',
  'RaceNone',
  'AmIndAKNative',
]);
const FY2024_ONLY = keys(['Woman', 'Man', 'GenderNone', 'HispanicLatinaeo', 'DifferentIdentityText']);
const FY2026_ONLY = keys(['Sex', 'HispanicLatinao']);

/**
 * Which list a header row belongs to: `PersonalID` → CoC list (contract, HMIS FY2024 or FY2026),
 * `MemberID` with `MCP` or `CoverageType` → member list, `MemberID` with `Program` → program list.
 * Throws `BloomlinkError` `LAYOUT_UNKNOWN` otherwise. Header cells are never quoted in the message
 * (a file without a header would have data in its first row).
 *
 * @example
 * ```ts
 * detectLayout(['PersonalID', 'FirstName', 'LastName', 'DOB']); // { kind: 'coc', layout: 'contract' }
 * detectLayout(['MemberID', 'Program', 'Provider', 'StartDate']); // { kind: 'programs', layout: 'programs' }
 * ```
 */
export function detectLayout(header: readonly string[], label = 'input'): DetectedLayout {
  // Same matching as `mapHeader` (headerKey), so detection and column mapping never disagree.
  const present = new Set(header.map(headerKey));
  const has = (column: string, spec: ColumnSpec): boolean =>
    present.has(headerKey(column)) || (spec.aliases[column] ?? []).some((a) => present.has(headerKey(a)));
  if (has('PersonalID', COC_COLUMNS)) return { kind: 'coc', layout: cocLayout(present) };
  if (has('MemberID', MEMBER_COLUMNS)) {
    if (has('MCP', MEMBER_COLUMNS) || has('CoverageType', MEMBER_COLUMNS)) {
      return { kind: 'members', layout: 'members' };
    }
    if (has('Program', PROGRAM_COLUMNS)) return { kind: 'programs', layout: 'programs' };
  }
  throw new BloomlinkError(
    'LAYOUT_UNKNOWN',
    `${label}: header not recognised: expected PersonalID (CoC client list), MemberID with MCP or CoverageType (member list), or MemberID with Program (program list)`,
  );
}

function cocLayout(present: ReadonlySet<string>): CocLayout {
  if (!HMIS_ONLY.some((k) => present.has(k))) return 'contract';
  if (FY2024_ONLY.some((k) => present.has(k)) && !FY2026_ONLY.some((k) => present.has(k))) {
    return 'hmis-fy2024';
  }
  return 'hmis-fy2026';
}

function keys(names: readonly string[]): readonly string[] {
  return names.map(headerKey);
}

function freezeSpec(spec: ColumnSpec): ColumnSpec {
  return Object.freeze({
    required: Object.freeze([...spec.required]),
    optional: Object.freeze([...spec.optional]),
    aliases: Object.freeze({ ...spec.aliases }),
    ...(spec.fallbacks && { fallbacks: Object.freeze({ ...spec.fallbacks }) }),
  });
}
