/**
 * The run's calendar day, for the defaults of `asOf` and the HMIS export date.
 */

/**
 * Today's date in the local time zone as `YYYY-MM-DD` (a CoC or plan works in local days; UTC would
 * be tomorrow for part of every Pacific evening).
 *
 * @example
 * ```ts
 * todayIso(); // e.g. '2026-01-15'
 * todayIso(new Date(2026, 0, 2)); // '2026-01-02'
 * ```
 */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${String(now.getFullYear()).padStart(4, '0')}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
