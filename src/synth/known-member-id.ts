import type { Population } from './population.js';
import { unit } from './prng.js';
import { STREAM } from './streams.js';

/**
 * How the CoC's record of a member's plan ID (`MCPMemberID`) goes wrong, as shares of the known IDs
 * (assumed: no published figures; chosen so the matcher meets each case): one digit mistyped, or the
 * ID of another member (a family member's, or an ID the plan re-issued); and, harmlessly, written in
 * lower case with a dash, as people copy IDs from letters.
 *
 * @example
 * ```ts
 * KNOWN_MEMBER_ID_DEFECTS.mistyped; // 0.04
 * ```
 */
export const KNOWN_MEMBER_ID_DEFECTS = { mistyped: 0.04, otherMember: 0.02, formatted: 0.1 } as const;

/**
 * The `MCPMemberID` the CoC holds for member `p` (whose ID it knows): usually the member's own ID,
 * sometimes mistyped, another member's, or formatted differently ({@link KNOWN_MEMBER_ID_DEFECTS}).
 *
 * @example
 * ```ts
 * knownMemberId(pop, key, p); // e.g. 'M004318876', 'M004318976' or 'm-004318876'
 * ```
 */
export function knownMemberId(pop: Population, key: number, p: number): string {
  const own = pop.memberId(p);
  const d = unit(key, STREAM.knownMemberIdDefect, p);
  const detail = unit(key, STREAM.knownMemberIdDefect + STREAM.detail, p);
  const { mistyped, otherMember, formatted } = KNOWN_MEMBER_ID_DEFECTS;
  if (d < mistyped) {
    // One of the nine digits replaced by a different digit.
    const pos = 1 + Math.floor(detail * 9);
    const old = own.charCodeAt(pos) - 48;
    const digit = (old + 1 + Math.floor(unit(key, STREAM.knownMemberIdDefect + 1, p) * 9)) % 10;
    return `${own.slice(0, pos)}${digit}${own.slice(pos + 1)}`;
  }
  if (d < mistyped + otherMember && pop.members > 1) {
    const q = Math.floor(detail * (pop.members - 1));
    return pop.memberId(q >= p ? q + 1 : q);
  }
  if (d < mistyped + otherMember + formatted) return `m-${own.slice(1)}`;
  return own;
}
