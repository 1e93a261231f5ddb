import type { ResolvedOptions } from './options.js';
import { Permutation } from './permutation.js';
import { hash3 } from './prng.js';
import { STREAM } from './streams.js';

/**
 * CIN check letters: A–Z without B, I, J, K, L, O, P, Q, R, S (domain.md §3.4).
 *
 * @example
 * ```ts
 * CIN_LETTERS.includes('B'); // false
 * ```
 */
export const CIN_LETTERS = 'ACDEFGHMNTUVWXYZ';

/**
 * Who is in which list, as index arithmetic (no per-person tables, so it streams).
 *
 * Persons are numbered: `0 … members-1` are the plan's members, `members …` are CoC clients who are
 * not members. The CoC list has `clients` persons: `shared` of them drawn without repetition from the
 * members (a keyed permutation), the rest the non-members `members, members+1, …`. Both lists are
 * written in a permuted order, so neither order reveals the pairing. Optional duplicate client rows
 * ("slots" beyond `clients`) repeat a distinct earlier slot's person.
 *
 * @example
 * ```ts
 * const pop = new Population(resolveOptions({ seed: 1, clients: 10, members: 30 }));
 * pop.memberPerson(0); // person index of the first member row
 * ```
 */
export class Population {
  readonly key: number;
  readonly members: number;
  readonly clients: number;
  readonly shared: number;
  /** Number of duplicate client rows. */
  readonly duplicates: number;
  /** Number of client rows: `clients + duplicates`. */
  readonly clientRows: number;
  private readonly memberOrder: Permutation;
  private readonly clientPick: Permutation;
  private readonly clientOrder: Permutation;
  private readonly duplicatePick: Permutation;
  private readonly memberIds: Permutation;
  private readonly cins: Permutation;
  private readonly personalIds: Permutation;

  constructor(o: ResolvedOptions) {
    this.key = o.key;
    this.members = o.members;
    this.clients = o.clients;
    this.shared = o.shared;
    this.duplicates = Math.round(o.rates.coc.duplicate * o.clients);
    this.clientRows = o.clients + this.duplicates;
    const perm = (n: number, which: number) => new Permutation(n, hash3(o.key, STREAM.permutation, which));
    this.memberOrder = perm(o.members, 1);
    this.clientPick = perm(o.members, 2);
    this.clientOrder = perm(this.clientRows, 3);
    this.duplicatePick = perm(o.clients, 4);
    this.memberIds = perm(1_000_000_000, 5);
    this.cins = perm(10_000_000 * CIN_LETTERS.length, 6);
    // Sparse IDs (≥ 10× the rows) look like a slice of a larger HMIS.
    this.personalIds = perm(Math.min(Math.max(8_999_999, 10 * this.clientRows), 4_000_000_000), 7);
  }

  /** Person index of member row `row` (0 ≤ row < members). */
  memberPerson(row: number): number {
    return this.memberOrder.at(row);
  }

  /** Client slot written at client row `row` (0 ≤ row < clientRows). */
  clientSlot(row: number): number {
    return this.clientOrder.at(row);
  }

  /** Person index of a client slot. */
  slotPerson(slot: number): number {
    const s = slot < this.clients ? slot : this.duplicatePick.at(slot - this.clients);
    return s < this.shared ? this.clientPick.at(s) : this.members + (s - this.shared);
  }

  /** 0 for a person's first client row, 1 for an HMIS duplicate row. */
  slotCopy(slot: number): number {
    return slot < this.clients ? 0 : 1;
  }

  /** Whether person `p` is a plan member. */
  isMember(p: number): boolean {
    return p < this.members;
  }

  /** Whether member `p` is also a CoC client (used to give homeless members ECM/CS far more often). */
  isMemberClient(p: number): boolean {
    return p < this.members && this.clientPick.indexOf(p) < this.shared;
  }

  /** MemberID of member `p`: `M` + 9 digits, unique. */
  memberId(p: number): string {
    return `M${String(this.memberIds.at(p)).padStart(9, '0')}`;
  }

  /** CIN of member `p`: `9` + 7 digits + a check letter, unique. */
  cin(p: number): string {
    const x = this.cins.at(p);
    const digits = x % 10_000_000;
    return `9${String(digits).padStart(7, '0')}${CIN_LETTERS[(x - digits) / 10_000_000]}`;
  }

  /** PersonalID of client slot `slot`: a unique number of at least 7 digits. */
  personalId(slot: number): string {
    return String(1_000_000 + this.personalIds.at(slot));
  }
}
