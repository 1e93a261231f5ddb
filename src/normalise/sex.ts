/**
 * Sex as one weak piece of matching evidence. HUD FY2026 element 4.21 Sex (0 female, 1 male, 8, 9,
 * 99), plan letters (F, M, U, X) and words are understood. Gender (FY2024 element 3.06) is not sex;
 * {@link sexFromGenderColumns} reads it only because older exports have nothing else, and the
 * matcher must treat the result as weak evidence, never as a blocking or rejection criterion.
 */
import type { Sex } from '../records.js';
import { parseCode } from './code.js';

/** What a sex cell said. `valid: false` means the cell holds something unrecognised. */
export interface ParsedSex {
  readonly sex?: Sex;
  readonly valid: boolean;
}

const UNKNOWN: ParsedSex = Object.freeze({ valid: true });
const INVALID: ParsedSex = Object.freeze({ valid: false });
const FEMALE: ParsedSex = Object.freeze({ sex: 'F', valid: true });
const MALE: ParsedSex = Object.freeze({ sex: 'M', valid: true });

const WORDS: ReadonlyMap<string, ParsedSex> = new Map([
  ['F', FEMALE],
  ['FEMALE', FEMALE],
  ['WOMAN', FEMALE],
  ['M', MALE],
  ['MALE', MALE],
  ['MAN', MALE],
  ['U', UNKNOWN],
  ['UNKNOWN', UNKNOWN],
  // X is the non-binary marker on IDs: a valid answer that is neither F nor M.
  ['X', UNKNOWN],
]);

/**
 * Parses a sex cell: HUD 4.21 codes (0 female, 1 male, 8/9/99 unknown, also as `01`, `1.0`), the
 * letters F, M, U, X and the words FEMALE, MALE, WOMAN, MAN, UNKNOWN in any case, trimmed. Blank and
 * unknown answers give `{ valid: true }` without `sex`; anything else `{ valid: false }`.
 *
 * @param raw - the cell as read
 * @example
 * ```ts
 * parseSex('0');       // { sex: 'F', valid: true }
 * parseSex(' male ');  // { sex: 'M', valid: true }
 * parseSex('99');      // { valid: true }
 * parseSex('');        // { valid: true }
 * parseSex('7');       // { valid: false }
 * ```
 */
export function parseSex(raw: string | undefined): ParsedSex {
  if (raw === undefined) return UNKNOWN;
  // The four answers of nearly every row, without trimming, parsing or a lookup.
  if (raw.length === 1) {
    const c = raw.charCodeAt(0);
    if (c === 70 || c === 102 || c === 48) return FEMALE; // F f 0
    if (c === 77 || c === 109 || c === 49) return MALE; // M m 1
  }
  const s = raw.trim();
  if (s === '') return UNKNOWN;
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const code = parseCode(s);
    if (code === 0) return FEMALE;
    if (code === 1) return MALE;
    return code === 8 || code === 9 || code === 99 ? UNKNOWN : INVALID;
  }
  // ASCII-only upper-casing: locale-independent by construction.
  return WORDS.get(s.length <= 7 ? s.toUpperCase() : '') ?? INVALID;
}

/** The FY2024 gender columns of Client.csv (list 3.6.1), each 0/1, and GenderNone (8/9/99). */
export type GenderColumn =
  | 'Woman'
  | 'Man'
  | 'NonBinary'
  | 'CulturallySpecific'
  | 'Transgender'
  | 'Questioning'
  | 'DifferentIdentity'
  | 'GenderNone';

const OTHER_GENDER_COLUMNS: readonly GenderColumn[] = [
  'NonBinary',
  'CulturallySpecific',
  'Transgender',
  'Questioning',
  'DifferentIdentity',
];

function isYes(v: string | undefined): boolean {
  return v !== undefined && parseCode(v) === 1;
}

/**
 * Derives weak sex evidence from the FY2024 gender columns: Woman = 1 and no other option → F;
 * Man = 1 and no other option → M; anything else (several options, another option, GenderNone,
 * nothing) → `undefined`. Gender is not sex, so the result is only ever used as weak matching
 * evidence; HUD itself does not convert gender to sex.
 *
 * @param cols - the row's gender cells by column name (absent columns count as 0)
 * @example
 * ```ts
 * sexFromGenderColumns({ Woman: '1', Man: '0' });           // 'F'
 * sexFromGenderColumns({ Man: '1', Transgender: '1' });     // undefined
 * sexFromGenderColumns({ GenderNone: '99' });               // undefined
 * ```
 */
export function sexFromGenderColumns(
  cols: Readonly<Partial<Record<GenderColumn, string | undefined>>>,
): Sex | undefined {
  const woman = isYes(cols.Woman);
  const man = isYes(cols.Man);
  if (woman === man) return undefined;
  for (const c of OTHER_GENDER_COLUMNS) if (isYes(cols[c])) return undefined;
  const none = parseCode(cols.GenderNone);
  if (none === 8 || none === 9 || none === 99) return undefined;
  return woman ? 'F' : 'M';
}
