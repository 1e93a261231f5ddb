/**
 * `match`'s monthly-cycle inputs: the decisions file and last month's links, read and checked against
 * this month's encoded files before any matching work. Last month's links hold only IDs, so whether
 * they come from the same linkage schema and key is told by the manifest `match` wrote beside them.
 */
import { basename } from 'node:path';
import { indexDecisions } from '../../decide/cycle.js';
import type { EncodedList } from '../../encoded/file.js';
import { BloomlinkError } from '../../errors.js';
import { checkPrevious } from '../../match/cycle.js';
import type { PreviousLink } from '../../match/match.js';
import { type DecisionsRead, readDecisions } from '../../output/decisions.js';
import { readLinks } from '../../output/links.js';
import { inputBytes, pipedDigest } from '../input.js';
import { digestFile, manifestPath, readManifest } from '../manifest.js';

/**
 * What {@link readCycleInputs} gives `match`.
 * @example
 * ```ts
 * const cycle: CycleInputs = await readCycleInputs(coc, 'decisions.csv', undefined);
 * for (const w of cycle.warnings) process.stderr.write(w);
 * ```
 */
export interface CycleInputs {
  readonly decisions?: DecisionsRead;
  readonly previous?: readonly PreviousLink[];
  /** Warning lines (each ending in a line break) to print with the summary. */
  readonly warnings: readonly string[];
  /** `--previous`'s digest when it was taken here (to check it against its manifest): the run's manifest reuses it. */
  readonly previousDigest?: { readonly sha256: string; readonly bytes: number };
}

/**
 * Reads `--decisions` and `--previous` (either may be absent) and checks `--previous` against the CoC
 * file's linkage schema and key (its manifest); {@link checkPreviousIds} then checks its IDs against
 * this month's files.
 * @throws BloomlinkError `DECISION_INVALID` (a bad row), `DECISION_CONFLICT` (two rows deciding one
 *   pair differently, or two accepted pairs sharing a record), `SCHEMA_MISMATCH` / `KEY_MISMATCH` (the
 *   manifest beside `--previous` names another schema or key), `INPUT_INVALID` (a bad row in
 *   `--previous`, or links that are not one-to-one)
 * @example
 * ```ts
 * const cycle = await readCycleInputs(coc, 'decisions.csv', '2026-01/links.csv');
 * ```
 */
export async function readCycleInputs(
  coc: EncodedList,
  decisionsPath: string | undefined,
  previousPath: string | undefined,
): Promise<CycleInputs> {
  const warnings: string[] = [];
  const decisions = decisionsPath
    ? await readDecisions(inputBytes(decisionsPath), { label: basename(decisionsPath) })
    : undefined;
  // Contradictions within the file stop the run now, not after the plan is read and scored (the
  // match checks them again where it applies them).
  if (decisions) indexDecisions(decisions.decisions);
  if (previousPath === undefined) return { ...(decisions ? { decisions } : {}), warnings };

  const label = basename(previousPath);
  const manifest = readManifest(previousPath);
  if (manifest === undefined) {
    warnings.push(
      `bloomlink: warning: no ${basename(manifestPath(previousPath))} beside --previous, so its linkage schema and key cannot be checked\n`,
    );
  } else {
    if (manifest.linkage === undefined)
      throw new BloomlinkError('INPUT_INVALID', `${label}: its manifest is not that of a match run`);
    if (manifest.linkage.schemaFingerprint !== coc.meta.schemaFingerprint)
      throw new BloomlinkError(
        'SCHEMA_MISMATCH',
        `--previous ${label} was made from files of another linkage schema (its manifest says so); links of another schema cannot be carried over`,
      );
    if (manifest.linkage.keyCheck !== coc.meta.keyCheck)
      throw new BloomlinkError(
        'KEY_MISMATCH',
        `--previous ${label} was made from files encoded with another secret key (its manifest says so); links of another key cannot be carried over`,
      );
  }

  const read = await readLinks(inputBytes(previousPath), { label, includeReview: true });
  let previousDigest: CycleInputs['previousDigest'];
  if (manifest !== undefined) {
    // After the links are read: a pipe is read once, and its digest taken as it is read.
    previousDigest = pipedDigest(previousPath) ?? (await digestFile(previousPath));
    if (!manifest.outputs.some((o) => o.sha256 === previousDigest?.sha256))
      warnings.push(
        `bloomlink: warning: --previous ${label} is not the file its manifest describes (changed since it was written)\n`,
      );
  }
  const bad = read.issues.filter((i) => i.severity === 'error');
  if (bad.length > 0) {
    const first = bad[0];
    throw new BloomlinkError(
      'INPUT_INVALID',
      `--previous ${label}: ${read.counts.rejected} rows cannot be used (first: line ${first?.line}, ${first?.field}, ${first?.code}); give last month's links file as match wrote it`,
    );
  }
  const previous = read.links.map((l) => ({ personalId: l.personalId, memberId: l.memberId }));
  checkPrevious(previous);
  return {
    ...(decisions ? { decisions } : {}),
    previous,
    warnings,
    ...(previousDigest && { previousDigest }),
  };
}

/**
 * Checks last month's links against this month's files: refuses a `--previous` whose links mostly
 * name records in neither file (another exchange's file), and warns of the few that do (people who
 * left both lists). `hasMember` need only answer for the MemberIDs of `cycle.previous` (a streamed
 * match knows just those records of the plan).
 * @throws BloomlinkError `INPUT_INVALID` when more than half of the links name records in neither file
 * @example
 * ```ts
 * const checked = checkPreviousIds(cycle, '2026-01/links.csv', (id) => cocIds.has(id), (id) => planIds.has(id));
 * ```
 */
export function checkPreviousIds(
  cycle: CycleInputs,
  previousPath: string,
  hasPerson: (id: string) => boolean,
  hasMember: (id: string) => boolean,
): CycleInputs {
  const previous = cycle.previous;
  if (previous === undefined) return cycle;
  const label = basename(previousPath);
  const strangers = previous.filter((l) => !hasPerson(l.personalId) && !hasMember(l.memberId)).length;
  if (strangers > previous.length / 2)
    throw new BloomlinkError(
      'INPUT_INVALID',
      `--previous ${label}: ${strangers} of ${previous.length} links name a PersonalID not in the CoC file and a MemberID not in the plan file; is it the links file of this exchange?`,
    );
  if (strangers === 0) return cycle;
  return {
    ...cycle,
    warnings: [
      ...cycle.warnings,
      `bloomlink: warning: ${strangers} of ${previous.length} links of --previous name records in neither file (both have left the lists); they are removed\n`,
    ],
  };
}
