/**
 * Stream numbers of the generator's random decisions. Each kind of decision draws from its own
 * stream, so changing one rate (or the CoC layout) never changes any other part of the output.
 * Values are part of the output's definition: changing one changes the data for every seed.
 *
 * @example
 * ```ts
 * new Rng(key, STREAM.person, personIndex);
 * ```
 */
export const STREAM = {
  person: 1,
  relation: 2,
  anchor: 3,
  altSurname: 4,
  membership: 5,
  programs: 6,
  hmis: 7,
  /** Uses this and the next number (clients, members). */
  dateSpelling: 12,
  knownMemberId: 9,
  /** Uses this and the next number (which defect; which digit), and `+ detail`. */
  knownMemberIdDefect: 14,
  informationDate: 10,
  letterCase: 11,
  permutation: 20,
  /** Client defect decisions: `clientDefects + copy * 64 + defect id`. */
  clientDefects: 1000,
  /** Member defect decisions: `memberDefects + defect id`. */
  memberDefects: 2000,
  /** Added to a decision's stream for the generator that carries out a defect once it fires. */
  detail: 0x10000,
} as const;

/**
 * Stable small ids of the defects, used to derive their decision streams.
 *
 * @example
 * ```ts
 * new DefectDice(key, STREAM.memberDefects, p).fires(DEFECT_ID.nickname, 0.01);
 * ```
 */
export const DEFECT_ID = {
  nickname: 1,
  middleAsFirst: 2,
  typoFirst: 3,
  typoLast: 4,
  swapNames: 5,
  compoundPartOnly: 6,
  marriedName: 7,
  middleMissing: 8,
  middleInitialOnly: 9,
  suffixMissing: 10,
  dob: 11,
  ssn: 12,
  ssnTypo: 13,
  sex: 14,
  streetName: 15,
  namesMissing: 16,
  suffixInLastName: 17,
  compoundJoiner: 18,
} as const;
