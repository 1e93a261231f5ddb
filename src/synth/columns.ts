/**
 * Column lists of the generated files, exactly as the data contract and HUD's HMIS CSV
 * specifications name them (domain.md §2.6).
 */
import { HMIS_CLIENT_HEADERS } from '../read/layouts.js';

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

/**
 * HUD HMIS CSV FY2026 v1.0 `Client.csv` header: the reader's own (`HMIS_CLIENT_HEADERS`), so a
 * generated file always has the header the reader detects.
 *
 * @example
 * ```ts
 * HMIS_FY2026_CLIENT_COLUMNS.includes('Sex'); // true
 * ```
 */
export const HMIS_FY2026_CLIENT_COLUMNS: readonly string[] = HMIS_CLIENT_HEADERS['hmis-fy2026'];

/**
 * HUD HMIS CSV FY2024 `Client.csv` header (gender columns instead of Sex), the reader's own.
 *
 * @example
 * ```ts
 * HMIS_FY2024_CLIENT_COLUMNS.includes('Woman'); // true
 * ```
 */
export const HMIS_FY2024_CLIENT_COLUMNS: readonly string[] = HMIS_CLIENT_HEADERS['hmis-fy2024'];
