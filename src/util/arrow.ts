/**
 * Apache Arrow, loaded on first use. Arrow is large (about 1 MB of JavaScript) and only the Arrow file
 * formats need it, so nothing imports it statically: a user who reads CSV and JSON Lines never loads
 * it, and an entry point's import graph stays small.
 */

/** The `apache-arrow` module. */
export type Arrow = typeof import('apache-arrow');

let loading: Promise<Arrow> | undefined;

/**
 * The `apache-arrow` module, imported once, on the first call.
 * @example
 * ```ts
 * const { tableFromIPC } = await loadArrow();
 * ```
 */
export function loadArrow(): Promise<Arrow> {
  loading ??= import('apache-arrow');
  return loading;
}
