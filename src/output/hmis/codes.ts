/**
 * HUD HMIS CSV code lists (Appendix B) used by the import files bloomlink writes. Generated from the
 * FY2024 and FY2026 lists (HUD HMIS CSV Format Specifications; the HUD data standards are a US
 * government work). Every other list below is identical in FY2024 and FY2026 (checked when generated), so
 * one table serves both versions. Keys are the field names the lists apply to.
 *
 * Generated file: edit by regenerating, not by hand. GeographyType, FundingSource and
 * HMISParticipationType were added from greenriver/hmis-warehouse `lib/data/2026_hud_lists.json`
 * (lists 2.03.4, 2.06.1, 2.08.1); FundingSource is the union of the two editions.
 */

/**
 * A code list: code → label.
 *
 * @example
 * ```ts
 * const yesNo: CodeList = HUD_LISTS.NoYes; // { 0: 'No', 1: 'Yes' }
 * ```
 */
export type CodeList = Readonly<Record<number, string>>;

/**
 * The lists, keyed by the HMIS CSV field (or concept) they apply to.
 *
 * @example
 * ```ts
 * HUD_LISTS.Destination[30]; // 'No exit interview completed'
 * HUD_LISTS.ProjectType[6]; // 'Services Only'
 * ```
 */
export const HUD_LISTS = Object.freeze({
  /** List 1.1. */
  ExportPeriodType: Object.freeze({
    1: 'Updated',
    3: 'Reporting period',
    4: 'Other',
  }) as CodeList,
  /** List 1.2. */
  ExportDirective: Object.freeze({
    1: 'Delta refresh',
    2: 'Full refresh',
    3: 'Other',
  }) as CodeList,
  /** List 1.5. */
  HashStatus: Object.freeze({
    1: 'Unhashed',
    2: 'SHA-1 RHY',
    3: 'Hashed - other',
    4: 'SHA-256 (RHY)',
  }) as CodeList,
  /** List 1.7. */
  NoYesMissing: Object.freeze({
    0: 'No',
    1: 'Yes',
    99: 'Data not collected',
  }) as CodeList,
  /** List 1.8. */
  NoYesReasonsForMissingData: Object.freeze({
    0: 'No',
    1: 'Yes',
    8: "Client doesn't know",
    9: 'Client prefers not to answer',
    99: 'Data not collected',
  }) as CodeList,
  /** List 1.9. */
  SourceType: Object.freeze({
    1: 'CoC HMIS',
    2: 'Standalone/agency-specific application',
    3: 'Data warehouse',
    4: 'Other',
  }) as CodeList,
  /** List 1.10. */
  NoYes: Object.freeze({
    0: 'No',
    1: 'Yes',
  }) as CodeList,
  /** List 2.02.6. */
  ProjectType: Object.freeze({
    0: 'Emergency Shelter - Entry Exit',
    1: 'Emergency Shelter - Night-by-Night',
    2: 'Transitional Housing',
    3: 'PH - Permanent Supportive Housing',
    4: 'Street Outreach',
    6: 'Services Only',
    8: 'Safe Haven',
    9: 'PH - Housing Only',
    7: 'Other',
    10: 'PH - Housing with Services (no disability required for entry)',
    11: 'Day Shelter',
    12: 'Homelessness Prevention',
    13: 'PH - Rapid Re-Housing',
    14: 'Coordinated Entry',
  }) as CodeList,
  /** List 2.02.7. */
  TargetPopulation: Object.freeze({
    1: 'DV: Survivor of Domestic Violence',
    3: 'HIV: Persons with HIV/AIDS',
    4: 'NA: Not applicable',
  }) as CodeList,
  /** List 2.02.8. */
  HOPWAMedAssistedLivingFac: Object.freeze({
    0: 'No',
    1: 'Yes',
    2: 'Non-HOPWA Funded Project',
  }) as CodeList,
  /** List 2.02.A. */
  RRHSubType: Object.freeze({
    1: 'RRH: Services Only',
    2: 'RRH: Housing with or without services',
  }) as CodeList,
  /** List 2.02.D. */
  HousingType: Object.freeze({
    1: 'Site-based - single site',
    2: 'Site-based - clustered / multiple sites',
    3: 'Tenant-based - scattered site',
  }) as CodeList,
  /** List 2.03.4. */
  GeographyType: Object.freeze({
    1: 'Urban',
    2: 'Suburban',
    3: 'Rural',
    99: 'Unknown / data not collected',
  }) as CodeList,
  /** List 2.06.1: the union of FY2024 and FY2026 (FY2026 dropped 12, 47, 48, 49 and added 56), so an existing export of either edition passes. */
  FundingSource: Object.freeze({
    1: 'HUD: CoC - Homelessness Prevention (High Performing Communities Only)',
    2: 'HUD: CoC - Permanent Supportive Housing',
    3: 'HUD: CoC - Rapid Re-Housing',
    4: 'HUD: CoC - Supportive Services Only',
    5: 'HUD: CoC - Transitional Housing',
    6: 'HUD: CoC - Safe Haven',
    7: 'HUD: CoC - Single Room Occupancy (SRO)',
    8: 'HUD: ESG - Emergency Shelter (operating and/or essential services)',
    9: 'HUD: ESG - Homelessness Prevention',
    10: 'HUD: ESG - Rapid Rehousing',
    11: 'HUD: ESG - Street Outreach',
    12: 'HUD: Rural Housing Stability Assistance Program [Deprecated]',
    13: 'HUD: HOPWA - Hotel/Motel Vouchers',
    14: 'HUD: HOPWA - Housing Information',
    15: 'HUD: HOPWA - Permanent Housing (facility based or TBRA)',
    16: 'HUD: HOPWA - Permanent Housing Placement',
    17: 'HUD: HOPWA - Short-Term Rent, Mortgage, Utility assistance',
    18: 'HUD: HOPWA - Short-Term Supportive Facility',
    19: 'HUD: HOPWA - Transitional Housing (facility based or TBRA)',
    20: 'HUD: HUD/VASH',
    21: 'HHS: PATH - Street Outreach & Supportive Services Only',
    22: 'HHS: RHY - Basic Center Program (prevention and shelter)',
    23: 'HHS: RHY - Maternity Group Home for Pregnant and Parenting Youth',
    24: 'HHS: RHY - Transitional Living Program',
    25: 'HHS: RHY - Street Outreach Project',
    26: 'HHS: RHY - Demonstration Project',
    27: 'VA: CRS Contract Residential Services',
    30: 'VA: Community Contract Safe Haven Program',
    32: 'VA: Compensated Work Therapy Transitional Residence',
    33: 'VA: Supportive Services for Veteran Families',
    34: 'N/A',
    35: 'HUD: Pay for Success',
    36: 'HUD: Public and Indian Housing (PIH) Programs',
    37: 'VA: Grant Per Diem - Bridge Housing',
    38: 'VA: Grant Per Diem - Low Demand',
    39: 'VA: Grant Per Diem - Hospital to Housing',
    40: 'VA: Grant Per Diem - Clinical Treatment',
    41: 'VA: Grant Per Diem - Service Intensive Transitional Housing',
    42: 'VA: Grant Per Diem - Transition in Place',
    43: 'HUD: CoC - Youth Homeless Demonstration Program (YHDP)',
    44: 'HUD: CoC - Joint Component TH/RRH',
    45: 'VA: Grant Per Diem - Case Management/Housing Retention',
    46: 'Local or Other Funding Source',
    47: 'HUD: ESG - CV',
    48: 'HUD: HOPWA - CV',
    49: 'HUD: CoC - Joint Component RRH/PSH [Deprecated]',
    50: 'HUD: HOME',
    51: 'HUD: HOME (ARP)',
    52: 'HUD: PIH (Emergency Housing Voucher)',
    53: 'HUD: ESG - RUSH',
    54: 'HUD: Unsheltered Special NOFO',
    55: 'HUD: Rural Special NOFO',
    56: 'HUD: CoC Builds',
  }) as CodeList,
  /** List 2.08.1. */
  HMISParticipationType: Object.freeze({
    0: 'Not Participating',
    1: 'HMIS Participating',
    2: 'Comparable Database Participating',
  }) as CodeList,
  /** List 3.12. */
  Destination: Object.freeze({
    8: "Client doesn't know",
    9: 'Client prefers not to answer',
    17: 'Other',
    24: 'Deceased',
    30: 'No exit interview completed',
    99: 'Data not collected',
    101: 'Emergency shelter, including hotel or motel paid for with emergency shelter voucher, or Host Home shelter',
    116: 'Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or anywhere outside)',
    118: 'Safe Haven',
    204: 'Psychiatric hospital or other psychiatric facility',
    205: 'Substance abuse treatment facility or detox center',
    206: 'Hospital or other residential non-psychiatric medical facility',
    207: 'Jail, prison or juvenile detention facility',
    215: 'Foster care home or foster care group home',
    225: 'Long-term care facility or nursing home',
    302: 'Transitional housing for homeless persons (including homeless youth)',
    312: 'Staying or living with family, temporary tenure (e.g. room, apartment or house)',
    313: 'Staying or living with friends, temporary tenure (e.g. room apartment or house)',
    314: 'Hotel or motel paid for without emergency shelter voucher',
    327: 'Moved from one HOPWA funded project to HOPWA TH',
    329: 'Residential project or halfway house with no homeless criteria',
    332: 'Host Home (non-crisis)',
    410: 'Rental by client, no ongoing housing subsidy',
    411: 'Owned by client, no ongoing housing subsidy',
    421: 'Owned by client, with ongoing housing subsidy',
    422: 'Staying or living with family, permanent tenure',
    423: 'Staying or living with friends, permanent tenure',
    426: 'Moved from one HOPWA funded project to HOPWA PH',
    435: 'Rental by client, with ongoing housing subsidy',
  }) as CodeList,
  /** List 3.12.A. */
  RentalSubsidyType: Object.freeze({
    428: 'GPD TIP housing subsidy',
    419: 'VASH housing subsidy',
    431: 'RRH or equivalent subsidy',
    433: 'HCV voucher (tenant or project based) (not dedicated)',
    434: 'Public housing unit',
    420: 'Rental by client, with other ongoing housing subsidy',
    436: 'Housing Stability Voucher',
    437: 'Family Unification Program Voucher (FUP)',
    438: 'Foster Youth to Independence Initiative (FYI)',
    439: 'Permanent Supportive Housing',
    440: 'Other permanent housing dedicated for formerly homeless persons',
  }) as CodeList,
  /** List 3.15.1. */
  RelationshipToHoH: Object.freeze({
    1: 'Self (head of household)',
    2: 'Child',
    3: 'Spouse or partner',
    4: 'Other relative',
    5: 'Unrelated household member',
    99: 'Data not collected',
  }) as CodeList,
  /** List 3.917. */
  LivingSituation: Object.freeze({
    8: "Client doesn't know",
    9: 'Client prefers not to answer',
    99: 'Data not collected',
    101: 'Emergency shelter, including hotel or motel paid for with emergency shelter voucher, or Host Home shelter',
    116: 'Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or anywhere outside)',
    118: 'Safe Haven',
    204: 'Psychiatric hospital or other psychiatric facility',
    205: 'Substance abuse treatment facility or detox center',
    206: 'Hospital or other residential non-psychiatric medical facility',
    207: 'Jail, prison or juvenile detention facility',
    215: 'Foster care home or foster care group home',
    225: 'Long-term care facility or nursing home',
    302: 'Transitional housing for homeless persons (including homeless youth)',
    314: 'Hotel or motel paid for without emergency shelter voucher',
    329: 'Residential project or halfway house with no homeless criteria',
    332: 'Host Home (non-crisis)',
    335: "Staying or living in a family member's room, apartment, or house",
    336: "Staying or living in a friend's room, apartment or house",
    410: 'Rental by client, no ongoing housing subsidy',
    411: 'Owned by client, no ongoing housing subsidy',
    421: 'Owned by client, with ongoing housing subsidy',
    435: 'Rental by client, with ongoing housing subsidy',
  }) as CodeList,
  /** List 3.917.2. */
  LengthOfStay: Object.freeze({
    2: 'One week or more, but less than one month',
    3: 'One month or more, but less than 90 days',
    4: '90 days or more but less than one year',
    5: 'One year or longer',
    8: "Client doesn't know",
    9: 'Client prefers not to answer',
    10: 'One night or less',
    11: 'Two to six nights',
    99: 'Data not collected',
  }) as CodeList,
});

/**
 * Whether `code` is in `list`.
 *
 * @example
 * ```ts
 * inList(HUD_LISTS.RelationshipToHoH, 1); // true
 * inList(HUD_LISTS.Destination, 335); // false (prior living situation only)
 * ```
 */
export function inList(list: CodeList, code: number): boolean {
  return Object.hasOwn(list, code);
}
