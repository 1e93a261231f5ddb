import {
  CONTRACT_CLIENT_COLUMNS,
  HMIS_FY2024_CLIENT_COLUMNS,
  HMIS_FY2026_CLIENT_COLUMNS,
  MEMBER_COLUMNS,
  PROGRAM_COLUMNS,
  TRUTH_COLUMNS,
} from './columns.js';
import { createContext, type SynthContext } from './context.js';
import { membershipOf } from './membership.js';
import type { SynthOptions } from './options.js';
import { personAt } from './person.js';
import { Rng } from './prng.js';
import { ageAt, episodesOf, providerNpi } from './programs.js';
import { clientRow, memberRecord, memberRow, type SynthRow } from './rows.js';
import { STREAM } from './streams.js';

/**
 * One ground-truth pair: this client row is this member.
 *
 * @example
 * ```ts
 * const data = synthesize({ seed: 42, clients: 200, members: 600, overlap: 0.4 });
 * const links = new Map<string, string>();
 * for (const { PersonalID, MemberID } of data.truth() as Iterable<TruthPair>) links.set(PersonalID, MemberID);
 * ```
 */
export interface TruthPair {
  readonly PersonalID: string;
  readonly MemberID: string;
}

/**
 * The lists of a synthetic data set.
 *
 * @example
 * ```ts
 * const data = synthesize({ seed: 42, clients: 200, members: 600, overlap: 0.4 });
 * const list: SynthList = 'members';
 * for (const row of data.rows(list)) console.log(row);
 * ```
 */
export type SynthList = 'clients' | 'members' | 'programs' | 'truth';

/**
 * A synthetic data set: each list is generated lazily, row by row, every time it is iterated.
 *
 * @example
 * ```ts
 * const data: SynthData = synthesize({ seed: 1, clients: 2000, members: 6000 });
 * ```
 */
export interface SynthData {
  /** CoC client list rows in the chosen layout, keyed by column name. */
  clients(): Iterable<SynthRow>;
  /** MCP member list rows. */
  members(): Iterable<SynthRow>;
  /** MCP program list rows (ECM and Community Supports episodes), grouped by member in member order. */
  programs(): Iterable<SynthRow>;
  /** One pair per client row whose person is a member, in client row order. */
  truth(): Iterable<TruthPair>;
  /**
   * The same rows as arrays of values in `columns[list]` order: the fast path for writers (no
   * per-row records to build and look up).
   */
  rows(list: SynthList): Iterable<string[]>;
  /** Column order of each list (the header to write). */
  readonly columns: {
    readonly clients: string[];
    readonly members: string[];
    readonly programs: string[];
    readonly truth: string[];
  };
  /** Row counts known up front (the number of program episodes is only known by generating them). */
  readonly counts: { readonly clients: number; readonly members: number; readonly truth: number };
}

/** Share of non-client members drawn as "has any program episode" before the per-program draws. */
const OTHER_GATE = 0.05;

/**
 * Generates a realistic, seeded CoC client list, MCP member list and MCP program list with ground
 * truth. Nothing is held in memory: each iteration regenerates its rows from `(seed, options)`, so
 * millions of members stream in constant memory, and the same options always give the same rows.
 *
 * @throws TypeError / RangeError for invalid options (naming the option)
 * @example
 * ```ts
 * import { synthesize } from 'bloomlink/synth';
 * const data = synthesize({ seed: 42, clients: 2000, members: 6000, overlap: 0.4 });
 * for (const row of data.clients()) console.log(row.PersonalID, row.FirstName);
 * const truth = [...data.truth()]; // 800 pairs
 * ```
 */
export function synthesize(opts: SynthOptions): SynthData {
  const ctx = createContext(opts);
  const pop = ctx.population;
  const layout = ctx.options.cocLayout;
  const clientColumns =
    layout === 'hmis-fy2026'
      ? HMIS_FY2026_CLIENT_COLUMNS
      : layout === 'hmis-fy2024'
        ? HMIS_FY2024_CLIENT_COLUMNS
        : CONTRACT_CLIENT_COLUMNS;
  const columns = {
    clients: [...clientColumns],
    members: [...MEMBER_COLUMNS],
    programs: [...PROGRAM_COLUMNS],
    truth: [...TRUTH_COLUMNS],
  };
  return {
    *clients() {
      for (let r = 0; r < pop.clientRows; r++) yield clientRow(ctx, r).values;
    },
    *members() {
      for (let r = 0; r < pop.members; r++) yield memberRecord(memberRow(ctx, r));
    },
    *programs() {
      for (const v of programArrays(ctx)) {
        yield {
          MemberID: v[0],
          Program: v[1],
          Provider: v[2],
          ProviderNPI: v[3],
          StartDate: v[4],
          EndDate: v[5],
        };
      }
    },
    *truth() {
      for (const [PersonalID, MemberID] of truthArrays(ctx)) yield { PersonalID, MemberID };
    },
    *rows(list: SynthList) {
      switch (list) {
        case 'clients':
          for (let r = 0; r < pop.clientRows; r++) {
            const values = clientRow(ctx, r).values;
            yield columns.clients.map((c) => values[c] ?? '');
          }
          return;
        case 'members':
          for (let r = 0; r < pop.members; r++) yield memberRow(ctx, r);
          return;
        case 'programs':
          yield* programArrays(ctx);
          return;
        case 'truth':
          yield* truthArrays(ctx);
          return;
        default:
          throw new RangeError('list must be clients, members, programs or truth');
      }
    },
    columns,
    counts: { clients: pop.clientRows, members: pop.members, truth: truthRowCount(ctx) },
  };
}

function* programArrays(ctx: SynthContext): Generator<[string, string, string, string, string, string]> {
  const { population: pop, options: o } = ctx;
  const npis = new Map<string, string>();
  const npiOf = (provider: string): string => {
    let npi = npis.get(provider);
    if (npi === undefined) {
      npi = providerNpi(o.key, provider);
      npis.set(provider, npi);
    }
    return npi;
  };
  for (let r = 0; r < pop.members; r++) {
    const p = pop.memberPerson(r);
    const rng = new Rng(o.key, STREAM.programs, p);
    const homeless = pop.isMemberClient(p);
    // Decide "any episode" first for other members, skipping the person and membership work for the
    // ~95% without one; their per-program rates are scaled up by 1 / OTHER_GATE to compensate.
    if (!homeless && rng.float() >= OTHER_GATE) continue;
    const { dob } = personAt(ctx.space, p);
    const membership = membershipOf(o.key, p, dob, o.refDay);
    const memberId = pop.memberId(p);
    const scale = homeless ? 1 : 1 / OTHER_GATE;
    for (const e of episodesOf(rng, membership, ageAt(dob, o.refDay), homeless, scale, o.refDay, npiOf)) {
      yield [memberId, e.program, e.provider, e.npi, e.start, e.end];
    }
  }
}

function* truthArrays(ctx: SynthContext): Generator<[string, string]> {
  const pop = ctx.population;
  for (let r = 0; r < pop.clientRows; r++) {
    const slot = pop.clientSlot(r);
    const p = pop.slotPerson(slot);
    if (pop.isMember(p)) yield [pop.personalId(slot), pop.memberId(p)];
  }
}

/** Truth rows: the shared persons, plus duplicate rows whose person is shared. */
function truthRowCount(ctx: SynthContext): number {
  const pop = ctx.population;
  let n = pop.shared;
  for (let d = 0; d < pop.duplicates; d++) if (pop.isMember(pop.slotPerson(pop.clients + d))) n++;
  return n;
}
