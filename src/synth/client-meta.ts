import { isoDay } from './civil-date.js';
import { Rng } from './prng.js';
import { STREAM } from './streams.js';

/**
 * Record-keeping fields of one client row.
 *
 * @example
 * ```ts
 * const meta: ClientMeta = clientMeta(key, slot, person.dob, refDay);
 * ```
 */
export interface ClientMeta {
  /** `YYYY-MM-DD hh:mm:ss` (HUD type T). */
  readonly dateCreated: string;
  readonly dateUpdated: string;
  /** `YYYY-MM-DD`: when the identifying information was last collected (the contract's InformationDate). */
  readonly informationDate: string;
  readonly userId: string;
}

const YEAR = 365.2425;

/**
 * When client slot `slot` was created and last updated: created within the 8 years before the
 * reference date but not before birth, updated since, at office-hours times.
 *
 * @example
 * ```ts
 * clientMeta(key, slot, person.dob, refDay).dateCreated; // e.g. '2021-03-04 10:22:51'
 * ```
 */
export function clientMeta(key: number, slot: number, dob: number, refDay: number): ClientMeta {
  const rng = new Rng(key, STREAM.informationDate, slot);
  const earliest = Math.min(refDay - 1, Math.max(dob, refDay - Math.floor(8 * YEAR)));
  const created = rng.between(earliest, refDay - 1);
  const updated = rng.chance(0.3) ? created : rng.between(created, refDay - 1);
  const createdTime = time(rng);
  let updatedTime = time(rng);
  if (updated === created && updatedTime < createdTime) updatedTime = createdTime;
  return {
    dateCreated: `${isoDay(created)} ${createdTime}`,
    dateUpdated: `${isoDay(updated)} ${updatedTime}`,
    informationDate: isoDay(updated),
    userId: `U${String(100 + rng.int(60))}`,
  };
}

function time(rng: Rng): string {
  const s = rng.between(8 * 3600, 18 * 3600 - 1);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${pad(hh)}:${pad(mm)}:${pad(ss)}`;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
