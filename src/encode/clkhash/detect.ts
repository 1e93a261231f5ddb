/**
 * Whether parsed JSON looks like a clkhash linkage schema (version 3, or a `clkConfig` block) rather
 * than a bloomlink linkage schema.
 * @example
 * ```ts
 * isClkhashSchema({ version: 3, clkConfig: {}, features: [] }); // true
 * isClkhashSchema(DEFAULT_SCHEMA); // false
 * ```
 */
export function isClkhashSchema(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    ('clkConfig' in json || (json as { version?: unknown }).version === 3)
  );
}
