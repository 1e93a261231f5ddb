/**
 * Realistic populations to attack: synthetic plan members and CoC clients (src/synth: Census 1990
 * name frequencies, nicknames, typos, two-part surnames, placeholders), read through the real readers
 * so the encoder sees exactly what it would see in production, plus the clear values an attack is
 * scored against.
 */
import type { PersonToEncode } from '../encode/encoder.js';
import { normaliseName } from '../normalise/names.js';
import { collect, readClients, readMembers } from '../read/reader.js';
import { synthesize } from '../synth/index.js';
import { soundexInitialKey } from './reference.js';

/** The clear values attacks are scored against, one entry per person. */
export interface NameTruth {
  /** Normalised first name (as encoded), or `undefined`. */
  readonly first: (string | undefined)[];
  /** Normalised last name (as encoded), or `undefined`. */
  readonly last: (string | undefined)[];
  /** Soundex of the last name + first initial (the `lastSoundexInitial` blocking key in clear). */
  readonly soundexInitial: (string | undefined)[];
}

/**
 * The normalised names of persons, as the encoder sees them.
 * @example
 * ```ts
 * const p = { nameDataQuality: 1, dobDataQuality: 99, ssnDataQuality: 99 } as const;
 * nameTruth([{ id: '1', firstName: 'José', lastName: 'Smith', ...p }]);
 * // { first: ['JOSE'], last: ['SMITH'], soundexInitial: ['S530|J'] }
 * ```
 */
export function nameTruth(persons: readonly PersonToEncode[]): NameTruth {
  const first: (string | undefined)[] = [];
  const last: (string | undefined)[] = [];
  const soundexInitial: (string | undefined)[] = [];
  for (const p of persons) {
    const n = normaliseName(p);
    first.push(n.first);
    last.push(n.last);
    // A two-part surname yields several blocking keys; the attack only aligns single-key records.
    soundexInitial.push(
      n.first && n.last && n.lastParts.length <= 1 ? soundexInitialKey(n.last, n.first) : undefined,
    );
  }
  return { first, last, soundexInitial };
}

/**
 * A plan's member list of `members` synthetic persons, validated by the member reader.
 * @example
 * ```ts
 * const persons = await memberPopulation({ seed: 7, members: 100_000 });
 * ```
 */
export async function memberPopulation(opts: { seed: number; members: number }): Promise<PersonToEncode[]> {
  const data = synthesize({ seed: opts.seed, clients: 0, members: opts.members, overlap: 0 });
  const read = await collect(readMembers(data.members(), { today: '2026-01-01' }));
  return read.records.map((r) => ({ ...r, id: r.memberId }));
}

/**
 * A CoC client list of `clients` synthetic persons and which of them are plan members (by the
 * generator's ground truth): the plan, as key holder, should learn nothing about the others.
 * @example
 * ```ts
 * const { persons, member } = await cocPopulation({ seed: 7, clients: 5000 });
 * ```
 */
export async function cocPopulation(opts: {
  seed: number;
  clients: number;
  overlap?: number;
}): Promise<{ persons: PersonToEncode[]; member: boolean[] }> {
  const overlap = opts.overlap ?? 0.4;
  const data = synthesize({ seed: opts.seed, clients: opts.clients, members: opts.clients, overlap });
  const read = await collect(readClients(data.clients(), { today: '2026-01-01' }));
  const members = new Set([...data.truth()].map((t) => t.PersonalID));
  const persons = read.records.map((r) => ({ ...r, id: r.personalId, memberId: r.mcpMemberId }));
  return { persons, member: persons.map((p) => members.has(p.id)) };
}
