import { nameTables } from './name-tables.js';
import { Rng, unit } from './prng.js';
import { STREAM } from './streams.js';

/**
 * Race/ethnicity bits (HUD 3.04 columns).
 *
 * @example
 * ```ts
 * (person.race & RACE.hispanicLatino) !== 0; // Hispanic/Latina/o
 * ```
 */
export const RACE = {
  amIndAKNative: 1,
  asian: 2,
  blackAfAmerican: 4,
  hispanicLatino: 8,
  midEastNAfrican: 16,
  nativeHIPacific: 32,
  white: 64,
} as const;

/**
 * How a person relates to the person they were derived from (the generator's hard negatives).
 *
 * @example
 * ```ts
 * const twin = person.relation === ('twin' satisfies Relation); // same surname and DOB as person.relative
 * ```
 */
export type Relation = 'none' | 'family' | 'twin' | 'junior' | 'senior';

/**
 * A true person: the clean values both lists were recorded from.
 *
 * @example
 * ```ts
 * const p: Person = personAt(space, 42);
 * ```
 */
export interface Person {
  readonly index: number;
  readonly sex: 'F' | 'M';
  readonly first: string;
  /** `''` when the person has no middle name. */
  readonly middle: string;
  /** The (first) surname. */
  readonly surname: string;
  /** Second surname of a two-part (Hispanic) surname, `''` otherwise. */
  readonly surname2: string;
  /** How the person writes a two-part surname: `-` or a space. */
  readonly joiner: '-' | ' ';
  /** `''`, `JR`, `SR`, `II` or `III`. */
  readonly suffix: string;
  /** Day number (days since 1970-01-01). */
  readonly dob: number;
  /** Nine digits, or `''` when the person has no SSN. */
  readonly ssn: string;
  /** {@link RACE} bits. */
  readonly race: number;
  readonly relation: Relation;
  /** Index of the person this one was derived from, or -1. */
  readonly relative: number;
}

/**
 * What a person's generation depends on besides its index.
 *
 * @example
 * ```ts
 * const space: PersonSpace = { key: seedKey(1), members: 6000, refDay: parseIsoDay('2026-01-01')! };
 * ```
 */
export interface PersonSpace {
  readonly key: number;
  /** Persons below this index are plan members. */
  readonly members: number;
  /** Reference day (the data's "today"). */
  readonly refDay: number;
}

/**
 * Full surname as the person writes it.
 *
 * @example
 * ```ts
 * fullSurname(person); // e.g. 'GARCIA-LOPEZ'
 * ```
 */
export function fullSurname(p: Person): string {
  return p.surname2 ? p.surname + p.joiner + p.surname2 : p.surname;
}

const YEAR = 365.2425;
/** Age bands (years) and their shares: a mix of Medi-Cal (many children) and HMIS (mostly adults). */
const AGE_BANDS: readonly (readonly [from: number, to: number, share: number])[] = [
  [0, 18, 0.2],
  [18, 25, 0.09],
  [25, 45, 0.31],
  [45, 65, 0.29],
  [65, 95, 0.11],
];

/** Hard-negative shares: how often a person is derived from another (see {@link personAt}). */
const TWIN = 0.008;
const JUNIOR_SENIOR = 0.012;
const FAMILY = 0.07;

/**
 * Person `index`: a pure function of `(space, index)`.
 *
 * About 9% of persons are derived from an "anchor" person to make realistic hard negatives: family
 * members (same surname, DOB a few years apart), twins (same surname and DOB, other first name) and
 * father/son pairs (same names, DOB 20–35 years apart, JR/SR). A member's anchor is the previous
 * member, so both are in the member list; a non-member's anchor is either the previous non-member
 * (both in the CoC list) or a random member (a non-member client who looks like a member).
 *
 * @example
 * ```ts
 * const p = personAt({ key, members: 6000, refDay }, 42);
 * p.first; // e.g. 'MARIA'
 * ```
 */
export function personAt(space: PersonSpace, index: number): Person {
  const kind = relationKind(space.key, index);
  if (kind === 'none') return basePerson(space, index);
  const anchor = anchorOf(space, index);
  if (anchor < 0 || relationKind(space.key, anchor) !== 'none') return basePerson(space, index);
  return derive(space, basePerson(space, index), basePerson(space, anchor), kind);
}

function relationKind(key: number, index: number): 'none' | 'family' | 'twin' | 'junior-senior' {
  const u = unit(key, STREAM.relation, index);
  if (u < TWIN) return 'twin';
  if (u < TWIN + JUNIOR_SENIOR) return 'junior-senior';
  if (u < TWIN + JUNIOR_SENIOR + FAMILY) return 'family';
  return 'none';
}

function anchorOf(space: PersonSpace, index: number): number {
  if (index < space.members) return index - 1;
  if (index - 1 >= space.members && unit(space.key, STREAM.anchor, index) < 0.5) return index - 1;
  if (space.members === 0) return -1;
  return Math.floor(unit(space.key, STREAM.anchor + 0x100, index) * space.members);
}

function basePerson(space: PersonSpace, index: number): Person {
  const t = nameTables();
  const rng = new Rng(space.key, STREAM.person, index);
  const sex = rng.chance(0.52) ? 'F' : 'M';
  const firstTable = sex === 'F' ? t.femaleFirst : t.maleFirst;
  const first = firstTable.sample(rng);
  let middle = '';
  if (rng.chance(0.75)) {
    middle = firstTable.sample(rng);
    if (middle === first) middle = firstTable.sample(rng);
    if (middle === first) middle = '';
  }
  const race = drawRace(rng);
  const hispanic = (race & RACE.hispanicLatino) !== 0;
  const surname = hispanic && rng.chance(0.85) ? t.hispanicSurnames.sample(rng) : t.surnames.sample(rng);
  let surname2 = '';
  if (hispanic && rng.chance(0.2)) {
    surname2 = t.hispanicSurnames.sample(rng);
    if (surname2 === surname) surname2 = '';
  }
  const joiner = rng.chance(0.4) ? '-' : ' ';
  let suffix = '';
  if (sex === 'M') {
    const u = rng.float();
    suffix = u < 0.015 ? 'JR' : u < 0.018 ? 'II' : u < 0.021 ? 'III' : u < 0.025 ? 'SR' : '';
  }
  const dob = drawDob(rng, space.refDay);
  const ssn = rng.chance(0.96) ? drawSsn(rng) : '';
  return {
    index,
    sex,
    first,
    middle,
    surname,
    surname2,
    joiner,
    suffix,
    dob,
    ssn,
    race,
    relation: 'none',
    relative: -1,
  };
}

function derive(
  space: PersonSpace,
  own: Person,
  anchor: Person,
  kind: 'family' | 'twin' | 'junior-senior',
): Person {
  const rng = new Rng(space.key, STREAM.relation + 0x100, own.index);
  const kin = {
    ...own,
    surname: anchor.surname,
    surname2: anchor.surname2,
    joiner: anchor.joiner,
    race: anchor.race,
    relative: anchor.index,
  };
  const minDob = space.refDay - Math.floor(95 * YEAR);
  const maxDob = space.refDay - 1;
  if (kind === 'junior-senior' && anchor.sex === 'M' && anchor.suffix === '') {
    const gap = Math.floor(rng.between(20, 35) * YEAR) + rng.int(365);
    const junior = anchor.dob + gap;
    const senior = anchor.dob - gap;
    const canJunior = junior <= maxDob - Math.floor(YEAR);
    const canSenior = senior >= minDob;
    if (canJunior || canSenior) {
      const isJunior = canJunior && (!canSenior || rng.chance(0.5));
      return {
        ...kin,
        sex: 'M',
        first: anchor.first,
        middle: anchor.middle,
        suffix: isJunior ? (rng.chance(0.85) ? 'JR' : 'II') : rng.chance(0.5) ? 'SR' : '',
        dob: isJunior ? junior : senior,
        relation: isJunior ? 'junior' : 'senior',
      };
    }
  }
  if (kind === 'twin') {
    const first = otherFirstName(own, anchor.first, rng);
    if (first !== anchor.first) return { ...kin, first, dob: anchor.dob, relation: 'twin' };
  }
  // Sibling, spouse, parent or child: same surname, DOB 1–8 years apart.
  const offset = rng.between(365, 3000) * (rng.chance(0.5) ? 1 : -1);
  let dob = anchor.dob + offset;
  if (dob > maxDob || dob < minDob) dob = anchor.dob - offset;
  if (dob > maxDob || dob < minDob) dob = own.dob;
  const first = otherFirstName(own, anchor.first, rng);
  return { ...kin, first, dob, relation: 'family' };
}

/** The person's first name, redrawn (a few tries) when it equals the relative's. */
function otherFirstName(own: Person, taken: string, rng: Rng): string {
  const table = own.sex === 'F' ? nameTables().femaleFirst : nameTables().maleFirst;
  let first = own.first;
  for (let i = 0; i < 4 && first === taken; i++) first = table.sample(rng);
  return first;
}

function drawDob(rng: Rng, refDay: number): number {
  let u = rng.float();
  for (const [from, to, share] of AGE_BANDS) {
    if (u < share) {
      const ageDays = Math.floor((from + (u / share) * (to - from)) * YEAR);
      return refDay - 1 - ageDays;
    }
    u -= share;
  }
  return refDay - 1 - Math.floor(40 * YEAR);
}

function drawRace(rng: Rng): number {
  // California-like mix (Medi-Cal and HMIS both have a large Hispanic/Latino share).
  if (rng.chance(0.4)) {
    const u = rng.float();
    return (
      RACE.hispanicLatino |
      (u < 0.45 ? 0 : u < 0.85 ? RACE.white : u < 0.95 ? RACE.amIndAKNative : RACE.blackAfAmerican)
    );
  }
  const u = rng.float();
  if (u < 0.38) return RACE.white;
  if (u < 0.7) return RACE.blackAfAmerican;
  if (u < 0.86) return RACE.asian;
  if (u < 0.89) return RACE.amIndAKNative;
  if (u < 0.91) return RACE.nativeHIPacific;
  if (u < 0.93) return RACE.midEastNAfrican;
  return RACE.white | RACE.blackAfAmerican;
}

/** A valid-looking SSN: area 001–899 except 666, group ≠ 00, serial ≠ 0000 (HUD DQ rules). */
function drawSsn(rng: Rng): string {
  let area = rng.between(1, 899);
  if (area === 666) area = 667;
  let n = area * 1_000_000 + rng.between(1, 99) * 10_000 + rng.between(1, 9999);
  // The rare draws HUD treats as placeholders (one repeated digit, a 0-9 run) are nudged off them.
  if (PLACEHOLDER_SSNS.has(n)) n += n % 10 === 9 ? -1 : 1;
  return n < 100_000_000 ? String(n).padStart(9, '0') : String(n);
}

/** SSNs HUD's data-quality report treats as invalid placeholders (domain.md §4.1), as numbers. */
const PLACEHOLDER_SSNS: ReadonlySet<number> = (() => {
  const out = new Set([78051120, 219099999]);
  const up = '01234567890123456789';
  const down = '98765432109876543210';
  for (let i = 0; i < 10; i++) {
    out.add(Number(String(i).repeat(9)));
    out.add(Number(up.slice(i, i + 9)));
    out.add(Number(down.slice(i, i + 9)));
  }
  return out;
})();
