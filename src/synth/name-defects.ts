import type { DataQuality } from '../records.js';
import type { ClientDefectRates } from './defect-rates.js';
import type { DefectDice } from './dice.js';
import { nameTables } from './name-tables.js';
import type { Person, PersonSpace } from './person.js';
import { Rng } from './prng.js';
import { DEFECT_ID, STREAM } from './streams.js';
import { STREET_NAMES } from './street-names.js';
import { randomTypo } from './typos.js';

/**
 * Name fields as recorded in one list (upper case; letter case is applied when the row is written).
 *
 * @example
 * ```ts
 * const name: RecordedName = recordName(space, person, rates.coc, dice);
 * ```
 */
export interface RecordedName {
  readonly first: string;
  readonly middle: string;
  readonly last: string;
  readonly suffix: string;
  /** HUD 3.01.5 NameDataQuality (the member list does not carry it). */
  readonly quality: DataQuality;
}

const D = DEFECT_ID;
const TWENTY_YEARS = Math.floor(20 * 365.2425);
const ADULT = Math.floor(18 * 365.2425);

/**
 * The surname a woman is recorded under in one list after marriage or divorce: a fixed other
 * surname per person, so both lists agree when both show it.
 *
 * @example
 * ```ts
 * altSurname(space, person); // e.g. 'WALKER'
 * ```
 */
export function altSurname(space: PersonSpace, person: Person): string {
  const rng = new Rng(space.key, STREAM.altSurname, person.index);
  const { surnames } = nameTables();
  let alt = surnames.sample(rng);
  while (alt === person.surname) alt = surnames.sample(rng);
  return alt;
}

/**
 * Records a person's name the way one list would, injecting the name defects of `rates` (member
 * lists pass zero for the CoC-only ones). Decisions come from `dice`, so they are fixed per record.
 *
 * @example
 * ```ts
 * const name = recordName(space, person, rates.coc, new DefectDice(key, STREAM.clientDefects, i));
 * ```
 */
export function recordName(
  space: PersonSpace,
  person: Person,
  rates: ClientDefectRates,
  dice: DefectDice,
): RecordedName {
  let last = recordedSurname(person, rates, dice);
  if (
    person.sex === 'F' &&
    space.refDay - person.dob >= TWENTY_YEARS &&
    dice.fires(D.marriedName, rates.marriedName)
  ) {
    last = altSurname(space, person);
  }

  let first = person.first;
  let middle = person.middle;
  if (middle && dice.fires(D.middleAsFirst, rates.middleAsFirst)) {
    first = middle;
    middle = '';
  } else if (dice.fires(D.nickname, rates.nickname)) {
    first = nicknameOf(first, dice) ?? first;
  }
  if (dice.fires(D.typoFirst, rates.typoFirst)) first = randomTypo(first, dice.detail(D.typoFirst));
  if (dice.fires(D.typoLast, rates.typoLast)) last = randomTypo(last, dice.detail(D.typoLast));

  if (middle && dice.fires(D.middleMissing, rates.middleMissing)) middle = '';
  else if (middle && dice.fires(D.middleInitialOnly, rates.middleInitialOnly)) middle = middle.slice(0, 1);

  let suffix = person.suffix;
  if (suffix && dice.fires(D.suffixMissing, rates.suffixMissing)) suffix = '';
  else if (suffix && dice.fires(D.suffixInLastName, rates.suffixInLastName)) {
    last = `${last} ${suffix}`;
    suffix = '';
  }

  if (dice.fires(D.swapNames, rates.swapNames)) [first, last] = [last, first];

  if (dice.fires(D.namesMissing, rates.namesMissing)) {
    const u = dice.detail(D.namesMissing).float();
    return { first: '', middle: '', last: '', suffix: '', quality: u < 0.7 ? 99 : u < 0.85 ? 8 : 9 };
  }
  // Street and code names are an outreach phenomenon among adults; children come in with a family.
  if (space.refDay - person.dob >= ADULT && dice.fires(D.streetName, rates.streetName)) {
    const rng = dice.detail(D.streetName);
    const street = rng.pick(STREET_NAMES);
    const noSurname = rng.chance(rates.streetNameNoSurname);
    return { first: street, middle: '', last: noSurname ? '' : last, suffix: '', quality: 2 };
  }
  return { first, middle, last, suffix, quality: 1 };
}

/** The surname as written in this list: a two-part surname whole (with either joiner) or one part. */
function recordedSurname(person: Person, rates: ClientDefectRates, dice: DefectDice): string {
  if (!person.surname2) return person.surname;
  if (dice.fires(D.compoundPartOnly, rates.compoundPartOnly)) {
    // Mostly the paternal (first) surname, which is what US forms with one surname field keep.
    return dice.detail(D.compoundPartOnly).chance(0.75) ? person.surname : person.surname2;
  }
  // The joiner is presentation, not a defect: lists differ in it about a quarter of the time.
  const joiner = dice.u(D.compoundJoiner) < 0.25 ? (person.joiner === '-' ? ' ' : '-') : person.joiner;
  return person.surname + joiner + person.surname2;
}

/** A nickname of `first`, preferring ones that are common given names; `undefined` if it has none. */
function nicknameOf(first: string, dice: DefectDice): string | undefined {
  const entry = nameTables().nicknames.get(first);
  if (!entry) return undefined;
  const rng = dice.detail(D.nickname);
  if (entry.common.length > 0 && (entry.rare.length === 0 || rng.chance(0.85))) return rng.pick(entry.common);
  return entry.rare.length > 0 ? rng.pick(entry.rare) : undefined;
}

/**
 * Whether a nickname defect can apply to a first name (for measuring rates among eligible records).
 *
 * @example
 * ```ts
 * hasNickname('ROBERT'); // true
 * ```
 */
export function hasNickname(first: string): boolean {
  return nameTables().nicknames.has(first);
}
