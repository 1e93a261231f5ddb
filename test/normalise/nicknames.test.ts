import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate, outPath } from '../../scripts/gen-nicknames.js';
import { areNicknameRelated, canonicalFirstName, firstNameVariants } from '../../src/normalise/nicknames.js';
import { NICKNAME_FORMALS, NICKNAME_PAIRS } from '../../src/normalise/nicknames-data.js';

describe('nickname data', () => {
  it('is the generator output for the bundled inputs', () => {
    expect(readFileSync(outPath, 'utf8')).toBe(generate());
  });

  it('holds every pair of names.csv, upper case and folded', () => {
    expect(NICKNAME_PAIRS.length).toBe(2691);
    expect(NICKNAME_PAIRS).toContainEqual(['ROBERT', 'BOB']);
    expect(NICKNAME_PAIRS).toContainEqual(['CASEY', 'KC']);
    for (const [formal, nick] of NICKNAME_PAIRS) {
      expect(formal).toMatch(/^[A-Z]+$/);
      expect(nick).toMatch(/^[A-Z]+$/);
    }
  });

  it('maps nicknames only to formal names', () => {
    for (const formals of NICKNAME_FORMALS.values()) {
      expect(formals.length).toBeGreaterThan(0);
      for (const f of formals) expect(NICKNAME_FORMALS.has(f)).toBe(false);
    }
  });
});

describe('firstNameVariants', () => {
  it('gives the formal names a nickname stands for, sorted', () => {
    expect(firstNameVariants('BOB')).toEqual(['ROBERT']);
    expect(firstNameVariants('JIM')).toEqual(['JAMES']);
    expect(firstNameVariants('PEGGY')).toEqual(['MARGARET', 'MARGARETTA', 'MARGUERITE']);
    expect(firstNameVariants('BILL')).toEqual(['ROBERT', 'WILLIAM', 'WILLIS']);
  });

  it('lists every formal name of an ambiguous nickname', () => {
    const al = firstNameVariants('AL');
    for (const f of ['ALAN', 'ALBERT', 'ALEXANDER', 'ALFRED', 'ALLEN']) expect(al).toContain(f);
    expect([...al].sort()).toEqual(al);
    expect(new Set(al).size).toBe(al.length);
  });

  it('gives a formal or unknown name itself', () => {
    expect(firstNameVariants('ROBERT')).toEqual(['ROBERT']);
    expect(firstNameVariants('JOHN')).toEqual(['JOHN']);
    expect(firstNameVariants('PETER')).toEqual(['PETER']);
    expect(firstNameVariants('XOCHITL')).toEqual(['XOCHITL']);
    expect(firstNameVariants('')).toEqual([]);
  });

  it('folds input that is not normalised yet', () => {
    expect(firstNameVariants(' bob ')).toEqual(['ROBERT']);
    expect(firstNameVariants('K.C.')).toEqual(firstNameVariants('KC'));
  });
});

describe('canonicalFirstName', () => {
  it.each([
    ['BOB', 'ROBERT'],
    ['ROB', 'ROBERT'],
    ['BOBBY', 'ROBERT'],
    ['BILL', 'WILLIAM'],
    ['BILLY', 'WILLIAM'],
    ['JIM', 'JAMES'],
    ['PEGGY', 'MARGARET'],
    ['LIZ', 'ELIZABETH'],
    ['TONY', 'ANTHONY'],
    ['CHRIS', 'CHRISTOPHER'],
    ['KATE', 'KATHERINE'],
    ['ZEKE', 'EZEKIEL'],
    ['AL', 'ALBERT'],
    ['ROBERT', 'ROBERT'],
    ['MARY', 'MARY'],
    ['PETER', 'PETER'],
    ['MARIE', 'MARIE'],
    ['XOCHITL', 'XOCHITL'],
    ['bob', 'ROBERT'],
    ['', ''],
  ])('%j → %j', (name, expected) => {
    expect(canonicalFirstName(name)).toBe(expected);
  });

  it('picks one of the variants', () => {
    for (const nick of NICKNAME_FORMALS.keys()) {
      expect(firstNameVariants(nick)).toContain(canonicalFirstName(nick));
    }
  });

  it('is idempotent on every listed name and on any string', () => {
    const names = new Set(NICKNAME_PAIRS.flat());
    for (const n of names) expect(canonicalFirstName(canonicalFirstName(n))).toBe(canonicalFirstName(n));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const c = canonicalFirstName(s);
        expect(canonicalFirstName(c)).toBe(c);
      }),
    );
  });
});

describe('areNicknameRelated', () => {
  it.each([
    ['BOB', 'ROBERT', true],
    ['ROBERT', 'BOB', true],
    ['BOB', 'ROB', true],
    ['BILL', 'WILLIAM', true],
    ['AL', 'ALFRED', true],
    ['AL', 'ALBERT', true],
    ['JOHN', 'JACK', true],
    ['JOHN', 'JOHN', true],
    ['XOCHITL', 'XOCHITL', true],
    ['BOB', 'JAMES', false],
    ['ROBERT', 'WILLIAM', false],
    ['ALFRED', 'ALBERT', false],
    ['XOCHITL', 'MARY', false],
    ['', '', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(areNicknameRelated(a, b)).toBe(expected);
  });

  it('is symmetric', () => {
    const names = [...new Set(NICKNAME_PAIRS.flat())];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...names), (a, b) => {
        expect(areNicknameRelated(a, b)).toBe(areNicknameRelated(b, a));
      }),
    );
  });
});
