import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/synth/prng.js';
import { randomTypo, type TypoKind, typo } from '../../src/synth/typos.js';
import { damerau } from './helpers.js';

const KINDS: TypoKind[] = ['keyboard', 'phonetic', 'deletion', 'insertion', 'transposition'];
const name = fc.stringMatching(/^[A-Z]{2,12}([- ][A-Z]{2,10})?$/);

describe('typos', () => {
  it('always changes a name and keeps it non-empty', () => {
    fc.assert(
      fc.property(name, fc.constantFrom(...KINDS), fc.nat(), (n, kind, i) => {
        const out = typo(n, kind, new Rng(1, 2, i));
        return out !== n && out.trim() !== '';
      }),
    );
  });

  it('edit kinds other than phonetic are one Damerau edit', () => {
    fc.assert(
      fc.property(
        name,
        fc.constantFrom<TypoKind>('keyboard', 'deletion', 'insertion', 'transposition'),
        fc.nat(),
        (n, kind, i) => {
          return damerau(typo(n, kind, new Rng(1, 3, i)), n) === 1;
        },
      ),
    );
  });

  it('phonetic typos stay close and keep hyphens and spaces', () => {
    fc.assert(
      fc.property(name, fc.nat(), (n, i) => {
        const out = randomTypo(n, new Rng(1, 4, i));
        return damerau(out, n) <= 4 && out.includes('-') === n.includes('-');
      }),
    );
  });

  it('applies a known phonetic rule', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(typo('PHILLIPS', 'phonetic', new Rng(5, 5, i)));
    expect(seen.has('FILLIPS') || seen.has('PHILIPS')).toBe(true);
  });
});
