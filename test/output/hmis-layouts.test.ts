import { describe, expect, it } from 'vitest';
import { HUD_LISTS } from '../../src/output/hmis/codes.js';
import { HMIS_FILES, HMIS_LAYOUTS, hmisColumns } from '../../src/output/hmis/layouts.js';

// Header rows as HUD specifies them (HMIS CSV FY2026 v1.0 and FY2024; domain.md §2), typed out
// independently of the layout strings under test.
const ENROLLMENT_2026 =
  'EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,EnrollmentCoC,LivingSituation,RentalSubsidyType,LengthOfStay,LOSUnderThreshold,PreviousStreetESSH,DateToStreetESSH,TimesHomelessPastThreeYears,MonthsHomelessPastThreeYears,DisablingCondition,DateOfEngagement,MoveInDate,DateOfPATHStatus,ClientEnrolledInPATH,ReasonNotEnrolled,PercentAMI,ReferralSource,CountOutreachReferralApproaches,DateOfBCPStatus,EligibleForRHY,ReasonNoServices,RunawayYouth,FormerWardChildWelfare,ChildWelfareYears,ChildWelfareMonths,FormerWardJuvenileJustice,JuvenileJusticeYears,JuvenileJusticeMonths,UnemploymentFam,MentalHealthDisorderFam,PhysicalDisabilityFam,AlcoholDrugUseDisorderFam,InsufficientIncome,IncarceratedParent,VAMCStation,TargetScreenReqd,TimeToHousingLoss,AnnualPercentAMI,LiteralHomelessHistory,ClientLeaseholder,HOHLeaseholder,SubsidyAtRisk,EvictionHistory,CriminalRecord,IncarceratedAdult,PrisonDischarge,SexOffender,DisabledHoH,CurrentPregnant,SingleParent,DependentUnder6,HH5Plus,CoCPrioritized,HPScreeningScore,ThresholdScore,MentalHealthConsultation,DateCreated,DateUpdated,UserID,DateDeleted,ExportID';
const ENROLLMENT_2024 =
  'EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,EnrollmentCoC,LivingSituation,RentalSubsidyType,LengthOfStay,LOSUnderThreshold,PreviousStreetESSH,DateToStreetESSH,TimesHomelessPastThreeYears,MonthsHomelessPastThreeYears,DisablingCondition,DateOfEngagement,MoveInDate,DateOfPATHStatus,ClientEnrolledInPATH,ReasonNotEnrolled,PercentAMI,ReferralSource,CountOutreachReferralApproaches,DateOfBCPStatus,EligibleForRHY,ReasonNoServices,RunawayYouth,SexualOrientation,SexualOrientationOther,FormerWardChildWelfare,ChildWelfareYears,ChildWelfareMonths,FormerWardJuvenileJustice,JuvenileJusticeYears,JuvenileJusticeMonths,UnemploymentFam,MentalHealthDisorderFam,PhysicalDisabilityFam,AlcoholDrugUseDisorderFam,InsufficientIncome,IncarceratedParent,VAMCStation,TargetScreenReqd,TimeToHousingLoss,AnnualPercentAMI,LiteralHomelessHistory,ClientLeaseholder,HOHLeaseholder,SubsidyAtRisk,EvictionHistory,CriminalRecord,IncarceratedAdult,PrisonDischarge,SexOffender,DisabledHoH,CurrentPregnant,SingleParent,DependentUnder6,HH5Plus,CoCPrioritized,HPScreeningScore,ThresholdScore,TranslationNeeded,PreferredLanguage,PreferredLanguageDifferent,DateCreated,DateUpdated,UserID,DateDeleted,ExportID';
const SAME_IN_BOTH = {
  'Export.csv':
    'ExportID,SourceType,SourceID,SourceName,SourceContactFirst,SourceContactLast,SourceContactPhone,SourceContactExtension,SourceContactEmail,ExportDate,ExportStartDate,ExportEndDate,SoftwareName,SoftwareVersion,CSVVersion,ExportPeriodType,ExportDirective,HashStatus,ImplementationID',
  'Organization.csv':
    'OrganizationID,OrganizationName,VictimServiceProvider,OrganizationCommonName,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
  'User.csv':
    'UserID,UserFirstName,UserLastName,UserPhone,UserExtension,UserEmail,DateCreated,DateUpdated,DateDeleted,ExportID',
  'Project.csv':
    'ProjectID,OrganizationID,ProjectName,ProjectCommonName,OperatingStartDate,OperatingEndDate,ContinuumProject,ProjectType,HousingType,RRHSubType,ResidentialAffiliation,TargetPopulation,HOPWAMedAssistedLivingFac,PITCount,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
  'Exit.csv':
    'ExitID,EnrollmentID,PersonalID,ExitDate,Destination,DestinationSubsidyType,OtherDestination,HousingAssessment,SubsidyInformation,ProjectCompletionStatus,EarlyExitReason,ExchangeForSex,ExchangeForSexPastThreeMonths,CountOfExchangeForSex,AskedOrForcedToExchangeForSex,AskedOrForcedToExchangeForSexPastThreeMonths,WorkplaceViolenceThreats,WorkplacePromiseDifference,CoercedToContinueWork,LaborExploitPastThreeMonths,CounselingReceived,IndividualCounseling,FamilyCounseling,GroupCounseling,SessionCountAtExit,PostExitCounselingPlan,SessionsInPlan,DestinationSafeClient,DestinationSafeWorker,PosAdultConnections,PosPeerConnections,PosCommunityConnections,AftercareDate,AftercareProvided,EmailSocialMedia,Telephone,InPersonIndividual,InPersonGroup,CMExitReason,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
  // Green River's FY2024/FY2026 fixtures and hmis_structure spell ProjectCoC's column `Zip`.
  'ProjectCoC.csv':
    'ProjectCoCID,ProjectID,CoCCode,Geocode,Address1,Address2,City,State,Zip,GeographyType,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
  'Funder.csv':
    'FunderID,ProjectID,Funder,OtherFunder,GrantID,StartDate,EndDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
  'HMISParticipation.csv':
    'HMISParticipationID,ProjectID,HMISParticipationType,HMISParticipationStatusStartDate,HMISParticipationStatusEndDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
  // Appendix C custom file template.
  'CustomMCPEnrollment.csv':
    'CustomQuestionID,EnrollmentID,PersonalID,CustomQuestionGroup,CustomQuestionOrder,CustomQuestion,CustomAnswer,CustomDetailAnswer,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
  'CustomMCPServices.csv':
    'CustomQuestionID,EnrollmentID,PersonalID,CustomQuestionGroup,CustomQuestionOrder,CustomQuestion,CustomAnswer,CustomDetailAnswer,DateCreated,DateUpdated,UserID,DateDeleted,ExportID',
} as const;

describe('HMIS layouts', () => {
  it('spell every header exactly as HUD does', () => {
    expect(hmisColumns('Enrollment.csv', '2026').join(',')).toBe(ENROLLMENT_2026);
    expect(hmisColumns('Enrollment.csv', '2024').join(',')).toBe(ENROLLMENT_2024);
    for (const [file, header] of Object.entries(SAME_IN_BOTH)) {
      expect(hmisColumns(file as keyof typeof SAME_IN_BOTH, '2026').join(','), file).toBe(header);
      expect(hmisColumns(file as keyof typeof SAME_IN_BOTH, '2024').join(','), file).toBe(header);
    }
    // Every file written from a layout (Client.csv is the CoC's own, copied with its own header).
    expect([...HMIS_FILES].sort()).toEqual([...Object.keys(SAME_IN_BOTH), 'Enrollment.csv'].sort());
  });

  it('carry the FY2024/FY2026 type differences', () => {
    const sourceId = (v: '2024' | '2026') => HMIS_LAYOUTS[v]['Export.csv'].find((f) => f.name === 'SourceID');
    expect(sourceId('2026')?.max).toBe(350);
    expect(sourceId('2024')?.max).toBe(32);
    const enr = HMIS_LAYOUTS['2026']['Enrollment.csv'];
    expect(enr.filter((f) => f.required).map((f) => f.name)).toEqual([
      'EnrollmentID',
      'PersonalID',
      'ProjectID',
      'EntryDate',
      'HouseholdID',
      'RelationshipToHoH',
      'DisablingCondition',
      'DateCreated',
      'DateUpdated',
      'UserID',
      'ExportID',
    ]);
  });

  it('know the code lists they use', () => {
    expect(HUD_LISTS.Destination[30]).toBe('No exit interview completed');
    expect(Object.keys(HUD_LISTS.Destination)).not.toContain('335');
    expect(Object.keys(HUD_LISTS.LivingSituation)).toContain('335');
    expect(Object.keys(HUD_LISTS.RelationshipToHoH).map(Number)).toEqual([1, 2, 3, 4, 5, 99]);
    expect(HUD_LISTS.FundingSource[46]).toBe('Local or Other Funding Source');
    expect(HUD_LISTS.HMISParticipationType[1]).toBe('HMIS Participating');
    expect(Object.keys(HUD_LISTS.GeographyType).map(Number)).toEqual([1, 2, 3, 99]);
  });
});
