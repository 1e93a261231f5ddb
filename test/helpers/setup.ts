/**
 * Runs before every test file (vitest.config.ts `setupFiles`): registers a typed-array equality
 * tester. vitest's own `toEqual` compares a typed array element by element through its generic
 * `equals`, then compares `Object.entries` of both (one [key, value] pair per element): tens of
 * microseconds per element, so comparing the columns of a few thousand encoded rows took tens of
 * seconds. This tester answers in a plain loop with the same rule: same constructor, same length,
 * `Object.is` on every element (what `equals` applies to numbers and bigints). It does not look for
 * named properties added to a typed array (listing its keys costs as much as the old comparison);
 * nothing in the library adds any. Arrays of different classes fall through to vitest, so such a
 * failure and its diff are vitest's own.
 */
import { expect } from 'vitest';

function typedArrayEquality(a: unknown, b: unknown): boolean | undefined {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a instanceof DataView || b instanceof DataView) {
    return undefined;
  }
  if (a.constructor !== b.constructor) return undefined;
  const x = a as unknown as ArrayLike<unknown>;
  const y = b as unknown as ArrayLike<unknown>;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

const MARK = Symbol.for('bloomlink.test.typedArrayEquality');
// Without isolation this file runs once per test file in the same realm: register the tester once.
const g = globalThis as { [MARK]?: true };
if (!g[MARK]) {
  g[MARK] = true;
  expect.addEqualityTesters([typedArrayEquality]);
}
