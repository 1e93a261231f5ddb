/**
 * The export-level records: Export.csv, Organization.csv, User.csv and Project.csv. Names and dates
 * come from the options, else from the existing export (so an incremental run never renames what the
 * CoC set up), else from the data.
 */

import type { ExistingIndex } from './existing.js';
import { CSV_VERSION } from './layouts.js';
import type { HmisOptions, ResolvedHmisOptions } from './options.js';
import { createdOr } from './records.js';
import type { HmisValues } from './table.js';
import { clipText } from './text.js';

/**
 * Organization name when neither the options, the existing export nor the data give one.
 *
 * @example
 * ```ts
 * DEFAULT_ORGANIZATION_NAME; // 'Medi-Cal Managed Care Plan'
 * ```
 */
export const DEFAULT_ORGANIZATION_NAME = 'Medi-Cal Managed Care Plan';
/**
 * The software name written to Export.csv.
 *
 * @example
 * ```ts
 * SOFTWARE_NAME; // 'bloomlink'
 * ```
 */
export const SOFTWARE_NAME = 'bloomlink';

/**
 * The metadata rows of an export, without ExportID (set once every row is known).
 *
 * @example
 * ```ts
 * const { project, organizationId } = metadataRows(opts, resolved, existing, plans, earliest);
 * ```
 */
export interface MetadataRows {
  readonly organization: HmisValues;
  readonly user: HmisValues;
  readonly project: HmisValues;
  readonly organizationId: string;
  readonly organizationName: string;
}

/**
 * Organization, User and Project rows for this run.
 *
 * @param plans - distinct plan names of the return rows (the organization name when exactly one)
 * @param earliestEntry - earliest entry date of the return rows, if any
 * @example
 * ```ts
 * const meta = metadataRows(opts, resolved, existing, ['Golden State Health Plan'], '2024-07-01');
 * ```
 */
export function metadataRows(
  opts: HmisOptions,
  o: ResolvedHmisOptions,
  ex: ExistingIndex,
  plans: ReadonlySet<string>,
  earliestEntry: string | undefined,
): MetadataRows {
  const oldProject = ex.metadata.get('Project.csv')?.get(o.projectId);
  const organizationId = opts.organizationId ?? nonEmpty(oldProject?.OrganizationID) ?? o.projectId;
  const oldOrg = ex.metadata.get('Organization.csv')?.get(organizationId);
  const onlyPlan = plans.size === 1 ? [...plans][0] : undefined;
  const organizationName =
    opts.organizationName !== undefined
      ? clipText(opts.organizationName, 200)
      : (nonEmpty(oldOrg?.OrganizationName) ?? clipText(onlyPlan ?? DEFAULT_ORGANIZATION_NAME, 200));
  const projectName =
    opts.projectName !== undefined
      ? clipText(opts.projectName, 200)
      : (nonEmpty(oldProject?.ProjectName) ?? clipText(`${organizationName} Medi-Cal Membership`, 200));
  const starts = [
    opts.operatingStartDate ?? nonEmpty(oldProject?.OperatingStartDate),
    opts.operatingStartDate ? undefined : earliestEntry,
  ]
    .filter((d): d is string => d !== undefined)
    .sort();
  const ts = o.timestamp;
  return {
    organizationId,
    organizationName,
    organization: {
      OrganizationID: organizationId,
      OrganizationName: organizationName,
      VictimServiceProvider: 0,
      DateCreated: createdOr(oldOrg?.DateCreated, ts),
    },
    user: {
      UserID: o.userId,
      DateCreated: createdOr(ex.metadata.get('User.csv')?.get(o.userId)?.DateCreated, ts),
    },
    project: {
      ProjectID: o.projectId,
      OrganizationID: organizationId,
      ProjectName: projectName,
      OperatingStartDate: starts[0] ?? o.exportDay,
      ContinuumProject: 0,
      ProjectType: o.projectType,
      // 2.02.7: Services Only projects say whether they are affiliated with a residential project.
      ResidentialAffiliation: o.projectType === 6 ? 0 : undefined,
      TargetPopulation: 4,
      DateCreated: createdOr(oldProject?.DateCreated, ts),
    },
  };
}

/**
 * The Export.csv row (ExportID added by the caller). A run against an existing export is a delta
 * refresh of what changed on the export day (ExportPeriodType 1 Updated, ExportDirective 1); a run
 * without one is a full refresh of the reporting period from the earliest entry date to the export
 * day (ExportPeriodType 3, ExportDirective 2).
 *
 * @example
 * ```ts
 * exportRow(resolved, meta, false, '2024-07-01').ExportDirective; // 2
 * ```
 */
export function exportRow(
  o: ResolvedHmisOptions,
  meta: MetadataRows,
  incremental: boolean,
  earliestWritten: string | undefined,
): HmisValues {
  return {
    SourceType: 4,
    SourceName: clipText(meta.organizationName, 50),
    ExportDate: o.timestamp,
    ExportStartDate: incremental ? o.exportDay : (earliestWritten ?? o.exportDay),
    ExportEndDate: o.exportDay,
    SoftwareName: SOFTWARE_NAME,
    SoftwareVersion: clipText(o.softwareVersion, 50),
    CSVVersion: CSV_VERSION[o.version],
    ExportPeriodType: incremental ? 1 : 3,
    ExportDirective: incremental ? 1 : 2,
    HashStatus: 1,
    ImplementationID: `${SOFTWARE_NAME}:${meta.organizationId}`,
  };
}

/**
 * Whether a metadata row differs from the existing one in anything but its metadata columns.
 *
 * @example
 * ```ts
 * metadataChanged(['ProjectID', 'ProjectName'], ['P1', 'New'], { ProjectID: 'P1', ProjectName: 'Old' }); // true
 * ```
 */
export function metadataChanged(
  columns: readonly string[],
  cells: readonly string[],
  old: Readonly<Record<string, string>> | undefined,
): boolean {
  if (old === undefined) return true;
  return columns.some((c, i) => !SKIP.has(c) && (old[c] ?? '') !== cells[i]);
}

const SKIP = new Set(['DateCreated', 'DateUpdated', 'UserID', 'DateDeleted', 'ExportID']);

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
