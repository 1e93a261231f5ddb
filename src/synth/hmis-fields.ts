import { civilFromDays } from './civil-date.js';
import type { RecordedSex } from './id-defects.js';
import { type Person, RACE } from './person.js';
import { Rng } from './prng.js';
import { STREAM } from './streams.js';

type Row = Record<string, string>;

const YEAR = 365.2425;

/**
 * Adds the HMIS-only Client.csv fields of one client row to `row`: race (3.04), FY2024 gender
 * (3.06) when `fy2024`, and veteran status with its V1 detail (blank unless a veteran). Values are
 * valid codes of the HUD lists; drawn from their own stream, so the layout never changes the
 * identifying fields.
 *
 * @example
 * ```ts
 * addHmisFields(row, person, 'F', '0', key, slot, false); // row.White === '1', row.VeteranStatus === '0', …
 * ```
 */
export function addHmisFields(
  row: Row,
  person: Person,
  sex: RecordedSex,
  sexCode: string,
  key: number,
  slot: number,
  refDay: number,
  fy2024: boolean,
): void {
  const rng = new Rng(key, STREAM.hmis, slot);
  addRace(row, person, rng, fy2024);
  if (fy2024) addGender(row, sex, sexCode, rng);
  addVeteran(row, person, rng, refDay);
}

const MISSING = ['8', '9', '99', '99', '99'];

function addRace(row: Row, person: Person, rng: Rng, fy2024: boolean): void {
  const unknown = rng.chance(0.03);
  const bit = (b: number): string => (!unknown && (person.race & b) !== 0 ? '1' : '0');
  row.AmIndAKNative = bit(RACE.amIndAKNative);
  row.Asian = bit(RACE.asian);
  row.BlackAfAmerican = bit(RACE.blackAfAmerican);
  row[fy2024 ? 'HispanicLatinaeo' : 'HispanicLatinao'] = bit(RACE.hispanicLatino);
  row.MidEastNAfrican = bit(RACE.midEastNAfrican);
  row.NativeHIPacific = bit(RACE.nativeHIPacific);
  row.White = bit(RACE.white);
  row.RaceNone = unknown ? rng.pick(MISSING) : '';
  row.AdditionalRaceEthnicity = '';
}

function addGender(row: Row, sex: RecordedSex, sexCode: string, rng: Rng): void {
  const u = rng.float();
  const known = sex !== undefined;
  row.Woman = known && sex === 'F' && u >= 0.004 ? '1' : '0';
  row.Man = known && sex === 'M' && u >= 0.004 ? '1' : '0';
  row.NonBinary = known && u < 0.004 ? '1' : '0';
  row.CulturallySpecific = '0';
  row.Transgender = known && u >= 0.004 && u < 0.01 ? '1' : '0';
  row.Questioning = '0';
  row.DifferentIdentity = '0';
  row.GenderNone = known ? '' : sexCode === '8' || sexCode === '9' ? sexCode : '99';
  row.DifferentIdentityText = '';
}

const V1_FIELDS = [
  'YearEnteredService',
  'YearSeparated',
  'WorldWarII',
  'KoreanWar',
  'VietnamWar',
  'DesertStorm',
  'AfghanistanOEF',
  'IraqOIF',
  'IraqOND',
  'OtherTheater',
  'MilitaryBranch',
  'DischargeStatus',
] as const;

function addVeteran(row: Row, person: Person, rng: Rng, refDay: number): void {
  for (const f of V1_FIELDS) row[f] = '';
  if (refDay - person.dob < 18 * YEAR) {
    row.VeteranStatus = '99';
    return;
  }
  const u = rng.float();
  const veteran = u < (person.sex === 'M' ? 0.1 : 0.015);
  row.VeteranStatus = veteran ? '1' : u < 0.95 ? '0' : rng.pick(MISSING);
  if (!veteran) return;
  const born = civilFromDays(person.dob).year;
  const thisYear = civilFromDays(refDay).year;
  const entered = Math.min(thisYear, born + rng.between(18, 24));
  const separated = Math.min(thisYear, entered + rng.between(2, 10));
  const served = (from: number, to: number): string =>
    entered <= to && separated >= from && rng.chance(0.6) ? '1' : '0';
  row.YearEnteredService = String(Math.max(1920, entered));
  row.YearSeparated = String(Math.max(1920, separated));
  row.WorldWarII = served(1941, 1945);
  row.KoreanWar = served(1950, 1953);
  row.VietnamWar = served(1964, 1975);
  row.DesertStorm = served(1990, 1991);
  row.AfghanistanOEF = served(2001, 2014);
  row.IraqOIF = served(2003, 2010);
  row.IraqOND = served(2010, 2011);
  row.OtherTheater = rng.chance(0.1) ? '1' : '0';
  const b = rng.float();
  row.MilitaryBranch = b < 0.45 ? '1' : b < 0.65 ? '2' : b < 0.83 ? '3' : b < 0.97 ? '4' : '6';
  const d = rng.float();
  row.DischargeStatus =
    d < 0.72 ? '1' : d < 0.86 ? '2' : d < 0.93 ? '6' : d < 0.96 ? '7' : d < 0.98 ? '4' : '5';
}
