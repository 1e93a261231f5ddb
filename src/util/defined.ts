/**
 * Checked access where the code's own invariants say a value exists (an index below the length it
 * just computed, a key it put in the map): with `noUncheckedIndexedAccess` these answer "can this be
 * missing?" with a thrown programmer error instead of a `!` that would let `undefined` flow on.
 * The messages name the index or the description, never a value (values can be PHI).
 *
 * Not for loops that run per record, pair or bit: `at` is one function for every array type, so its
 * element load goes megamorphic (a tight typed-array loop measured about 50% slower through it). There
 * an inline `a[i] ?? 0`, whose `?? 0` is never taken at an index the loop keeps in range, costs
 * nothing over `a[i]!`.
 */

/**
 * The element at `index`, which the caller's bounds guarantee exists.
 * @throws RangeError when there is no element at `index` (a bug in the caller).
 * @example
 * ```ts
 * at(new Uint32Array([7, 8]), 1); // 8
 * at([[1], [2]], 0); // [1]
 * ```
 */
export function at<T>(array: ArrayLike<T>, index: number): T {
  const value = array[index];
  if (value === undefined)
    throw new RangeError(`index ${index} is outside an array of length ${array.length}`);
  return value;
}

/**
 * `value`, which the caller's invariants guarantee is there (a map entry it created, a schema field it
 * declared).
 * @throws TypeError naming `what` when `value` is undefined (a bug in the caller).
 * @example
 * ```ts
 * const taps = new Map([['firstBloom', [1, 2]]]);
 * defined(taps.get('firstBloom'), 'taps of firstBloom'); // [1, 2]
 * ```
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new TypeError(`${what} is missing`);
  return value;
}
