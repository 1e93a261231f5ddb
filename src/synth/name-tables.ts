import { NICKNAME_PAIRS } from '../normalise/nicknames-data.js';
import {
  FEMALE_FIRST_NAMES,
  FEMALE_FIRST_WEIGHTS,
  HISPANIC_SURNAME_NAMES,
  HISPANIC_SURNAME_WEIGHTS,
  MALE_FIRST_NAMES,
  MALE_FIRST_WEIGHTS,
  SURNAME_NAMES,
  SURNAME_WEIGHTS,
} from './names-data.js';
import { unpackTable, type WeightedTable } from './weighted.js';

/**
 * The name tables the generator samples from, unpacked once on first use.
 *
 * @example
 * ```ts
 * const t: NameTables = nameTables();
 * ```
 */
export interface NameTables {
  readonly surnames: WeightedTable;
  readonly hispanicSurnames: WeightedTable;
  readonly femaleFirst: WeightedTable;
  readonly maleFirst: WeightedTable;
  /**
   * Formal first name → its nicknames, the ones that are themselves common given names first
   * (a clerk writes "BOB" far more often than "BOBBER"), then the rest.
   */
  readonly nicknames: ReadonlyMap<
    string,
    { readonly common: readonly string[]; readonly rare: readonly string[] }
  >;
}

let cached: NameTables | undefined;

/**
 * The unpacked Census 1990 name tables and the nickname map (built lazily so that importing the
 * generator costs nothing until it is used).
 *
 * @example
 * ```ts
 * const { surnames } = nameTables();
 * surnames.sample(rng); // e.g. 'SMITH'
 * ```
 */
export function nameTables(): NameTables {
  if (cached) return cached;
  const femaleFirst = unpackTable(FEMALE_FIRST_NAMES, FEMALE_FIRST_WEIGHTS);
  const maleFirst = unpackTable(MALE_FIRST_NAMES, MALE_FIRST_WEIGHTS);
  const given = new Set([...femaleFirst.values, ...maleFirst.values]);
  const grouped = new Map<string, { common: string[]; rare: string[] }>();
  for (const [formal, nick] of NICKNAME_PAIRS) {
    if (!/^[A-Z]{2,}$/.test(nick) || nick === formal) continue;
    let entry = grouped.get(formal);
    if (!entry) {
      entry = { common: [], rare: [] };
      grouped.set(formal, entry);
    }
    (given.has(nick) ? entry.common : entry.rare).push(nick);
  }
  cached = {
    surnames: unpackTable(SURNAME_NAMES, SURNAME_WEIGHTS),
    hispanicSurnames: unpackTable(HISPANIC_SURNAME_NAMES, HISPANIC_SURNAME_WEIGHTS),
    femaleFirst,
    maleFirst,
    nicknames: grouped,
  };
  return cached;
}
