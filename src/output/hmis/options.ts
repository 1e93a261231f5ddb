/**
 * Settings of the HMIS import files, their defaults and their validation. Plain serialisable data.
 */
import { isIsoDate } from '../../normalise/date.js';
import { VERSION } from '../../version.js';
import type { ClientTable } from './clients.js';
import { HUD_LISTS, inList } from './codes.js';
import type { HmisVersion } from './layouts.js';
import type { HmisFiles } from './read.js';

/**
 * Options of `buildHmisExport`.
 *
 * @example
 * ```ts
 * const clients = await readClientFile(fileBytes('Client.csv'));
 * const opts: HmisOptions = { projectId: 'MCP-GSHP', cocCode: 'CA-500', clients, exportDate: '2026-01-15' };
 * ```
 */
export interface HmisOptions {
  /** ProjectID of the plan's project in the CoC's HMIS (S32). */
  readonly projectId: string;
  /** HUD CoC code (`XX-999`, e.g. `CA-500`): ProjectCoC.csv and every enrollment's EnrollmentCoC. */
  readonly cocCode: string;
  /** Geocode of a new ProjectCoC row (HUD 2.03.2, 6 digits; default `000000`, to be set by the CoC). */
  readonly geocode?: string;
  /** The CoC's own HMIS Client.csv (`readClientFile`): its rows are copied unchanged into the export. */
  readonly clients: ClientTable;
  /**
   * The day the plan's data is as of (the return file's `--as-of`; default the export day): an open
   * coverage span is confirmed through it, and an enrollment the plan stops confirming is exited on
   * the last day recorded so.
   */
  readonly asOf?: string;
  /** HMIS CSV edition (default `2026`, i.e. FY2026 v1.0). */
  readonly version?: HmisVersion;
  /** OrganizationID (default: the existing project's, else the project ID). */
  readonly organizationId?: string;
  /** OrganizationName (default: the existing one, else the plan name when the return file has one). */
  readonly organizationName?: string;
  /** ProjectName (default: the existing one, else `<organization name> Medi-Cal Membership`). */
  readonly projectName?: string;
  /** ProjectType: 6 Services Only (default) or 7 Other. */
  readonly projectType?: 6 | 7;
  /** OperatingStartDate (default: the earliest of the existing value and every entry date). */
  readonly operatingStartDate?: string;
  /** Destination of every exit (HUD list 3.12; default 30, No exit interview completed). */
  readonly destination?: number;
  /** Export date, `YYYY-MM-DD` (midnight) or `YYYY-MM-DD hh:mm:ss` (default: now, local time). */
  readonly exportDate?: string;
  /** UserID on every record, written to User.csv (default `bloomlink`). */
  readonly userId?: string;
  /** SoftwareVersion of Export.csv (default: this library's version). */
  readonly softwareVersion?: string;
  /** Enrollment answers the plan does not collect (defaults 99, Data not collected). */
  readonly enrollmentDefaults?: {
    readonly DisablingCondition?: number;
    readonly LivingSituation?: number;
    readonly LengthOfStay?: number;
  };
  /** The CoC's existing export of the project: only changes against it are written. */
  readonly existing?: HmisFiles;
  /** Line numbers of the return rows in their file, for issues (default: index + 2). */
  readonly lines?: readonly number[];
  /** Name of the return file in issues (default `mcp-return.csv`). */
  readonly label?: string;
}

/**
 * {@link HmisOptions} with defaults that do not depend on the data applied.
 *
 * @example
 * ```ts
 * const o: ResolvedHmisOptions = resolveHmisOptions({ projectId: 'MCP-1', cocCode: 'CA-500', clients });
 * o.destination; // 30
 * ```
 */
export interface ResolvedHmisOptions {
  readonly projectId: string;
  /** Upper case. */
  readonly cocCode: string;
  readonly geocode: string;
  /** Not after `exportDay`. */
  readonly asOf: string;
  readonly version: HmisVersion;
  readonly projectType: 6 | 7;
  readonly destination: number;
  /** `YYYY-MM-DD hh:mm:ss`. */
  readonly timestamp: string;
  /** The date part of `timestamp`: records dated after it are left for a later run. */
  readonly exportDay: string;
  readonly userId: string;
  readonly softwareVersion: string;
  readonly disablingCondition: number;
  readonly livingSituation: number;
  readonly lengthOfStay: number;
  readonly label: string;
}

/**
 * A HUD CoC code: two letters, a hyphen, three digits (ProjectCoC's rule; the FY2026 EnrollmentCoC
 * regex has a typo, see domain notes).
 *
 * @example
 * ```ts
 * COC_CODE.test('CA-500'); // true
 * ```
 */
export const COC_CODE = /^[A-Za-z]{2}-[0-9]{3}$/;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?: ([01]\d|2[0-3]):([0-5]\d):([0-5]\d))?$/;
// Destinations that need a dependent field bloomlink cannot know (435 → subsidy type, 17 → text).
const NEEDS_DETAIL = new Set([17, 435]);

/**
 * Validates options and applies the defaults that do not depend on the data.
 *
 * @throws TypeError/RangeError naming the option
 * @example
 * ```ts
 * resolveHmisOptions({ projectId: 'MCP-1', cocCode: 'CA-500', clients, exportDate: '2026-01-15' }).timestamp; // '2026-01-15 00:00:00'
 * ```
 */
export function resolveHmisOptions(opts: HmisOptions, now: Date = new Date()): ResolvedHmisOptions {
  if (opts === null || typeof opts !== 'object') throw new TypeError('opts must be an object');
  const projectId = id(opts.projectId, 'opts.projectId');
  const version = opts.version ?? '2026';
  if (version !== '2026' && version !== '2024') throw new RangeError("opts.version must be '2026' or '2024'");
  const projectType = opts.projectType ?? 6;
  if (projectType !== 6 && projectType !== 7)
    throw new RangeError('opts.projectType must be 6 (Services Only) or 7 (Other)');
  const destination = opts.destination ?? 30;
  if (
    !Number.isInteger(destination) ||
    !inList(HUD_LISTS.Destination, destination) ||
    NEEDS_DETAIL.has(destination)
  ) {
    throw new RangeError('opts.destination must be a HUD 3.12 Destination code other than 17 and 435');
  }
  const timestamp = opts.exportDate === undefined ? localTimestamp(now) : parseTimestamp(opts.exportDate);
  if (opts.operatingStartDate !== undefined && !isIsoDate(opts.operatingStartDate)) {
    throw new TypeError('opts.operatingStartDate must be an ISO date (YYYY-MM-DD)');
  }
  if (opts.organizationId !== undefined) id(opts.organizationId, 'opts.organizationId');
  if (typeof opts.cocCode !== 'string' || !COC_CODE.test(opts.cocCode))
    throw new TypeError('opts.cocCode must be a HUD CoC code: two letters, a hyphen, three digits (CA-500)');
  const geocode = opts.geocode ?? '000000';
  if (typeof geocode !== 'string' || !/^[0-9]{6}$/.test(geocode))
    throw new TypeError('opts.geocode must be 6 digits');
  if (
    opts.clients === null ||
    typeof opts.clients !== 'object' ||
    !Array.isArray(opts.clients.columns) ||
    !(opts.clients.byId instanceof Map)
  ) {
    throw new TypeError("opts.clients must be the CoC's Client.csv as read by readClientFile");
  }
  const exportDay = timestamp.slice(0, 10);
  const asOf = opts.asOf ?? exportDay;
  if (!isIsoDate(asOf) || asOf > exportDay)
    throw new RangeError('opts.asOf must be an ISO date (YYYY-MM-DD) not after the export date');
  const d = opts.enrollmentDefaults ?? {};
  return {
    projectId,
    cocCode: opts.cocCode.toUpperCase(),
    geocode,
    asOf,
    version,
    projectType,
    destination,
    timestamp,
    exportDay,
    userId: opts.userId === undefined ? 'bloomlink' : id(opts.userId, 'opts.userId'),
    softwareVersion: opts.softwareVersion ?? VERSION,
    disablingCondition: code(
      d.DisablingCondition,
      HUD_LISTS.NoYesReasonsForMissingData,
      'DisablingCondition',
    ),
    livingSituation: code(d.LivingSituation, HUD_LISTS.LivingSituation, 'LivingSituation'),
    lengthOfStay: code(d.LengthOfStay, HUD_LISTS.LengthOfStay, 'LengthOfStay'),
    label: opts.label ?? 'mcp-return.csv',
  };
}

function id(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.trim() === '' || v.trim() !== v || v.length > 32) {
    throw new TypeError(
      `${name} must be a non-blank string of at most 32 characters without surrounding space`,
    );
  }
  return v;
}

function code(v: number | undefined, list: Readonly<Record<number, string>>, name: string): number {
  if (v === undefined) return 99;
  // Dependent fields (e.g. RentalSubsidyType for 435) are not written, so only self-contained codes are allowed.
  if (!Number.isInteger(v) || !inList(list, v) || v === 435) {
    throw new RangeError(
      `opts.enrollmentDefaults.${name} must be a code of its HUD list (435 is not supported)`,
    );
  }
  return v;
}

function parseTimestamp(s: string): string {
  const m = typeof s === 'string' ? TIMESTAMP.exec(s) : null;
  if (m?.[1] === undefined || !isIsoDate(m[1]))
    throw new TypeError('opts.exportDate must be YYYY-MM-DD or YYYY-MM-DD hh:mm:ss');
  return m[2] === undefined ? `${m[1]} 00:00:00` : s;
}

function localTimestamp(now: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(now.getFullYear()).padStart(4, '0')}-${p(now.getMonth() + 1)}-${p(now.getDate())} ` +
    `${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`
  );
}
