/**
 * Key of a (PersonalID, MemberID) pair for maps and sets: the two IDs joined by NUL, which cannot
 * occur in an ID read from a file or an encoded list.
 *
 * @example
 * ```ts
 * retracted.has(pairKey('P1', 'M1'));
 * ```
 */
export function pairKey(personalId: string, memberId: string): string {
  return `${personalId}\u0000${memberId}`;
}
