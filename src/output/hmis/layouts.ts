/**
 * Column specifications of the HMIS CSV files bloomlink writes, for FY2026 v1.0 and FY2024: exact
 * header order and spelling, type, length, nullability and code list of every column (domain.md §2;
 * HUD HMIS CSV Format Specifications). Written as compact strings, `Name:TypeLength!@List`:
 * `S32` string of at most 32 characters, `I` integer, `D` date, `T` timestamp; `!` required (not
 * null); `@List` the `HUD_LISTS` key of its code list. A bare name is a nullable integer.
 */
import { HUD_LISTS } from './codes.js';

/**
 * HMIS CSV edition: FY2026 v1.0 (`2026`) or FY2024 (`2024`).
 *
 * @example
 * ```ts
 * const v: HmisVersion = '2026';
 * ```
 */
export type HmisVersion = '2026' | '2024';

/**
 * The files bloomlink writes, in the order they are written.
 *
 * @example
 * ```ts
 * const f: HmisFileName = 'CustomMCPServices.csv';
 * ```
 */
export type HmisFileName =
  | 'Export.csv'
  | 'Organization.csv'
  | 'User.csv'
  | 'Project.csv'
  | 'ProjectCoC.csv'
  | 'Funder.csv'
  | 'HMISParticipation.csv'
  | 'Enrollment.csv'
  | 'Exit.csv'
  | 'CustomMCPEnrollment.csv'
  | 'CustomMCPServices.csv';

/**
 * One column's rules.
 *
 * @example
 * ```ts
 * const spec: FieldSpec = { name: 'ExportID', type: 'S', max: 32, required: true };
 * ```
 */
export interface FieldSpec {
  readonly name: string;
  readonly type: 'S' | 'I' | 'D' | 'T';
  /** Longest value of an `S` field, in characters. */
  readonly max?: number;
  readonly required: boolean;
  /** Key of the code list in `HUD_LISTS`. */
  readonly list?: keyof typeof HUD_LISTS;
}

/**
 * Every file bloomlink writes, in writing order.
 *
 * @example
 * ```ts
 * HMIS_FILES[0]; // 'Export.csv'
 * ```
 */
export const HMIS_FILES: readonly HmisFileName[] = Object.freeze([
  'Export.csv',
  'Organization.csv',
  'User.csv',
  'Project.csv',
  'ProjectCoC.csv',
  'Funder.csv',
  'HMISParticipation.csv',
  'Enrollment.csv',
  'Exit.csv',
  'CustomMCPEnrollment.csv',
  'CustomMCPServices.csv',
]);

const META = 'DateCreated:T! DateUpdated:T! UserID:S32! DateDeleted:T ExportID:S32!';

const EXPORT = (sourceIdMax: number): string =>
  `ExportID:S32! SourceType:I!@SourceType SourceID:S${sourceIdMax} SourceName:S50 SourceContactFirst:S50 ` +
  'SourceContactLast:S50 SourceContactPhone:S10 SourceContactExtension:S5 SourceContactEmail:S320 ExportDate:T! ' +
  'ExportStartDate:D! ExportEndDate:D! SoftwareName:S50! SoftwareVersion:S50 CSVVersion:S50 ' +
  'ExportPeriodType:I!@ExportPeriodType ExportDirective:I!@ExportDirective HashStatus:I!@HashStatus ImplementationID:S200!';

const ORGANIZATION =
  'OrganizationID:S32! OrganizationName:S200! VictimServiceProvider:I!@NoYes OrganizationCommonName:S200 ' +
  META;

const USER =
  'UserID:S32! UserFirstName:S50 UserLastName:S50 UserPhone:S10 UserExtension:S5 UserEmail:S320 ' +
  'DateCreated:T! DateUpdated:T! DateDeleted:T ExportID:S32!';

const PROJECT =
  'ProjectID:S32! OrganizationID:S32! ProjectName:S200! ProjectCommonName:S200 OperatingStartDate:D! OperatingEndDate:D ' +
  'ContinuumProject:I!@NoYes ProjectType:I@ProjectType HousingType:I@HousingType RRHSubType:I@RRHSubType ' +
  'ResidentialAffiliation:I@NoYesMissing TargetPopulation:I@TargetPopulation ' +
  'HOPWAMedAssistedLivingFac:I@HOPWAMedAssistedLivingFac PITCount ' +
  META;

// GR-S / GR-FX spell the column `Zip` (FY2024 and FY2026); Geocode is required (S6).
const PROJECT_COC =
  'ProjectCoCID:S32! ProjectID:S32! CoCCode:S6! Geocode:S6! Address1:S100 Address2:S100 City:S50 State:S2 ' +
  'Zip:S5 GeographyType:I@GeographyType ' +
  META;

const FUNDER =
  'FunderID:S32! ProjectID:S32! Funder:I!@FundingSource OtherFunder:S100 GrantID:S100! StartDate:D! EndDate:D ' +
  META;

const HMIS_PARTICIPATION =
  'HMISParticipationID:S32! ProjectID:S32! HMISParticipationType:I!@HMISParticipationType ' +
  'HMISParticipationStatusStartDate:D! HMISParticipationStatusEndDate:D ' +
  META;

const ENROLLMENT_HEAD =
  'EnrollmentID:S32! PersonalID:S32! ProjectID:S32! EntryDate:D! HouseholdID:S32! ' +
  'RelationshipToHoH:I!@RelationshipToHoH EnrollmentCoC:S6 LivingSituation:I@LivingSituation ' +
  'RentalSubsidyType:I@RentalSubsidyType LengthOfStay:I@LengthOfStay LOSUnderThreshold:I@NoYesMissing ' +
  'PreviousStreetESSH:I@NoYesMissing DateToStreetESSH:D TimesHomelessPastThreeYears MonthsHomelessPastThreeYears ' +
  'DisablingCondition:I!@NoYesReasonsForMissingData DateOfEngagement:D MoveInDate:D DateOfPATHStatus:D ' +
  'ClientEnrolledInPATH ReasonNotEnrolled PercentAMI ReferralSource CountOutreachReferralApproaches ' +
  'DateOfBCPStatus:D EligibleForRHY ReasonNoServices RunawayYouth';
const ENROLLMENT_MIDDLE =
  'FormerWardChildWelfare ChildWelfareYears ChildWelfareMonths FormerWardJuvenileJustice JuvenileJusticeYears ' +
  'JuvenileJusticeMonths UnemploymentFam MentalHealthDisorderFam PhysicalDisabilityFam AlcoholDrugUseDisorderFam ' +
  'InsufficientIncome IncarceratedParent VAMCStation:S5 TargetScreenReqd TimeToHousingLoss AnnualPercentAMI ' +
  'LiteralHomelessHistory ClientLeaseholder HOHLeaseholder SubsidyAtRisk EvictionHistory CriminalRecord ' +
  'IncarceratedAdult PrisonDischarge SexOffender DisabledHoH CurrentPregnant SingleParent DependentUnder6 HH5Plus ' +
  'CoCPrioritized HPScreeningScore ThresholdScore';
// FY2026 removed R3 Sexual Orientation and C4 Translation Assistance and added MentalHealthConsultation.
const ENROLLMENT: Readonly<Record<HmisVersion, string>> = {
  '2026': `${ENROLLMENT_HEAD} ${ENROLLMENT_MIDDLE} MentalHealthConsultation ${META}`,
  '2024':
    `${ENROLLMENT_HEAD} SexualOrientation SexualOrientationOther:S100 ${ENROLLMENT_MIDDLE} ` +
    `TranslationNeeded PreferredLanguage PreferredLanguageDifferent:S100 ${META}`,
};

const EXIT =
  'ExitID:S32! EnrollmentID:S32! PersonalID:S32! ExitDate:D! Destination:I!@Destination ' +
  'DestinationSubsidyType:I@RentalSubsidyType OtherDestination:S50 HousingAssessment SubsidyInformation ' +
  'ProjectCompletionStatus EarlyExitReason ExchangeForSex ExchangeForSexPastThreeMonths CountOfExchangeForSex ' +
  'AskedOrForcedToExchangeForSex AskedOrForcedToExchangeForSexPastThreeMonths WorkplaceViolenceThreats ' +
  'WorkplacePromiseDifference CoercedToContinueWork LaborExploitPastThreeMonths CounselingReceived ' +
  'IndividualCounseling FamilyCounseling GroupCounseling SessionCountAtExit PostExitCounselingPlan SessionsInPlan ' +
  'DestinationSafeClient DestinationSafeWorker PosAdultConnections PosPeerConnections PosCommunityConnections ' +
  'AftercareDate:D AftercareProvided EmailSocialMedia Telephone InPersonIndividual InPersonGroup CMExitReason ' +
  META;

// Appendix C "Custom*.csv" template, unchanged; bloomlink always links its rows to an enrollment.
const CUSTOM =
  'CustomQuestionID:S32! EnrollmentID:S32! PersonalID:S32! CustomQuestionGroup:S250 CustomQuestionOrder ' +
  'CustomQuestion:S250! CustomAnswer:S250 CustomDetailAnswer:S250 ' +
  META;

const SPEC_RE = /^([A-Za-z0-9]+)(?::([SIDT])(\d+)?)?(!)?(?:@([A-Za-z]+))?$/;

function parseSpecs(text: string): readonly FieldSpec[] {
  return Object.freeze(
    text.split(/\s+/).map((token): FieldSpec => {
      const m = SPEC_RE.exec(token);
      const [, name, type = 'I', max, bang, list] = m ?? [];
      if (name === undefined) throw new Error(`bad field spec ${token}`);
      if (list !== undefined && !(list in HUD_LISTS)) throw new Error(`unknown code list ${list}`);
      return Object.freeze({
        name,
        type: type as FieldSpec['type'],
        required: bang === '!',
        ...(max !== undefined && { max: Number(max) }),
        ...(list !== undefined && { list: list as keyof typeof HUD_LISTS }),
      });
    }),
  );
}

function layoutFor(version: HmisVersion): Readonly<Record<HmisFileName, readonly FieldSpec[]>> {
  return Object.freeze({
    'Export.csv': parseSpecs(EXPORT(version === '2026' ? 350 : 32)),
    'Organization.csv': parseSpecs(ORGANIZATION),
    'User.csv': parseSpecs(USER),
    'Project.csv': parseSpecs(PROJECT),
    'ProjectCoC.csv': parseSpecs(PROJECT_COC),
    'Funder.csv': parseSpecs(FUNDER),
    'HMISParticipation.csv': parseSpecs(HMIS_PARTICIPATION),
    'Enrollment.csv': parseSpecs(ENROLLMENT[version]),
    'Exit.csv': parseSpecs(EXIT),
    'CustomMCPEnrollment.csv': parseSpecs(CUSTOM),
    'CustomMCPServices.csv': parseSpecs(CUSTOM),
  });
}

/**
 * Column specs of every file, per version.
 *
 * @example
 * ```ts
 * HMIS_LAYOUTS['2026']['Enrollment.csv'].at(-1)?.name; // 'ExportID'
 * HMIS_LAYOUTS['2024']['Export.csv'].find((f) => f.name === 'SourceID')?.max; // 32
 * ```
 */
export const HMIS_LAYOUTS: Readonly<
  Record<HmisVersion, Readonly<Record<HmisFileName, readonly FieldSpec[]>>>
> = Object.freeze({ '2026': layoutFor('2026'), '2024': layoutFor('2024') });

/**
 * The header row of a file, exactly as HUD spells it.
 *
 * @example
 * ```ts
 * hmisColumns('Exit.csv', '2026')[0]; // 'ExitID'
 * ```
 */
export function hmisColumns(file: HmisFileName, version: HmisVersion): readonly string[] {
  return HMIS_LAYOUTS[version][file].map((f) => f.name);
}

/**
 * The `CSVVersion` value of Export.csv for a version.
 *
 * @example
 * ```ts
 * CSV_VERSION['2026']; // '2026 v1.0'
 * ```
 */
export const CSV_VERSION: Readonly<Record<HmisVersion, string>> = Object.freeze({
  '2026': '2026 v1.0',
  '2024': '2024 v1.2',
});
