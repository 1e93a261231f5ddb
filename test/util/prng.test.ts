import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/synth/prng.js';
import { Random, Sfc32, splitmix32 } from '../../src/util/prng.js';

/** sfc32 as its author states it (state a, b, c, counter d from 1), written out independently. */
function* sfc32(a: number, b: number, c: number): Generator<number> {
  let d = 1;
  for (;;) {
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = (((c << 21) | (c >>> 11)) + t) >>> 0;
    yield t;
  }
}

function take(g: Generator<number>, skip: number, n: number): number[] {
  for (let i = 0; i < skip; i++) g.next();
  return Array.from({ length: n }, () => g.next().value as number);
}

class Plain extends Sfc32 {
  constructor(a: number, b: number, c: number, warmUp: number) {
    super(a, b, c, warmUp);
  }
}

describe('Sfc32', () => {
  it('is sfc32 for any seed words and warm-up', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 20 }),
        (a, b, c, warmUp) => {
          const g = new Plain(a, b, c, warmUp);
          expect(Array.from({ length: 8 }, () => g.u32())).toEqual(take(sfc32(a, b, c), warmUp, 8));
        },
      ),
    );
  });

  it('is what Random draws from, seeded by splitmix32 and warmed up by 12', () => {
    const a = splitmix32(42);
    const b = splitmix32(a ^ 0x5bd1e995);
    const c = splitmix32(b ^ 0x27d4eb2f);
    const r = new Random(42);
    expect(Array.from({ length: 16 }, () => r.u32())).toEqual(take(sfc32(a, b, c), 12, 16));
    expect(new Random(42).next()).toBe(take(sfc32(a, b, c), 12, 1)[0]! / 0x100000000);
  });

  it('is what the generator Rng draws from', () => {
    const x = new Rng(7, 1, 3);
    const y = new Rng(7, 1, 3);
    expect(x).toBeInstanceOf(Sfc32);
    expect(x.float()).toBe(y.u32() / 4294967296);
  });
});
