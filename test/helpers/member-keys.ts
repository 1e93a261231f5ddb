/** Every field of `MemberRecord`, for tests that compare or copy member records field by field. */
import type { MemberRecord } from '../../src/records.js';

/**
 * The fields of a member record, in the order the member validator writes them. Held to the type
 * both ways: a name that is not a field fails `satisfies`, and a field left out of the list fails
 * {@link EVERY_MEMBER_KEY_LISTED}'s type, so a field added to `MemberRecord` stops the type check
 * until it is listed here — and the tests that loop over the list then cover it.
 * @example
 * ```ts
 * for (const k of MEMBER_RECORD_KEYS) expect(copy[k]).toBe(record[k]);
 * ```
 */
export const MEMBER_RECORD_KEYS = [
  'line',
  'memberId',
  'firstName',
  'middleName',
  'lastName',
  'nameSuffix',
  'nameDataQuality',
  'dob',
  'dobDataQuality',
  'ssn',
  'ssnDataQuality',
  'sex',
  'cin',
  'mcp',
  'coverageType',
  'enrollmentStartDate',
  'enrollmentEndDate',
] as const satisfies readonly (keyof MemberRecord)[];

type Unlisted = Exclude<keyof MemberRecord, (typeof MEMBER_RECORD_KEYS)[number]>;

/** `true`, and only type-checks while every field of `MemberRecord` is in {@link MEMBER_RECORD_KEYS}. */
export const EVERY_MEMBER_KEY_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
