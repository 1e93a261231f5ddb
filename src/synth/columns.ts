/**
 * Column lists of the generated files, exactly as the data contract and HUD's HMIS CSV
 * specifications name them (domain.md §2.6).
 */

/**
 * CoC client list, contract layout.
 *
 * @example
 * ```ts
 * CONTRACT_CLIENT_COLUMNS[0]; // 'PersonalID'
 * ```
 */
export const CONTRACT_CLIENT_COLUMNS: readonly string[] = Object.freeze([
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
]);

/**
 * MCP member list.
 *
 * @example
 * ```ts
 * MEMBER_COLUMNS.includes('CIN'); // true
 * ```
 */
export const MEMBER_COLUMNS: readonly string[] = Object.freeze([
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
]);

/**
 * MCP program list (one row per member per ECM or Community Supports episode).
 *
 * @example
 * ```ts
 * PROGRAM_COLUMNS.join(','); // 'MemberID,Program,Provider,ProviderNPI,StartDate,EndDate'
 * ```
 */
export const PROGRAM_COLUMNS: readonly string[] = Object.freeze([
  'MemberID',
  'Program',
  'Provider',
  'ProviderNPI',
  'StartDate',
  'EndDate',
]);

/**
 * Ground truth: which client row is which member.
 *
 * @example
 * ```ts
 * TRUTH_COLUMNS; // ['PersonalID', 'MemberID']
 * ```
 */
export const TRUTH_COLUMNS: readonly string[] = Object.freeze(['PersonalID', 'MemberID']);

const HMIS_TAIL = [
  'VeteranStatus',
  'YearEnteredService',
  'YearSeparated',
  'WorldWarII',
  'KoreanWar',
  'VietnamWar',
  'DesertStorm',
  'AfghanistanOEF',
  'IraqOIF',
  'IraqOND',
  'OtherTheater',
  'MilitaryBranch',
  'DischargeStatus',
  'DateCreated',
  'DateUpdated',
  'UserID',
  'DateDeleted',
  'ExportID',
];

const HMIS_HEAD = [
  'PersonalID',
  'FirstName',
  'MiddleName',
  'LastName',
  'NameSuffix',
  'NameDataQuality',
  'SSN',
  'SSNDataQuality',
  'DOB',
  'DOBDataQuality',
];

/**
 * HUD HMIS CSV FY2026 v1.0 `Client.csv` header.
 *
 * @example
 * ```ts
 * HMIS_FY2026_CLIENT_COLUMNS.includes('Sex'); // true
 * ```
 */
export const HMIS_FY2026_CLIENT_COLUMNS: readonly string[] = Object.freeze([
  ...HMIS_HEAD,
  'Sex',
  'AmIndAKNative',
  'Asian',
  'BlackAfAmerican',
  'HispanicLatinao',
  'MidEastNAfrican',
  'NativeHIPacific',
  'White',
  'RaceNone',
  'AdditionalRaceEthnicity',
  ...HMIS_TAIL,
]);

/**
 * HUD HMIS CSV FY2024 `Client.csv` header (gender columns instead of Sex).
 *
 * @example
 * ```ts
 * HMIS_FY2024_CLIENT_COLUMNS.includes('Woman'); // true
 * ```
 */
export const HMIS_FY2024_CLIENT_COLUMNS: readonly string[] = Object.freeze([
  ...HMIS_HEAD,
  'AmIndAKNative',
  'Asian',
  'BlackAfAmerican',
  'HispanicLatinaeo',
  'MidEastNAfrican',
  'NativeHIPacific',
  'White',
  'RaceNone',
  'AdditionalRaceEthnicity',
  'Woman',
  'Man',
  'NonBinary',
  'CulturallySpecific',
  'Transgender',
  'Questioning',
  'DifferentIdentity',
  'GenderNone',
  'DifferentIdentityText',
  ...HMIS_TAIL,
]);
