import type { CocLayout } from '../records.js';
import { parseIsoDay } from './civil-date.js';
import { type DefectRateOverrides, type DefectRates, resolveDefectRates } from './defect-rates.js';
import { seedKey } from './prng.js';

/**
 * Options of {@link synthesize}.
 *
 * @example
 * ```ts
 * const opts: SynthOptions = { seed: 7, clients: 100_000, members: 3_000_000, overlap: 0.35 };
 * ```
 */
export interface SynthOptions {
  /** Any finite number; the same seed and options always give byte-identical output. */
  readonly seed: number;
  /** Number of distinct persons in the CoC client list (duplicate rows, if enabled, come on top). */
  readonly clients: number;
  /** Number of plan members (at most 160,000,000: the CIN space). */
  readonly members: number;
  /** Share of CoC clients who are plan members, in [0, 1]. Default 0.4 (domain.md §4.5: 30–60%). */
  readonly overlap?: number;
  /** The "today" of the data, `YYYY-MM-DD`: ages, enrollments and episodes end by it. Default `2026-01-01`. */
  readonly referenceDate?: string;
  /** Header layout of the CoC list. Default `contract`. */
  readonly cocLayout?: CocLayout;
  /** Defect rates to override; see {@link DEFAULT_DEFECT_RATES}. */
  readonly defects?: DefectRateOverrides;
  /** Plan name in the `MCP` column. Default `Golden State Health Plan` (fictional). */
  readonly mcpName?: string;
  /**
   * `iso` (default): every date `YYYY-MM-DD`. `mixed`: DOBs of the contract-layout lists spelled in
   * the other formats the contract accepts (`MM/DD/YYYY`, `M/D/YY`, `YYYYMMDD`, `DD-MON-YY`) about a
   * quarter of the time. HMIS layouts are always ISO, as HUD requires.
   */
  readonly dateFormat?: 'iso' | 'mixed';
  /**
   * Share of the CoC clients who are members whose `MCPMemberID` the CoC already knows (from an
   * earlier exchange, an ECM referral or the client). Default 0.15 (assumed); some known IDs are
   * mistyped or another member's (`KNOWN_MEMBER_ID_DEFECTS`).
   */
  readonly knownMemberIdRate?: number;
}

/**
 * {@link SynthOptions} with defaults applied and values checked.
 *
 * @example
 * ```ts
 * const o: ResolvedOptions = resolveOptions({ seed: 1, clients: 10, members: 30 });
 * ```
 */
export interface ResolvedOptions {
  readonly key: number;
  readonly clients: number;
  readonly members: number;
  /** Number of CoC clients who are members: `round(overlap × clients)`. */
  readonly shared: number;
  readonly refDay: number;
  readonly referenceDate: string;
  readonly cocLayout: CocLayout;
  readonly rates: DefectRates;
  readonly mcpName: string;
  readonly mixedDates: boolean;
  readonly knownMemberIdRate: number;
}

/**
 * Largest member count: MemberIDs and CINs are drawn without repetition from the CIN space.
 *
 * @example
 * ```ts
 * synthesize({ seed: 1, clients: 10, members: MAX_MEMBERS }); // the largest allowed
 * ```
 */
export const MAX_MEMBERS = 160_000_000;
/**
 * Largest client count (keeps person indices and PersonalIDs well inside 32 bits).
 *
 * @example
 * ```ts
 * synthesize({ seed: 1, clients: MAX_CLIENTS, members: MAX_CLIENTS }); // the largest allowed
 * ```
 */
export const MAX_CLIENTS = 100_000_000;

const LAYOUTS: readonly CocLayout[] = ['contract', 'hmis-fy2026', 'hmis-fy2024'];

/**
 * Applies defaults and validates; programmer mistakes throw `TypeError`/`RangeError` naming the option.
 *
 * @example
 * ```ts
 * const o = resolveOptions({ seed: 1, clients: 10, members: 30 });
 * o.shared; // 4
 * ```
 */
export function resolveOptions(opts: SynthOptions): ResolvedOptions {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
  if (typeof opts.seed !== 'number') throw new TypeError('seed must be a number');
  const clients = count('clients', opts.clients, MAX_CLIENTS);
  const members = count('members', opts.members, MAX_MEMBERS);
  const overlap = opts.overlap ?? 0.4;
  if (typeof overlap !== 'number' || !(overlap >= 0 && overlap <= 1)) {
    throw new RangeError('overlap must be a number in [0, 1]');
  }
  const shared = Math.round(overlap * clients);
  if (shared > members) throw new RangeError('overlap × clients must not exceed members');
  const referenceDate = opts.referenceDate ?? '2026-01-01';
  const refDay = typeof referenceDate === 'string' ? parseIsoDay(referenceDate) : undefined;
  if (refDay === undefined || referenceDate < '1990-01-01' || referenceDate > '2100-12-31') {
    throw new RangeError('referenceDate must be a YYYY-MM-DD date between 1990 and 2100');
  }
  const cocLayout = opts.cocLayout ?? 'contract';
  if (!LAYOUTS.includes(cocLayout)) throw new RangeError(`cocLayout must be one of ${LAYOUTS.join(', ')}`);
  const mcpName = opts.mcpName ?? 'Golden State Health Plan';
  if (typeof mcpName !== 'string' || mcpName.trim() === '')
    throw new TypeError('mcpName must be a non-empty string');
  const dateFormat = opts.dateFormat ?? 'iso';
  if (dateFormat !== 'iso' && dateFormat !== 'mixed')
    throw new RangeError("dateFormat must be 'iso' or 'mixed'");
  const knownMemberIdRate = opts.knownMemberIdRate ?? 0.15;
  if (typeof knownMemberIdRate !== 'number' || !(knownMemberIdRate >= 0 && knownMemberIdRate <= 1)) {
    throw new RangeError('knownMemberIdRate must be a number in [0, 1]');
  }
  return {
    key: seedKey(opts.seed),
    clients,
    members,
    shared,
    refDay,
    referenceDate,
    cocLayout,
    rates: resolveDefectRates(opts.defects),
    mcpName,
    mixedDates: dateFormat === 'mixed',
    knownMemberIdRate,
  };
}

function count(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in [0, ${max}]`);
  }
  return value;
}
