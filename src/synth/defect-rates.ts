/**
 * How often each data defect is injected (domain.md §4). Every rate is a probability per record;
 * where a defect needs something to act on (a nickname needs a first name that has nicknames, a
 * day/month swap needs a day ≤ 12), the rate is among the records where it can apply.
 *
 * The CoC side is much dirtier than the plan side: HMIS data is collected at intake, often in street
 * outreach, from self-report, while the plan's member list comes from Medi-Cal eligibility (MEDS)
 * with legal names and verified DOB/SSN.
 */

/**
 * Defects both lists can have.
 *
 * @example
 * ```ts
 * const r: SharedDefectRates = DEFAULT_DEFECT_RATES.members;
 * ```
 */
export interface SharedDefectRates {
  /** First name replaced by one of its nicknames (ROBERT → BOB). Among first names that have one. */
  readonly nickname: number;
  /** Goes by the middle name: recorded first name is the middle name, middle blank. Among persons with one. */
  readonly middleAsFirst: number;
  /** One typo in the first name (keyboard/phonetic substitution, deletion, insertion, transposition). */
  readonly typoFirst: number;
  /** One typo in the last name. */
  readonly typoLast: number;
  /** First and last name swapped. */
  readonly swapNames: number;
  /** Compound surname recorded as one part only. Among persons with a two-part surname. */
  readonly compoundPartOnly: number;
  /** Recorded under another surname (marriage/divorce). Among women aged 20 and over. */
  readonly marriedName: number;
  /** Middle name left blank. Among persons with a middle name. */
  readonly middleMissing: number;
  /** Middle name recorded as its initial only. Among persons with a middle name it was not dropped for. */
  readonly middleInitialOnly: number;
  /** Suffix (JR, SR, II, III) not recorded. Among persons with a suffix. */
  readonly suffixMissing: number;
  /** DOB day and month swapped. Among DOBs with day ≤ 12 and day ≠ month. */
  readonly dobDayMonthSwap: number;
  /** One digit of the DOB wrong (still a real date). */
  readonly dobDigitTypo: number;
  /** DOB year off by one. */
  readonly dobYearOffByOne: number;
  /** SSN not recorded (CoC: DQ 8, 9 or 99). Among persons who have an SSN. */
  readonly ssnMissing: number;
  /** One digit of a recorded full SSN wrong, or two adjacent digits transposed. */
  readonly ssnTypo: number;
  /** Sex not recorded (CoC: 8, 9, 99 or blank; plan: `U`). */
  readonly sexMissing: number;
  /** Sex recorded as the other value. */
  readonly sexWrong: number;
}

/**
 * Defects only the CoC list has (they show in HUD data-quality codes the plan list does not carry).
 *
 * @example
 * ```ts
 * const r: ClientDefectRates = { ...DEFAULT_DEFECT_RATES.coc, streetName: 0.05 };
 * ```
 */
export interface ClientDefectRates extends SharedDefectRates {
  /** Street or code name: first name replaced, NameDataQuality 2. Among adults. */
  readonly streetName: number;
  /** Among street names, the surname is also missing. */
  readonly streetNameNoSurname: number;
  /** All name fields blank, NameDataQuality 8, 9 or 99. */
  readonly namesMissing: number;
  /** Suffix typed into the last-name field (`SMITH JR`). Among persons with a suffix it was not dropped for. */
  readonly suffixInLastName: number;
  /** Approximate DOB: 01/01 or 07/01 of a year near the real one, DOBDataQuality 2. */
  readonly dobApproximate: number;
  /** DOB blank with DOBDataQuality 8, 9 or 99. */
  readonly dobMissing: number;
  /** Placeholder DOB 1900-01-01 (the system demanded a value). */
  readonly dobPlaceholder: number;
  /** Real DOB present but DOBDataQuality 8, 9 or 99 (the inconsistency HUD's DQ report flags). */
  readonly dobQualityMismatch: number;
  /** SSN partial with `x` for unknown digits, SSNDataQuality 2. Among persons who have an SSN. */
  readonly ssnPartial: number;
  /**
   * HMIS-style duplicate clients: this share of CoC persons gets a second client row (new PersonalID,
   * independently drawn defects). Off by default.
   */
  readonly duplicate: number;
}

/**
 * Defect rates of the plan's member list.
 *
 * @example
 * ```ts
 * const r: MemberDefectRates = { ...DEFAULT_DEFECT_RATES.members, nickname: 0 };
 * ```
 */
export type MemberDefectRates = SharedDefectRates;

/**
 * Defect rates of both lists.
 *
 * @example
 * ```ts
 * const rates: DefectRates = DEFAULT_DEFECT_RATES;
 * ```
 */
export interface DefectRates {
  readonly coc: ClientDefectRates;
  readonly members: MemberDefectRates;
}

/**
 * Per-list overrides of {@link DefectRates}; anything not given keeps its default.
 *
 * @example
 * ```ts
 * const o: DefectRateOverrides = { coc: { nickname: 0.2 }, members: { ssnMissing: 0.2 } };
 * ```
 */
export interface DefectRateOverrides {
  readonly coc?: Partial<ClientDefectRates>;
  readonly members?: Partial<MemberDefectRates>;
}

/**
 * Default rates. Sources for the orders of magnitude: domain.md §4.3 priors (shelter/outreach: 5–20%
 * of names partial or missing, 5–15% approximate or missing DOB, 20–40% SSN missing or partial; the
 * SSN share is set higher because many CoCs do not collect it); typos and short forms dominate
 * (Calgary linkage study, §4.1). Kept at realistic, not adversarial, levels.
 *
 * @example
 * ```ts
 * import { DEFAULT_DEFECT_RATES } from 'bloomlink/synth';
 * DEFAULT_DEFECT_RATES.coc.nickname; // 0.08
 * ```
 */
export const DEFAULT_DEFECT_RATES: DefectRates = Object.freeze({
  coc: Object.freeze({
    nickname: 0.08,
    middleAsFirst: 0.01,
    typoFirst: 0.03,
    typoLast: 0.03,
    swapNames: 0.01,
    compoundPartOnly: 0.35,
    marriedName: 0.03,
    middleMissing: 0.55,
    middleInitialOnly: 0.3,
    suffixMissing: 0.4,
    dobDayMonthSwap: 0.02,
    dobDigitTypo: 0.02,
    dobYearOffByOne: 0.015,
    ssnMissing: 0.55,
    ssnTypo: 0.01,
    sexMissing: 0.03,
    sexWrong: 0.003,
    streetName: 0.015,
    streetNameNoSurname: 0.3,
    namesMissing: 0.002,
    suffixInLastName: 0.1,
    dobApproximate: 0.025,
    dobMissing: 0.025,
    dobPlaceholder: 0.002,
    dobQualityMismatch: 0.005,
    ssnPartial: 0.1,
    duplicate: 0,
  }),
  members: Object.freeze({
    nickname: 0.01,
    middleAsFirst: 0.002,
    typoFirst: 0.005,
    typoLast: 0.005,
    swapNames: 0.002,
    compoundPartOnly: 0.1,
    marriedName: 0.02,
    middleMissing: 0.2,
    middleInitialOnly: 0.25,
    suffixMissing: 0.1,
    dobDayMonthSwap: 0.002,
    dobDigitTypo: 0.002,
    dobYearOffByOne: 0.001,
    ssnMissing: 0.08,
    ssnTypo: 0.002,
    sexMissing: 0.003,
    sexWrong: 0.001,
  }),
});

const ZERO_SHARED: SharedDefectRates = {
  nickname: 0,
  middleAsFirst: 0,
  typoFirst: 0,
  typoLast: 0,
  swapNames: 0,
  compoundPartOnly: 0,
  marriedName: 0,
  middleMissing: 0,
  middleInitialOnly: 0,
  suffixMissing: 0,
  dobDayMonthSwap: 0,
  dobDigitTypo: 0,
  dobYearOffByOne: 0,
  ssnMissing: 0,
  ssnTypo: 0,
  sexMissing: 0,
  sexWrong: 0,
};

/**
 * Every rate zero: both lists are exact copies of the underlying persons (names, DOB, SSN, sex),
 * useful as a baseline and in tests.
 *
 * @example
 * ```ts
 * synthesize({ seed: 1, clients: 100, members: 300, defects: CLEAN_DEFECT_RATES });
 * ```
 */
export const CLEAN_DEFECT_RATES: DefectRates = Object.freeze({
  coc: Object.freeze({
    ...ZERO_SHARED,
    streetName: 0,
    streetNameNoSurname: 0,
    namesMissing: 0,
    suffixInLastName: 0,
    dobApproximate: 0,
    dobMissing: 0,
    dobPlaceholder: 0,
    dobQualityMismatch: 0,
    ssnPartial: 0,
    duplicate: 0,
  }),
  members: Object.freeze({ ...ZERO_SHARED }),
});

/** DOB defects are drawn as one categorical choice per record, so their rates must sum to ≤ 1. */
const COC_DOB_KEYS = [
  'dobDayMonthSwap',
  'dobDigitTypo',
  'dobYearOffByOne',
  'dobApproximate',
  'dobMissing',
  'dobPlaceholder',
  'dobQualityMismatch',
] as const;

/**
 * Merges overrides into the defaults and checks every rate is in [0, 1] (and that the exclusive
 * groups sum to ≤ 1). Throws `RangeError` naming the offending rate.
 *
 * @example
 * ```ts
 * const rates = resolveDefectRates({ coc: { nickname: 0.2 } });
 * ```
 */
export function resolveDefectRates(overrides: DefectRateOverrides = {}): DefectRates {
  if (typeof overrides !== 'object' || overrides === null) throw new TypeError('defects must be an object');
  const coc = {
    ...DEFAULT_DEFECT_RATES.coc,
    ...given('defects.coc', overrides.coc, DEFAULT_DEFECT_RATES.coc),
  };
  const members = {
    ...DEFAULT_DEFECT_RATES.members,
    ...given('defects.members', overrides.members, DEFAULT_DEFECT_RATES.members),
  };
  checkRates('defects.coc', coc);
  checkRates('defects.members', members);
  sumAtMostOne(
    'defects.coc DOB rates',
    COC_DOB_KEYS.map((k) => coc[k]),
  );
  sumAtMostOne('defects.members DOB rates', [
    members.dobDayMonthSwap,
    members.dobDigitTypo,
    members.dobYearOffByOne,
  ]);
  sumAtMostOne('defects.coc SSN rates', [coc.ssnMissing, coc.ssnPartial]);
  sumAtMostOne('defects.coc sex rates', [coc.sexMissing, coc.sexWrong]);
  sumAtMostOne('defects.members sex rates', [members.sexMissing, members.sexWrong]);
  return { coc, members };
}

/** The defined overrides, refusing names that are not rates (a misspelt rate would silently do nothing). */
function given<T extends object>(where: string, o: Partial<T> | undefined, defaults: T): Partial<T> {
  if (o === undefined) return {};
  if (typeof o !== 'object' || o === null) throw new TypeError(`${where} must be an object`);
  for (const name of Object.keys(o)) {
    if (!Object.hasOwn(defaults, name)) throw new TypeError(`${where}.${name} is not a defect rate`);
  }
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkRates(where: string, rates: object): void {
  for (const [name, value] of Object.entries(rates)) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new RangeError(`${where}.${name} must be a number in [0, 1]`);
    }
  }
}

function sumAtMostOne(what: string, values: readonly number[]): void {
  if (values.reduce((a, b) => a + b, 0) > 1 + 1e-9) throw new RangeError(`${what} must sum to at most 1`);
}
