import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffuse, diffuseSparse, invertTaps } from '../../src/encode/harden.js';

describe('diffuseSparse', () => {
  it('equals diffuse for any filter and any taps (repeated taps included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((bytes) =>
          fc.tuple(
            fc.uint8Array({ minLength: bytes, maxLength: bytes }),
            fc
              .integer({ min: 1, max: 4 })
              .chain((t) =>
                fc.tuple(
                  fc.constant(t),
                  fc.array(fc.nat(8 * bytes - 1), { minLength: 8 * bytes * t, maxLength: 8 * bytes * t }),
                ),
              ),
          ),
        ),
        ([bits, [t, taps]]) => {
          const tapArray = Uint32Array.from(taps);
          const inv = invertTaps(tapArray, bits.length * 8, t);
          expect(diffuseSparse(bits, inv)).toEqual(diffuse(bits, tapArray, t));
        },
      ),
      { numRuns: 300 },
    );
  });
});
