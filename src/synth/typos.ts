import { PHONETIC_RULES } from './phonetic-data.js';
import type { Rng } from './prng.js';

/**
 * Kinds of typo, the error classes seen in hand-keyed names.
 *
 * @example
 * ```ts
 * typo('SMITH', 'transposition' satisfies TypoKind, rng); // e.g. 'SMIHT'
 * ```
 */
export type TypoKind = 'keyboard' | 'phonetic' | 'deletion' | 'insertion' | 'transposition';

const QWERTY_ROWS = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'];

/** Letters physically next to each letter on a QWERTY keyboard (same row and the rows above/below). */
const NEIGHBOURS: ReadonlyMap<string, string> = (() => {
  const pos = new Map<string, [number, number]>();
  QWERTY_ROWS.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) pos.set(row[c] as string, [r, c + r * 0.5]);
  });
  const out = new Map<string, string>();
  for (const [ch, [r, x]] of pos) {
    let near = '';
    for (const [other, [r2, x2]] of pos) {
      if (other !== ch && Math.abs(r - r2) <= 1 && Math.abs(x - x2) <= 1) near += other;
    }
    out.set(ch, near);
  }
  return out;
})();

interface PhoneticRule {
  readonly where: 'A' | 'S' | 'M' | 'E';
  readonly from: string;
  readonly to: string;
}

let phonetic: readonly PhoneticRule[] | undefined;
function phoneticRules(): readonly PhoneticRule[] {
  phonetic ??= PHONETIC_RULES.trim()
    .split(/\s+/)
    .map((token) => {
      const [where, from, to] = token.split(':') as ['A' | 'S' | 'M' | 'E', string, string];
      return { where, from, to: to === '@' ? '' : to };
    });
  return phonetic;
}

/** Positions in `s` where `rule` applies. */
function ruleSites(s: string, rule: PhoneticRule): number[] {
  const sites: number[] = [];
  for (let i = s.indexOf(rule.from); i >= 0; i = s.indexOf(rule.from, i + 1)) {
    const atStart = i === 0;
    const atEnd = i + rule.from.length === s.length;
    if (
      rule.where === 'A' ||
      (rule.where === 'S' && atStart) ||
      (rule.where === 'E' && atEnd) ||
      (rule.where === 'M' && !atStart && !atEnd)
    ) {
      sites.push(i);
    }
  }
  return sites;
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && ch >= 'A' && ch <= 'Z';

/**
 * Applies one typo of the given kind to an upper-case name, returning a different non-empty string
 * (falling back to a keyboard substitution when the kind cannot apply, e.g. no phonetic rule
 * matches). Only letters are touched, so hyphens and spaces of compound names survive.
 *
 * @example
 * ```ts
 * typo('JOHNSON', 'transposition', rng); // e.g. 'JOHNOSN'
 * ```
 */
export function typo(name: string, kind: TypoKind, rng: Rng): string {
  const letters: number[] = [];
  for (let i = 0; i < name.length; i++) if (isLetter(name[i])) letters.push(i);
  if (letters.length === 0) return name;
  const result = tryTypo(name, kind, letters, rng);
  return result !== undefined && result !== name && result.trim() !== ''
    ? result
    : keyboard(name, letters, rng);
}

/**
 * A typo of a kind drawn with realistic shares: keyboard neighbour 30%, phonetic 20%, deletion 20%,
 * insertion 15%, transposition 15%.
 *
 * @example
 * ```ts
 * randomTypo('SMITH', rng); // e.g. 'SMIHT', 'SMYTH', 'SMTH'
 * ```
 */
export function randomTypo(name: string, rng: Rng): string {
  const u = rng.float();
  const kind: TypoKind =
    u < 0.3
      ? 'keyboard'
      : u < 0.5
        ? 'phonetic'
        : u < 0.7
          ? 'deletion'
          : u < 0.85
            ? 'insertion'
            : 'transposition';
  return typo(name, kind, rng);
}

function tryTypo(name: string, kind: TypoKind, letters: readonly number[], rng: Rng): string | undefined {
  switch (kind) {
    case 'keyboard':
      return keyboard(name, letters, rng);
    case 'phonetic': {
      const candidates: [PhoneticRule, number[]][] = [];
      for (const rule of phoneticRules()) {
        const sites = ruleSites(name, rule);
        if (sites.length > 0) candidates.push([rule, sites]);
      }
      if (candidates.length === 0) return undefined;
      const [rule, sites] = rng.pick(candidates);
      const at = rng.pick(sites);
      return name.slice(0, at) + rule.to + name.slice(at + rule.from.length);
    }
    case 'deletion': {
      if (letters.length < 3) return undefined;
      const at = rng.pick(letters);
      return name.slice(0, at) + name.slice(at + 1);
    }
    case 'insertion': {
      const at = rng.pick(letters);
      const ch = name[at] as string;
      // Either a doubled key or a neighbouring key pressed with it.
      const extra = rng.chance(0.4) ? ch : pickChar(NEIGHBOURS.get(ch) ?? ch, rng);
      return rng.chance(0.5)
        ? name.slice(0, at) + extra + name.slice(at)
        : name.slice(0, at + 1) + extra + name.slice(at + 1);
    }
    case 'transposition': {
      const pairs = letters.filter((i) => isLetter(name[i + 1]) && name[i] !== name[i + 1]);
      if (pairs.length === 0) return undefined;
      const at = rng.pick(pairs);
      return name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2);
    }
  }
}

function keyboard(name: string, letters: readonly number[], rng: Rng): string {
  const at = rng.pick(letters);
  const ch = name[at] as string;
  return name.slice(0, at) + pickChar(NEIGHBOURS.get(ch) ?? 'E', rng) + name.slice(at + 1);
}

function pickChar(chars: string, rng: Rng): string {
  return chars[rng.int(chars.length)] as string;
}
