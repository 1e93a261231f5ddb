/**
 * First-name nicknames (BOB ↔ ROBERT) from the carltonnorthern/nicknames list, as weak matching
 * evidence. The list only says "A has nickname B" and is noisy: some pairs run both ways (BOB/ROBERT),
 * some relate spelling variants (SHAUN/SHAWN), a few are odd (ROBERT/BILL). The generator
 * (`scripts/gen-nicknames.ts`) therefore decides once, deterministically, with the US Census 1990
 * first-name frequencies (male and female lists added):
 *
 * 1. A name is **formal** when it has nicknames of its own in the list and no name that lists it as
 *    a nickname dominates it: longer and at least twice as common as a first name. So BOB (listed
 *    by ROBERT) is a nickname though the list also gives BOB nicknames, while PETER (listed by the
 *    about equally common PATRICK) and MARIE (listed by the shorter MARY) stay formal.
 * 2. A name that is not formal **stands for** the formal names that list it; when none of those is
 *    formal, the formal names one level further up, and so on.
 * 3. Its **canonical** form is the one of those most common as a first name, ties alphabetical.
 * 4. A nickname whose parents are all nicknames in a cycle counts as formal.
 * 5. A handful of overrides reorder the choice where the list has a stray pair: BILL and BILLY →
 *    WILLIAM (not ROBERT), ZEKE → EZEKIEL.
 *
 * Formal names and names not in the list stand for themselves. Lookups take a normalised first name
 * (`normaliseName(...).first`); other input is folded first, so `'bob'` works too.
 */
import { NICKNAME_FORMALS, NICKNAME_PAIRS } from './nicknames-data.js';
import { foldText } from './text.js';

let variantsIndex: ReadonlyMap<string, readonly string[]> | undefined;
let relatedIndex: ReadonlySet<string> | undefined;

/** Sorted variants of every name that is not formal (built on first use). */
function variantsOf(): ReadonlyMap<string, readonly string[]> {
  if (variantsIndex !== undefined) return variantsIndex;
  const variants = new Map<string, readonly string[]>();
  for (const [nick, formals] of NICKNAME_FORMALS) variants.set(nick, Object.freeze([...formals].sort()));
  variantsIndex = variants;
  return variants;
}

/**
 * `A B` for every pair of the list, both orders: built apart from the variants, on first use, since
 * encoding looks up variants only (a small `encode` then never builds these ten thousand strings).
 */
function relatedOf(): ReadonlySet<string> {
  if (relatedIndex !== undefined) return relatedIndex;
  const related = new Set<string>();
  for (const [a, b] of NICKNAME_PAIRS) {
    related.add(`${a} ${b}`);
    related.add(`${b} ${a}`);
  }
  relatedIndex = related;
  return related;
}

function isUpperAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** The lookup key: the compact folded form `normaliseName` gives a first name. */
function keyOf(name: string): string {
  return isUpperAscii(name) ? name : foldText(name).replaceAll(' ', '');
}

/**
 * The formal first names a first name may stand for, sorted and without duplicates: the name itself
 * when it is formal or not in the nickname list, otherwise the formal names the list relates it to
 * (module comment, rule 2). Empty for a blank name.
 *
 * @param name - a normalised first name (other text is folded first)
 * @example
 * ```ts
 * firstNameVariants('BOB');    // ['ROBERT']
 * firstNameVariants('AL');     // ['ALAN', 'ALANSON', 'ALASTAIR', 'ALBERT', 'ALDO', 'ALEX', 'ALEXANDER', …]
 * firstNameVariants('ROBERT'); // ['ROBERT']
 * firstNameVariants('ZYX');    // ['ZYX']
 * ```
 */
export function firstNameVariants(name: string): readonly string[] {
  const key = keyOf(name);
  if (key === '') return [];
  return variantsOf().get(key) ?? [key];
}

/**
 * One canonical form of a first name: a formal (or unlisted) name maps to itself, a nickname to the
 * formal name it most likely stands for (module comment, rules 3 and 5). Idempotent:
 * `canonicalFirstName(canonicalFirstName(x)) === canonicalFirstName(x)`.
 *
 * @param name - a normalised first name (other text is folded first)
 * @example
 * ```ts
 * canonicalFirstName('BOB');    // 'ROBERT'
 * canonicalFirstName('BILL');   // 'WILLIAM'
 * canonicalFirstName('PEGGY');  // 'MARGARET'
 * canonicalFirstName('ROBERT'); // 'ROBERT'
 * ```
 */
export function canonicalFirstName(name: string): string {
  const key = keyOf(name);
  return NICKNAME_FORMALS.get(key)?.[0] ?? key;
}

/**
 * Whether two first names may name the same person by nickname: equal, listed together as a pair
 * (in either direction), or standing for a common formal name (BOB and ROB both stand for ROBERT).
 *
 * @param a - a normalised first name (other text is folded first)
 * @param b - another
 * @example
 * ```ts
 * areNicknameRelated('BOB', 'ROBERT'); // true
 * areNicknameRelated('BOB', 'ROB');    // true
 * areNicknameRelated('BOB', 'JAMES');  // false
 * ```
 */
export function areNicknameRelated(a: string, b: string): boolean {
  const ka = keyOf(a);
  const kb = keyOf(b);
  if (ka === '' || kb === '') return false;
  if (ka === kb) return true;
  if (relatedOf().has(`${ka} ${kb}`)) return true;
  const variants = variantsOf();
  const va = variants.get(ka) ?? [ka];
  const vb = variants.get(kb) ?? [kb];
  for (const x of va) if (vb.includes(x)) return true;
  return false;
}
