/**
 * The library version, written into encoded files and reports. Kept in step with package.json by a test.
 * @example
 * ```ts
 * console.log(`bloomlink ${VERSION}`);
 * ```
 */
export const VERSION = '0.1.0';
