/** Shared fixtures of the attack tests: a skewed population of a few names, encoded. */

import { referenceTable } from '../../src/attack/reference.js';
import type { PersonToEncode } from '../../src/encode/encoder.js';

/** Names with strictly decreasing counts (a skewed, Census-like population). */
export const NAMES: readonly [string, number][] = [
  ['SMITH', 300],
  ['JOHNSON', 240],
  ['WILLIAMS', 190],
  ['BROWN', 150],
  ['JONES', 120],
  ['GARCIA', 95],
  ['MILLER', 75],
  ['DAVIS', 60],
  ['RODRIGUEZ', 48],
  ['MARTINEZ', 38],
  ['HERNANDEZ', 30],
  ['LOPEZ', 24],
];

/** The reference an attacker would use: the same names with their frequencies. */
export const REFERENCE = referenceTable(NAMES);

/** One person per occurrence, first and last name both drawn from {@link NAMES}, in a fixed order. */
export function skewedPersons(): PersonToEncode[] {
  const out: PersonToEncode[] = [];
  const firsts = NAMES.flatMap(([n, c]) => Array<string>(c).fill(n));
  for (const [n, c] of NAMES) {
    for (let i = 0; i < c; i++) {
      out.push({
        id: `P${out.length}`,
        firstName: firsts[(out.length * 7919) % firsts.length]!,
        lastName: n,
        dob: `19${String(50 + (out.length % 40)).padStart(2, '0')}-0${1 + (out.length % 9)}-1${out.length % 10}`,
        sex: out.length % 2 ? 'F' : 'M',
        nameDataQuality: 1,
        dobDataQuality: 1,
        ssnDataQuality: 99,
      });
    }
  }
  return out;
}

/** A fixed test key (never a real one). */
export const KEY = new Uint8Array(32).fill(0x5a);
