/**
 * The attacks of a party without the key (a linkage unit, or anyone who obtains an encoded file) run
 * together on one encoded batch and scored against the clear names: frequency alignment of the exact
 * name hashes, of a name blocking key and of whole Bloom filters, and q-gram pattern mining on the
 * Bloom filters (after undoing what hardening can be undone).
 */
import type { EncodedBatch } from '../encoded/batch.js';
import type { LinkageSchema } from '../encoded/schema.js';
import { blockKeys, filterKeys, filterMatrix, hashKeys, type RecordKey } from './columns.js';
import { frequencyAlignment } from './frequency.js';
import { type AttackOutcome, anyHitShare, scoreGuesses } from './outcome.js';
import { patternMiningAttack } from './pattern-mining.js';
import type { NameTruth } from './population.js';
import { type ReferenceTable, soundexInitialTable } from './reference.js';
import { attackerView } from './unharden.js';

/** The attacker's clear reference frequencies. */
export interface References {
  readonly first: ReferenceTable;
  readonly last: ReferenceTable;
}

/** Options of {@link noKeyAttacks}. */
export interface NoKeyAttackOptions {
  /** Encodings aligned per group by the frequency attacks (default 100). */
  readonly top?: number;
  /**
   * Presence tolerances tried by pattern mining; the best is reported (an upper bound: a real attacker
   * has to guess it). Default `[0, 1, 2]`, plus 3 when BLIP flips 5 % or more.
   */
  readonly tolerances?: readonly number[];
  /** Skip pattern mining (it is the slow part). */
  readonly skipMining?: boolean;
}

/** Pattern mining's outcome on one field, with the settings that produced it. */
export interface MiningOutcome extends AttackOutcome {
  readonly tolerance: number;
  readonly qgrams: number;
}

/** Everything {@link noKeyAttacks} measured. */
export interface NoKeyResults {
  readonly hashFirst: AttackOutcome;
  readonly hashLast: AttackOutcome;
  /** Share of records whose first or last name the exact-hash alignment re-identified. */
  readonly hashAny: number;
  /** Alignment of the `lastSoundexInitial` blocking key (Soundex of surname + first initial). */
  readonly block?: AttackOutcome;
  readonly bloomFreqFirst: AttackOutcome;
  readonly bloomFreqLast: AttackOutcome;
  readonly miningFirst?: MiningOutcome;
  readonly miningLast?: MiningOutcome;
  /** Share of records whose first or last name the Bloom-filter attacks re-identified. */
  readonly bloomAny: number;
  /** Share of records whose first or last name any attack re-identified. */
  readonly any: number;
}

/**
 * Runs every no-key attack on one encoded batch.
 * @example
 * ```ts
 * const refs = { first: censusFirstNames(), last: censusSurnames() };
 * const r = noKeyAttacks(batch, schema, nameTruth(persons), refs);
 * console.log(r.any);
 * ```
 */
export function noKeyAttacks(
  batch: EncodedBatch,
  schema: LinkageSchema,
  truth: NameTruth,
  refs: References,
  opts: NoKeyAttackOptions = {},
): NoKeyResults {
  const top = opts.top ?? 100;
  const salt = schema.hardening.salt;
  // Salted filters of one value differ per salt; the salt's own keyed hash groups them again.
  const groups: readonly RecordKey[] | undefined =
    salt && batch.hashes[salt] ? hashKeys(batch, salt) : undefined;
  const grouped = groups ? { groups } : {};
  const hashFirst = scoreGuesses(
    frequencyAlignment(hashKeys(batch, 'first'), refs.first, { top }),
    truth.first,
  );
  const hashLast = scoreGuesses(frequencyAlignment(hashKeys(batch, 'last'), refs.last, { top }), truth.last);
  const block = batch.blocks.lastSoundexInitial
    ? scoreGuesses(
        frequencyAlignment(
          blockKeys(batch, 'lastSoundexInitial'),
          soundexInitialTable(refs.first, refs.last),
          { top },
        ),
        truth.soundexInitial,
      )
    : undefined;
  const bloomFreqFirst = scoreGuesses(
    frequencyAlignment(filterKeys(batch, 'firstBloom'), refs.first, { top, ...grouped }),
    truth.first,
  );
  const bloomFreqLast = scoreGuesses(
    frequencyAlignment(filterKeys(batch, 'lastBloom'), refs.last, { top, ...grouped }),
    truth.last,
  );
  const miningFirst = opts.skipMining
    ? undefined
    : mine(batch, schema, 'firstBloom', refs.first, truth.first, groups, opts);
  const miningLast = opts.skipMining
    ? undefined
    : mine(batch, schema, 'lastBloom', refs.last, truth.last, groups, opts);
  const bloom = [
    bloomFreqFirst,
    bloomFreqLast,
    ...(miningFirst ? [miningFirst] : []),
    ...(miningLast ? [miningLast] : []),
  ];
  return {
    hashFirst,
    hashLast,
    hashAny: anyHitShare([hashFirst, hashLast]),
    ...(block ? { block } : {}),
    bloomFreqFirst,
    bloomFreqLast,
    ...(miningFirst ? { miningFirst } : {}),
    ...(miningLast ? { miningLast } : {}),
    bloomAny: anyHitShare(bloom),
    any: anyHitShare([hashFirst, hashLast, ...bloom]),
  };
}

function mine(
  batch: EncodedBatch,
  schema: LinkageSchema,
  feature: string,
  reference: ReferenceTable,
  truth: readonly (string | undefined)[],
  groups: readonly RecordKey[] | undefined,
  opts: NoKeyAttackOptions,
): MiningOutcome | undefined {
  const spec = schema.features.find((f) => f.name === feature);
  const bytes = batch.blooms[feature];
  if (spec?.kind !== 'bloom' || spec.tokens.type !== 'qgram' || !bytes) return undefined;
  const view = attackerView(filterMatrix(bytes, batch.length), schema.hardening);
  const tolerances = opts.tolerances ?? [0, 1, 2, ...(schema.hardening.blip >= 0.05 ? [3] : [])];
  let best: MiningOutcome | undefined;
  for (const tolerance of tolerances) {
    const r = patternMiningAttack(view, reference, {
      k: spec.k,
      q: spec.tokens.q,
      padded: spec.tokens.padded,
      tolerance,
      ...(groups ? { groups } : {}),
    });
    const s = scoreGuesses(r.guesses, truth);
    if (!best || s.share > best.share) best = { ...s, tolerance, qgrams: r.mined.length };
  }
  return best;
}
