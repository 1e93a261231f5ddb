/**
 * Calendar arithmetic of the return file's look-back window, on ISO dates.
 */

/**
 * The day `months` calendar months before `iso` (the day of month clamped to the month's length).
 *
 * @example
 * ```ts
 * monthsBefore('2026-01-01', 24); // '2024-01-01'
 * monthsBefore('2026-03-31', 1); // '2026-02-28'
 * ```
 */
export function monthsBefore(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 - months;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(iso.slice(8, 10)), last);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The day after `iso`.
 *
 * @example
 * ```ts
 * nextDay('2024-02-28'); // '2024-02-29'
 * ```
 */
export function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
