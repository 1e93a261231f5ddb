import { isoDay } from './civil-date.js';
import type { Membership } from './membership.js';
import { npiCheckDigit } from './npi.js';
import { hash3, type Rng } from './prng.js';
import { PROGRAMS, type ProgramSpec } from './program-catalog.js';
import { STREAM } from './streams.js';

/**
 * One program episode as written to the program list (values as in the CSV).
 *
 * @example
 * ```ts
 * const episodes: Episode[] = episodesOf(rng, membership, 40, true, 1, refDay, npiOf);
 * ```
 */
export interface Episode {
  readonly program: string;
  readonly provider: string;
  /** `''` when not given. */
  readonly npi: string;
  readonly start: string;
  /** `''` while open. */
  readonly end: string;
}

const YEAR = 365.2425;

/**
 * NPI of a provider: fixed per seed and provider name, valid Luhn check digit; about one provider in
 * ten has none on file.
 *
 * @example
 * ```ts
 * providerNpi(key, 'Bridgeway Health Services'); // e.g. '1538024417'
 * ```
 */
export function providerNpi(key: number, provider: string): string {
  let h = 0;
  for (let i = 0; i < provider.length; i++) h = (Math.imul(h, 31) + provider.charCodeAt(i)) | 0;
  const a = hash3(key, STREAM.programs + 0x200, h);
  if (a % 10 === 0) return '';
  // Individual NPIs start with 1, organisational ones with 2 in practice; either is valid.
  const base = `${1 + (a % 2)}${String(hash3(key, STREAM.programs + 0x201, h) % 100_000_000).padStart(8, '0')}`;
  return base + npiCheckDigit(base);
}

/**
 * The ECM and Community Supports episodes of one member, inside the membership window and after each
 * program's launch: StartDate ≥ EnrollmentStartDate, EndDate blank or after StartDate and not after
 * the reference date or the membership's end. Each program's rate is multiplied by `rateScale` (the
 * caller may have already drawn a gate "has any episode" with probability 1 / rateScale). About 4%
 * of episodes come with a second one for the same program, overlapping or repeated later (the return
 * file has to resolve them).
 *
 * @example
 * ```ts
 * for (const e of episodesOf(rng, membership, ageYears, isHomeless, 1, refDay, npiOf)) console.log(e.program);
 * ```
 */
export function episodesOf(
  rng: Rng,
  membership: Membership,
  age: number,
  homeless: boolean,
  rateScale: number,
  refDay: number,
  npiOf: (provider: string) => string,
): Episode[] {
  const out: Episode[] = [];
  const last = Math.min(refDay - 1, membership.end ?? refDay - 1);
  for (const spec of PROGRAMS) {
    const rate = rateScale * (homeless ? spec.homelessRate : age >= spec.otherMinAge ? spec.otherRate : 0);
    if (!rng.chance(rate)) continue;
    const first = Math.max(membership.start, spec.launch);
    if (first >= last) continue;
    const episode = drawEpisode(rng, spec, first, last, membership.end, refDay);
    out.push(row(spec, episode, rng, npiOf));
    if (rng.chance(0.04)) {
      // Overlapping (a provider change recorded without closing the first) or a later re-enrollment.
      const laterFrom = episode.end === undefined ? last : episode.end + 30;
      const from = rng.chance(0.5) || laterFrom >= last ? episode.start + 1 : laterFrom;
      if (from < last)
        out.push(row(spec, drawEpisode(rng, spec, from, last, membership.end, refDay), rng, npiOf));
    }
  }
  return out;
}

interface DrawnEpisode {
  readonly start: number;
  readonly end: number | undefined;
}

function drawEpisode(
  rng: Rng,
  spec: ProgramSpec,
  first: number,
  last: number,
  membershipEnd: number | undefined,
  refDay: number,
): DrawnEpisode {
  // Recent starts are more common (uptake grew each year since launch).
  const s = Math.min(first + Math.floor((last - first) * Math.sqrt(rng.float())), last - 1);
  const length = rng.between(spec.minDays, spec.maxDays);
  let end: number | undefined = s + Math.max(1, length);
  if (membershipEnd !== undefined) end = Math.min(end, membershipEnd);
  else if (end >= refDay || rng.chance(spec.openShare)) end = undefined;
  if (end !== undefined && end <= s) end = s + 1;
  return { start: s, end };
}

function row(spec: ProgramSpec, e: DrawnEpisode, rng: Rng, npiOf: (provider: string) => string): Episode {
  const provider = rng.pick(spec.providers);
  const npi = rng.chance(0.05) ? '' : npiOf(provider);
  return {
    program: spec.name,
    provider,
    npi,
    start: isoDay(e.start),
    end: e.end === undefined ? '' : isoDay(e.end),
  };
}

/**
 * Age in (fractional) years at the reference date (for age-limited programs).
 *
 * @example
 * ```ts
 * ageAt(person.dob, refDay) >= 65; // eligible for D-SNP
 * ```
 */
export function ageAt(dob: number, refDay: number): number {
  return (refDay - dob) / YEAR;
}
