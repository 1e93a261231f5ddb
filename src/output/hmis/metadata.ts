/**
 * The export-level records: Export.csv and the project's set-up (Organization, User, Project,
 * ProjectCoC, Funder, HMISParticipation). What the existing export holds is kept exactly; the
 * options and the data only fill in what it does not hold.
 */

import type { ExistingIndex, ExistingRow } from './existing.js';
import { stableId } from './ids.js';
import { CSV_VERSION, type HmisFileName } from './layouts.js';
import type { HmisOptions, ResolvedHmisOptions } from './options.js';
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
 * The project-level rows of an export, without ExportID (set once every row is known). Rows the
 * existing export already holds are carried exactly as they are (the CoC's set-up: ContinuumProject,
 * OperatingStartDate, UserID, DateCreated, …); only missing ones are created.
 *
 * @example
 * ```ts
 * const meta = metadataRows(opts, resolved, existing, plans, earliest);
 * meta.rows.get('Project.csv')?.[0]?.ProjectID;
 * ```
 */
export interface MetadataRows {
  /** Rows per file (Organization, User, Project, ProjectCoC, Funder, HMISParticipation). */
  readonly rows: ReadonlyMap<HmisFileName, readonly HmisValues[]>;
  readonly organizationId: string;
  readonly organizationName: string;
  /** The project's OperatingStartDate as written. */
  readonly operatingStartDate: string;
}

/**
 * Organization, User, Project, ProjectCoC, Funder and HMISParticipation rows for this run.
 *
 * @param plans - distinct plan names of the return rows (the organization name when exactly one)
 * @param earliestEntry - earliest entry date of the enrollments written, if any
 * @example
 * ```ts
 * const meta = metadataRows(opts, resolved, existing, new Set(['Golden State Health Plan']), '2024-07-01');
 * ```
 */
export function metadataRows(
  opts: Pick<HmisOptions, 'organizationId' | 'organizationName' | 'projectName' | 'operatingStartDate'>,
  o: ResolvedHmisOptions,
  ex: ExistingIndex,
  plans: ReadonlySet<string>,
  earliestEntry: string | undefined,
): MetadataRows {
  const old = (f: HmisFileName) => ex.metadata.get(f) ?? new Map<string, ExistingRow>();
  const oldProject = old('Project.csv').get(o.projectId);
  const organizationId = nonEmpty(oldProject?.OrganizationID) ?? opts.organizationId ?? o.projectId;
  const oldOrg = old('Organization.csv').get(organizationId);
  const onlyPlan = plans.size === 1 ? [...plans][0] : undefined;
  const organizationName =
    nonEmpty(oldOrg?.OrganizationName) ??
    clipText(opts.organizationName ?? onlyPlan ?? DEFAULT_ORGANIZATION_NAME, 200);
  const projectName = clipText(opts.projectName ?? `${organizationName} Medi-Cal Membership`, 200);
  const ts = o.timestamp;
  const rows = new Map<HmisFileName, HmisValues[]>();

  rows.set('Organization.csv', [
    oldOrg ??
      ({
        OrganizationID: organizationId,
        OrganizationName: organizationName,
        VictimServiceProvider: 0,
        UserID: o.userId,
        DateCreated: ts,
        DateUpdated: ts,
      } as HmisValues),
  ]);
  const users: HmisValues[] = [...old('User.csv').values()];
  if (!old('User.csv').has(o.userId)) users.push({ UserID: o.userId, DateCreated: ts, DateUpdated: ts });
  rows.set('User.csv', users);

  const start =
    nonEmpty(oldProject?.OperatingStartDate) ??
    opts.operatingStartDate ??
    (earliestEntry !== undefined && earliestEntry < o.exportDay ? earliestEntry : o.exportDay);
  rows.set('Project.csv', [
    oldProject ?? {
      ProjectID: o.projectId,
      OrganizationID: organizationId,
      ProjectName: projectName,
      OperatingStartDate: start,
      ContinuumProject: 0,
      ProjectType: o.projectType,
      // 2.02.7: Services Only projects say whether they are affiliated with a residential project.
      ResidentialAffiliation: o.projectType === 6 ? 0 : undefined,
      TargetPopulation: 4,
      UserID: o.userId,
      DateCreated: ts,
      DateUpdated: ts,
    },
  ]);

  const cocs: HmisValues[] = [...old('ProjectCoC.csv').values()];
  if (!cocs.some((r) => String(r.CoCCode ?? '').toUpperCase() === o.cocCode)) {
    cocs.push({
      ProjectCoCID: stableId('projectcoc', o.projectId, o.cocCode),
      ProjectID: o.projectId,
      CoCCode: o.cocCode,
      Geocode: o.geocode,
      UserID: o.userId,
      DateCreated: ts,
      DateUpdated: ts,
    });
  }
  rows.set('ProjectCoC.csv', cocs);

  const funders: HmisValues[] = [...old('Funder.csv').values()];
  if (funders.length === 0) {
    funders.push({
      FunderID: stableId('funder', o.projectId),
      ProjectID: o.projectId,
      // 46 Local or Other Funding Source: Medi-Cal managed care is no HUD, HHS or VA funder.
      Funder: 46,
      OtherFunder: FUNDER_NAME,
      GrantID: GRANT_ID,
      StartDate: start,
      UserID: o.userId,
      DateCreated: ts,
      DateUpdated: ts,
    });
  }
  rows.set('Funder.csv', funders);

  const participation: HmisValues[] = [...old('HMISParticipation.csv').values()];
  if (participation.length === 0) {
    participation.push({
      HMISParticipationID: stableId('participation', o.projectId),
      ProjectID: o.projectId,
      HMISParticipationType: 1,
      HMISParticipationStatusStartDate: start,
      UserID: o.userId,
      DateCreated: ts,
      DateUpdated: ts,
    });
  }
  rows.set('HMISParticipation.csv', participation);
  return { rows, organizationId, organizationName, operatingStartDate: start };
}

/**
 * OtherFunder of the Funder.csv row bloomlink creates (Funder 46, Local or Other Funding Source).
 *
 * @example
 * ```ts
 * FUNDER_NAME; // 'Medi-Cal managed care (CalAIM ECM and Community Supports)'
 * ```
 */
export const FUNDER_NAME = 'Medi-Cal managed care (CalAIM ECM and Community Supports)';
/**
 * GrantID of the Funder.csv row bloomlink creates (required by HUD; there is no grant).
 *
 * @example
 * ```ts
 * GRANT_ID; // 'CalAIM'
 * ```
 */
export const GRANT_ID = 'CalAIM';

/**
 * The Export.csv row (ExportID added by the caller). Every export is a full refresh of the MCP
 * project (ExportPeriodType 3 Reporting period, ExportDirective 2 Full refresh) from the earliest of
 * the OperatingStartDate and every entry date it holds to the export day: it holds every record of
 * the project, so an importer that is authoritative for the project over that range deletes only
 * what bloomlink deleted on purpose.
 *
 * @example
 * ```ts
 * exportRow(resolved, meta, '2024-07-01').ExportDirective; // 2
 * ```
 */
export function exportRow(
  o: ResolvedHmisOptions,
  meta: MetadataRows,
  earliestEntry: string | undefined,
): HmisValues {
  const starts = [meta.operatingStartDate, earliestEntry, o.exportDay].filter(
    (d): d is string => d !== undefined && d !== '',
  );
  return {
    SourceType: 4,
    SourceID: o.cocCode,
    SourceName: clipText(meta.organizationName, 50),
    ExportDate: o.timestamp,
    ExportStartDate: starts.sort()[0],
    ExportEndDate: o.exportDay,
    SoftwareName: SOFTWARE_NAME,
    SoftwareVersion: clipText(o.softwareVersion, 50),
    CSVVersion: CSV_VERSION[o.version],
    ExportPeriodType: 3,
    ExportDirective: 2,
    HashStatus: 1,
    ImplementationID: `${SOFTWARE_NAME}:${meta.organizationId}`,
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
