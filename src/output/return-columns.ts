/**
 * The MCP return file's shape (data contract, "MCP return file"): one row per matched client, the
 * fixed columns, then four columns per Community Supports service chosen for the exchange.
 */
import { COMMUNITY_SUPPORTS } from '../read/programs.js';
import type { CoverageType } from '../records.js';

/**
 * The fixed columns, in order.
 *
 * @example
 * ```ts
 * RETURN_BASE_COLUMNS[0]; // 'PersonalID'
 * RETURN_BASE_COLUMNS.length; // 16
 * ```
 */
export const RETURN_BASE_COLUMNS = Object.freeze([
  'PersonalID',
  'FirstName',
  'MiddleName',
  'LastName',
  'NameSuffix',
  'DOB',
  'MCP',
  'CoverageType',
  'MemberID',
  'CIN',
  'MCPEnrollmentDate',
  'MCPExitDate',
  'ECM',
  'ECMProvider',
  'ECMEnrollmentDate',
  'ECMDischargeDate',
] as const);

/**
 * Values of the `ECM` and `CS <Service>` columns.
 *
 * @example
 * ```ts
 * const s: EnrollmentStatus = 'not enrolled';
 * ```
 */
export type EnrollmentStatus = 'enrolled' | 'not enrolled';

/**
 * One program (ECM or a Community Supports service) of a return row: the episode chosen by the
 * episode rule (see `chooseEpisode`), or none.
 *
 * @example
 * ```ts
 * const ecm: ProgramStatus = { status: 'enrolled', provider: 'Bridgeway', enrollmentDate: '2025-02-23' };
 * const none: ProgramStatus = { status: 'not enrolled' };
 * ```
 */
export interface ProgramStatus {
  readonly status: EnrollmentStatus;
  readonly provider?: string;
  readonly enrollmentDate?: string;
  readonly dischargeDate?: string;
}

/**
 * One row of the return file as a typed object. Names and DOB are the plan's values.
 *
 * @example
 * ```ts
 * const { rows } = await readReturnFile(bytes);
 * for (const row of rows) console.log(row.cs['Housing Deposits']?.status); // 'enrolled'
 * ```
 */
export interface ReturnRow {
  readonly personalId: string;
  readonly firstName?: string;
  readonly middleName?: string;
  readonly lastName?: string;
  readonly nameSuffix?: string;
  readonly dob?: string;
  readonly mcp: string;
  readonly coverageType: CoverageType;
  readonly memberId: string;
  readonly cin?: string;
  readonly mcpEnrollmentDate: string;
  readonly mcpExitDate?: string;
  readonly ecm: ProgramStatus;
  /** One entry per service chosen for the exchange, keyed by canonical service name. */
  readonly cs: Readonly<Record<string, ProgramStatus>>;
}

/**
 * The four column names of one Community Supports service.
 *
 * @example
 * ```ts
 * csColumns('Housing Deposits');
 * // ['CS Housing Deposits', 'CS Housing Deposits Provider', 'CS Housing Deposits Enrollment Date', 'CS Housing Deposits Discharge Date']
 * ```
 */
export function csColumns(service: string): readonly [string, string, string, string] {
  const c = `CS ${service}`;
  return [c, `${c} Provider`, `${c} Enrollment Date`, `${c} Discharge Date`];
}

/**
 * Every column of a return file with the given services, in order.
 *
 * @example
 * ```ts
 * returnFileColumns(['Housing Deposits']).length; // 20
 * ```
 */
export function returnFileColumns(services: readonly string[]): string[] {
  const out: string[] = [...RETURN_BASE_COLUMNS];
  for (const s of services) out.push(...csColumns(s));
  return out;
}

/**
 * The Community Supports services a return file reports by default: the housing-related ones
 * (minimum necessary); others only when asked for.
 *
 * @example
 * ```ts
 * DEFAULT_SERVICES; // ['Housing Transition Navigation Services', 'Housing Deposits', 'Housing Tenancy and Sustaining Services']
 * ```
 */
export const DEFAULT_SERVICES: readonly string[] = Object.freeze([
  'Housing Transition Navigation Services',
  'Housing Deposits',
  'Housing Tenancy and Sustaining Services',
]);

const ORDER: ReadonlyMap<string, number> = new Map(COMMUNITY_SUPPORTS.map((cs, i) => [cs.name, i]));

/**
 * Sorts service names in the canonical order of domain.md §3.1 (the DHCS numbering), dropping
 * duplicates.
 *
 * @throws RangeError for a name that is not a canonical Community Supports service name
 * @example
 * ```ts
 * sortServices(['Transitional Rent', 'Housing Deposits']); // ['Housing Deposits', 'Transitional Rent']
 * ```
 */
export function sortServices(services: Iterable<string>): string[] {
  const set = new Set(services);
  for (const s of set)
    if (!ORDER.has(s)) throw new RangeError('services must be canonical Community Supports names');
  // Every service has a place in ORDER (checked just above).
  return [...set].sort((a, b) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0));
}
