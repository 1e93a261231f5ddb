/**
 * Row-level issue codes of the output stage (MCP return file, HMIS import files), in the same shape
 * as the reader's registry (`src/read/issue-codes.ts`). They cover what only the output stage can see:
 * links that point nowhere, episodes of unknown members, dates relative to the export.
 * docs/formats-outputs.md lists the same codes.
 */
import type { IssueCodeInfo } from '../issue-codes.js';

// `satisfies` keeps the literal keys (for OutputIssueCode) while checking every entry's shape.
const codes = {
  LINK_STATUS_INVALID: {
    severity: 'error',
    summary: 'The link Status is neither match nor review.',
    effect: 'The link is not used.',
    fix: "Use the links file written by 'bloomlink match' unchanged, or set Status to match or review.",
  },
  LINK_DUPLICATE: {
    severity: 'error',
    summary:
      'The PersonalID or MemberID of the link already appeared on an earlier link (links are one-to-one).',
    effect: 'The first link is used; this link is not.',
    fix: 'Keep one link per client and per member.',
  },
  LINK_MEMBER_UNKNOWN: {
    severity: 'error',
    summary: 'The MemberID of the link is not among the accepted rows of the member list.',
    effect: 'The link is not used; no return row is written for the client.',
    fix: 'Use the member list the plan encoded for matching; if its row was rejected, fix that row.',
  },
  LINK_CLIENT_UNKNOWN: {
    severity: 'error',
    summary: 'The PersonalID of the link is not among the accepted rows of the client list.',
    effect: "The pair is left out of the CoC's half of the review packet.",
    fix: 'Use the client list the CoC encoded for matching; if its row was rejected, fix that row.',
  },
  PROGRAM_MEMBER_UNKNOWN: {
    severity: 'error',
    summary: 'The MemberID of the program episode is not among the accepted rows of the member list.',
    effect: 'The episode is not used.',
    fix: 'Export the program list and the member list from the same extract.',
  },
  END_DATE_UNUSABLE: {
    severity: 'error',
    summary: 'The end date is filled in but could not be read as a date.',
    effect: 'The row is not used: treating it as still open would report an enrollment that may have ended.',
    fix: 'Correct the end date, or leave it blank while the enrollment is open.',
  },
  PROGRAM_STATUS_INVALID: {
    severity: 'error',
    summary:
      'The ECM or Community Supports status is neither enrolled nor not enrolled, or contradicts its dates.',
    effect: 'The row is not used.',
    fix: "Write the return file with 'bloomlink return-file', or use enrolled / not enrolled with an enrollment date.",
  },
  ECM_OUTSIDE_MEDI_CAL: {
    severity: 'warning',
    summary: 'The ECM episode is not within a Medi-Cal coverage span of the member.',
    effect:
      'The episode is returned as the plan gave it; ECM is a Medi-Cal benefit, so the dates may be wrong.',
    fix: "Check the episode's dates and the member's Medi-Cal coverage with the plan.",
  },
  SERVICE_OUTSIDE_COVERAGE: {
    severity: 'warning',
    summary: 'The Community Supports episode is not within a coverage span of the member.',
    effect: 'The episode is returned as the plan gave it.',
    fix: "Check the episode's dates and the member's coverage with the plan.",
  },
  EPISODE_OVERLAP: {
    severity: 'warning',
    summary: 'The episode overlaps an earlier-starting episode of the same program of the member.',
    effect:
      'Both episodes are kept in the history file; the return file shows the one open on the as-of day (else the most recent).',
    fix: 'End the earlier episode (for example at a provider change) in the plan data.',
  },
  HISTORY_RECORD_INVALID: {
    severity: 'error',
    summary: 'The Record of the return history row is none of coverage, ECM, CS or retracted.',
    effect: 'The row is not used.',
    fix: "Use the history file written by 'bloomlink return-file' unchanged.",
  },
  DATE_AFTER_EXPORT: {
    severity: 'warning',
    summary: 'The date is after the export date.',
    effect: 'A start after the export date is left for a later run; an end after it is not written yet.',
    fix: 'None needed: run the export again after the date.',
  },
  OTHER_OPEN_ENROLLMENT: {
    severity: 'warning',
    summary: 'The existing export has another open enrollment of this client in the project.',
    effect: 'The other enrollment is left as it is; HMIS will show overlapping enrollments.',
    fix: 'Exit or delete the other enrollment in HMIS if it is the same membership.',
  },
  EXIT_NOT_IN_RETURN: {
    severity: 'warning',
    summary:
      'The existing export has an exit for this enrollment, but the return file shows the membership open.',
    effect:
      'With the return history beside the return file the exit is deleted (the coverage span is open again); from the return file alone the existing exit is left as it is.',
    fix: 'Check the membership end date with the plan; delete the exit in HMIS if the membership was reinstated.',
  },
  ENROLLMENT_NOT_CONFIRMED: {
    severity: 'warning',
    summary:
      "An open enrollment of the existing export is no longer supported by the plan's data (the member left the plan, the link was removed, or no coverage span of the client matches it).",
    effect:
      'The enrollment gets an exit dated the last day the plan confirmed the coverage (its CoverageConfirmedThrough answer; the entry date when it has none), never later.',
    fix: 'None needed when the member left; if the link was wrong, the plan retracts it (the enrollment is then deleted).',
  },
  SERVICE_NOT_IN_SPAN: {
    severity: 'warning',
    summary:
      'The ECM or Community Supports episode starts outside every coverage span of the client in the return history.',
    effect:
      'The episode is not written: a service belongs to the enrollment of the coverage span that holds it.',
    fix: "Check the episode's start date and the member's coverage spans with the plan.",
  },
} as const satisfies Record<string, IssueCodeInfo>;

/**
 * Every output-stage issue code with its severity, summary, effect and fix. Frozen.
 *
 * @example
 * ```ts
 * OUTPUT_ISSUE_CODES.LINK_MEMBER_UNKNOWN.severity; // 'error'
 * ```
 */
export const OUTPUT_ISSUE_CODES: Readonly<Record<keyof typeof codes, IssueCodeInfo>> = Object.freeze(
  Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, Object.freeze({ ...v })])) as typeof codes,
);

/**
 * An output-stage issue code.
 *
 * @example
 * ```ts
 * const code: OutputIssueCode = 'PROGRAM_MEMBER_UNKNOWN';
 * ```
 */
export type OutputIssueCode = keyof typeof codes;
