import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { EXHAUSTIVE_THRESHOLD } from '../../block/blocking.js';
import { batchRowSpec } from '../../compare/compare.js';
import type { EncodedBatch, EncodedMeta, EncodedRowCounts } from '../../encoded/batch.js';
import {
  apartCrc,
  type ColumnRange,
  firstBatchRecords,
  fixedColumnRanges,
  hashColumnRanges,
  RangeCrc,
  relocateColumns,
} from '../../encoded/column-ranges.js';
import { CrcBlocks } from '../../encoded/crc-blocks.js';
import { type EncodedList, openEncoded } from '../../encoded/file.js';
import { formatKeyCheck } from '../../encoded/key-check.js';
import { idStrings } from '../../encoded/lazy-ids.js';
import { readEncodedShared } from '../../encoded/read-shared.js';
import { releaseColumns } from '../../encoded/released.js';
import { BloomlinkError } from '../../errors.js';
import { placeRows, rowStoreColumn } from '../../kernel/rows.js';
import {
  assembleMatch,
  checkCompatible,
  checkNotEmpty,
  type Link,
  type MatchOptions,
  type MatchResult,
  matchSpecs,
} from '../../match/match.js';
import {
  layoutPlanRows,
  MATCH_PARALLEL_MIN_WORK,
  matchBatchesParallel,
  type PlanRows,
} from '../../match/match.node.js';
import { linkageMetrics } from '../../match/metrics.js';
import { batchShape, countedHashes, planShape, sameRows, storedColumns } from '../../match/release-plan.js';
import { type LinkageModel, modelToJson, parseModel } from '../../model/model.js';
import { changesFileLines, linksFileLines, reviewFileLines } from '../../output/links-write.js';
import { defaultThreads, threadsForWork } from '../../parallel/threads.node.js';
import { fileBytes, fileBytesSharedApart, inputStat } from '../../read/source.node.js';
import { firstBatchEnd } from '../../util/arrow-framing.js';
import { OPTION_RULES } from '../../util/options.js';
import { type Command, opt, optRule, req, UsageError } from '../command.js';
import { type NamedPath, OutputSet } from '../files.js';
import { inputBytes, noteInputRead } from '../input.js';
import { manifestOutput, RunManifest } from '../manifest.js';
import { matchPhase, progressBar } from '../progress.js';
import { shouldStream } from '../stream-rule.js';
import { readTruthFile } from '../truth.js';
import { checkPreviousIds, readCycleInputs } from './match-cycle.js';

function loadModel(path: string): LinkageModel {
  let json: unknown;
  try {
    const bytes = readFileSync(path);
    noteInputRead(path, bytes);
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    if (e instanceof BloomlinkError) throw e; // a pipe read twice (INPUT_INVALID)
    throw new BloomlinkError('MODEL_INVALID', `${basename(path)}: not a readable JSON model file`);
  }
  return parseModel(json);
}

/** The automatic links measured against `--truth`, in the counts the report's trust panel shows. */
function measuredLine(links: readonly Link[], truth: readonly (readonly [string, string])[]): string {
  const m = linkageMetrics(
    links.filter((l) => l.status === 'match').map((l) => [l.personalId, l.memberId] as const),
    truth,
  );
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return `measured against ${new Set(truth.map(([a, b]) => `${a}\u0000${b}`)).size} known pairs: ${m.falsePositives} wrong, ${m.falseNegatives} missed (precision ${pct(m.precision)}, recall ${pct(m.recall)})`;
}

/** `bloomlink match`: encoded × encoded → links. Never needs the key. */
export const match: Command = {
  name: 'match',
  summary: 'link an encoded CoC file with an encoded plan file (no key needed)',
  options: {
    coc: { type: 'string', arg: 'FILE', help: 'encoded CoC client file (from encode)', required: true },
    mcp: { type: 'string', arg: 'FILE', help: 'encoded plan member file (from encode)', required: true },
    out: {
      type: 'string',
      arg: 'FILE',
      help: 'links CSV: PersonalID,MemberID,MatchWeight,MatchProbability,Status',
      required: true,
    },
    review: {
      type: 'string',
      arg: 'FILE',
      help: 'also write the clerical-review pairs with per-comparison levels and weights',
    },
    model: {
      type: 'string',
      arg: 'FILE',
      help: 'model JSON: used as is when the file exists (m/u fixed), else the trained model is saved there',
    },
    threshold: {
      type: 'string',
      arg: 'P',
      help: 'match threshold on match probability (default: chosen from the model)',
    },
    'review-threshold': {
      type: 'string',
      arg: 'P',
      help: 'lower edge of the clerical-review band (default: chosen)',
    },
    assignment: {
      type: 'string',
      arg: 'KIND',
      help: "one-to-one assignment: 'greedy' (default) or 'optimal'",
    },
    seed: { type: 'string', arg: 'N', help: 'seed of the training samples (default 42)' },
    'max-block': {
      type: 'string',
      arg: 'N',
      help: 'skip (and report) blocks with more plan records than N (default 2000)',
    },
    report: {
      type: 'string',
      arg: 'FILE',
      help: 'write the match report: one self-contained HTML page (identifiers and agreement levels only)',
    },
    'report-json': { type: 'string', arg: 'FILE', help: 'write the data of the match report as JSON' },
    truth: {
      type: 'string',
      arg: 'FILE',
      help: 'known true pairs (CSV PersonalID,MemberID): the report measures wrong and missed links against them',
    },
    'report-pseudonymise': {
      type: 'boolean',
      help: 'replace PersonalIDs and MemberIDs in the report by report-only labels',
    },
    threads: {
      type: 'string',
      arg: 'N',
      help: `worker threads that score candidate pairs (default: all cores when CoC × plan records reach ${MATCH_PARALLEL_MIN_WORK.toExponential()}, else 1 = no worker threads); same result for any N`,
    },
    'no-blocking': {
      type: 'boolean',
      help: 'compare every pair: candidates are the pairs whose name Bloom filters reach --dice-threshold (small lists; measuring blocking recall)',
    },
    'dice-threshold': {
      type: 'string',
      arg: 'T',
      help: `Dice threshold of --no-blocking on the first + last name filters (default ${EXHAUSTIVE_THRESHOLD})`,
    },
    decisions: {
      type: 'string',
      arg: 'FILE',
      help: 'clerical decisions, cumulative: PersonalID,MemberID,Decision (accept|reject); a filled-in review file is one',
    },
    previous: {
      type: 'string',
      arg: 'FILE',
      help: "last month's links.csv: its links stay while both records are present and score at least the review threshold",
    },
    changes: {
      type: 'string',
      arg: 'FILE',
      help: 'with --previous: write PersonalID,MemberID,Change,Reason (added, kept, removed with a reason code)',
    },
    quiet: { type: 'boolean', short: 'q', help: 'no progress bar or summary' },
  },
  details: `Example:
  bloomlink match --coc coc.arrow --mcp mcp.arrow --out links.csv --review review.csv --model model.json \\
    --report report.html
The two files must come from the same linkage schema and the same key (checked without the key).
Scoring runs on all cores (--threads) for lists large enough to pay for worker threads; the result is
the same for any number of threads. A plan too big to hold whole in this machine's memory is read in
chunks, the monthly cycle included (not for --no-blocking or --truth); the outputs are the same.

The monthly cycle (docs/guides/linkage-monthly.md):
  bloomlink match --coc coc.arrow --mcp mcp.arrow --out 2026-02/links.csv --review 2026-02/review.csv \\
    --decisions decisions.csv --previous 2026-01/links.csv --changes 2026-02/changes.csv
An accepted pair is linked (Status match) whenever both records are present; a rejected pair is never
linked; a decided pair never comes back to review. Every run also writes <out>.manifest.json; the one
beside --previous, when there, must name the same linkage schema and key.`,
  async run(v) {
    const quiet = v.quiet === true;
    const assignmentOption = opt(v, 'assignment') ?? 'greedy';
    if (assignmentOption !== 'greedy' && assignmentOption !== 'optimal')
      throw new UsageError("--assignment must be 'greedy' or 'optimal'");
    const assignment: 'greedy' | 'optimal' = assignmentOption;
    const matchT = optRule(v, 'threshold', OPTION_RULES.probability);
    const reviewT = optRule(v, 'review-threshold', OPTION_RULES.probability);
    if (matchT !== undefined && reviewT !== undefined && reviewT > matchT)
      throw new UsageError('--review-threshold must be at most --threshold');
    const seed = optRule(v, 'seed', OPTION_RULES.seed);
    const maxBlock = optRule(v, 'max-block', OPTION_RULES.positiveInteger);
    const threads = optRule(v, 'threads', OPTION_RULES.positiveInteger);
    const diceThreshold = opt(v, 'dice-threshold');
    if (diceThreshold !== undefined && v['no-blocking'] !== true)
      throw new UsageError('--dice-threshold needs --no-blocking');
    const threshold = optRule(v, 'dice-threshold', OPTION_RULES.unitInterval) ?? EXHAUSTIVE_THRESHOLD;
    const cocPath = req(v, 'coc');
    const mcpPath = req(v, 'mcp');
    const outPath = req(v, 'out');
    const modelPath = opt(v, 'model');
    const model = modelPath && existsSync(modelPath) ? loadModel(modelPath) : undefined;
    const reviewPath = opt(v, 'review');
    const reportPath = opt(v, 'report');
    const reportJsonPath = opt(v, 'report-json');
    const decisionsPath = opt(v, 'decisions');
    const previousPath = opt(v, 'previous');
    const changesPath = opt(v, 'changes');
    if ((previousPath === undefined) !== (changesPath === undefined))
      throw new UsageError('--previous and --changes go together');
    const truthPath = opt(v, 'truth');
    const named = (option: string, path: string | undefined): NamedPath[] => (path ? [{ option, path }] : []);
    // Both inputs must be there before anything is read or any output is begun.
    inputStat(cocPath);
    const mcpStat = inputStat(mcpPath);
    const streamed = shouldStream(mcpStat.size, {
      notAFile: !mcpStat.isFile(),
      noBlocking: v['no-blocking'] === true,
      truth: truthPath !== undefined,
    });
    const inputs = [
      { option: '--coc', path: cocPath },
      { option: '--mcp', path: mcpPath },
      ...named('--model', model ? modelPath : undefined),
      ...named('--decisions', decisionsPath),
      ...named('--previous', previousPath),
      ...named('--truth', truthPath),
    ];
    const manifest = new RunManifest(match, v, inputs);
    // Taken before the long work, so a second run into the same folder stops at once.
    const set = await OutputSet.begin({
      files: [
        { option: '--out', path: outPath },
        ...named('--review', reviewPath),
        ...named('--model', model ? undefined : modelPath),
        ...named('--report', reportPath),
        ...named('--report-json', reportJsonPath),
        ...named('--changes', changesPath),
        manifestOutput(outPath),
      ],
      inputs,
    });
    let summary: string;
    try {
      summary = await matchAndWrite();
      await set.commit();
    } catch (e) {
      manifest.cancelEarlyDigests();
      await set.abort();
      throw e;
    }
    process.stderr.write(summary);
    return 0;
    /** Reads, matches and writes into `set`; returns the summary to print once the set is committed. */
    async function matchAndWrite(): Promise<string> {
      // Both lists are read straight into shared memory: no per-thread copies for the worker threads.
      const read = async (path: string, blocks: boolean) => {
        const stat = inputStat(path);
        const size = stat.size;
        // A pipe has no size to plan the shared columns by: its batches are read, then joined.
        if (!stat.isFile()) return readEncodedShared(inputBytes(path), basename(path), { blocks });
        // A file of one record batch is read whole and its columns used in place; the encoder's
        // batches are copied into the shared columns as they are read, so no copy of the whole
        // file sits beside them.
        const head = oneRecordBatch(path, size);
        if (!head) return readEncodedShared(fileBytes(path), basename(path), { blocks, sizeHint: size });
        // The plan's filter and hash-set columns are read into buffers of their own, dropped once
        // the row store holds them (docs/scaling.md, "The plan's filters and hash sets apart").
        const ranges = blocks ? [] : (fixedColumnRanges(head)?.filter((r) => r.to <= size) ?? []);
        // Each piece is checksummed as it lands, while the next ones are read: the batch's CRC-32C
        // is then put together from the pieces' blocks (docs/scaling.md, "Reading the plan file").
        const crcs = new Map<Uint8Array, CrcBlocks>();
        const { bytes, apart } = await fileBytesSharedApart(path, ranges, {
          onPiece: (all, from, to) => {
            const c = crcs.get(all) ?? new CrcBlocks(all);
            crcs.set(all, c);
            c.add(from, to);
          },
        });
        const list = await readEncodedShared(bytes, basename(path), {
          blocks,
          sizeHint: size,
          crcOf: apartCrc(bytes, ranges, apart, crcs),
          // The plan's IDs (3·10⁶ strings, ≈ 0.11 GiB) are made from the file's bytes when read
          // (docs/scaling.md, "The plan's IDs from the file's bytes").
          lazyIds: !blocks,
        });
        relocateColumns(list.batch, bytes, ranges, apart);
        return list;
      };
      /**
       * The plan for a match on worker threads: its row store is laid out first, from the shape
       * the file's first bytes give (records, schema), and the filter and hash-set columns it holds
       * are copied into the rows as the file's pieces land — checksummed on the way, never held
       * whole (docs/scaling.md, "The plan's columns straight into the row store"). Other plans, and
       * other matches, are read by `read`.
       */
      const readPlan = async (
        cocBatch: EncodedBatch,
        matchOptions: MatchOptions,
      ): Promise<{ list: EncodedList; planRows?: PlanRows & { placed: string[] } }> => {
        const plain = async () => ({ list: await read(mcpPath, false) });
        const stat = inputStat(mcpPath);
        const size = stat.size;
        const head = stat.isFile() ? oneRecordBatch(mcpPath, size) : undefined;
        const n = head ? firstBatchRecords(head) : undefined;
        if (!head || n === undefined || n === 0 || cocBatch.length === 0 || v['no-blocking'] === true)
          return plain();
        const nThreads = threads ?? threadsForWork(cocBatch.length * n, MATCH_PARALLEL_MIN_WORK);
        if (nThreads < 2) return plain();
        let meta: EncodedMeta;
        try {
          meta = (await openEncoded(head, basename(mcpPath), { views: true })).meta;
        } catch {
          return plain(); // the reader that follows reports what is wrong with the file
        }
        const specs = matchSpecs(matchOptions);
        const shape = planShape(meta, n);
        let stored: ReturnType<typeof storedColumns>;
        try {
          stored = storedColumns(specs, shape);
        } catch {
          // A model naming a feature the plan lacks: refused where it always was, after the plan's
          // own checks (the file's damage, its key) have run on the whole file.
          return plain();
        }
        const names = new Set([...stored.blooms, ...stored.sets, ...stored.hashes]);
        const per = (name: string) => {
          const col = shape.blooms[name] ?? shape.sets[name] ?? shape.hashes[name];
          return col ? col.byteLength / n : 0;
        };
        const ranges = [...(fixedColumnRanges(head) ?? []), ...(hashColumnRanges(head) ?? [])]
          .filter(
            (r) => r.to <= size && names.has(r.name) && r.to - r.from === per(r.name) * n && per(r.name) > 0,
          )
          .sort((x, y) => x.from - y.from);
        if (ranges.length === 0) return plain();
        // The keyed hashes go into the rows too, and those training reads whole into arrays of
        // their own, released once it has counted (docs/scaling.md, "The plan's keyed hashes"):
        // the file's buffer never holds them.
        const counted = new Set(countedHashes(specs));
        const kept = new Map<number, Uint8Array>();
        ranges.forEach((r, k) => {
          // Not shared: nothing but this thread reads them, and a plain buffer can be freed at once.
          if (r.name in shape.hashes && counted.has(r.name)) kept.set(k, new Uint8Array(r.to - r.from));
        });
        const rows = layoutPlanRows(cocBatch, shape, { ...matchOptions, threads: nThreads });
        const store = rows.batch.rows;
        const crcs = new Map<Uint8Array, CrcBlocks>();
        const whole = new Map(ranges.map((r, k) => [k, new RangeCrc(r.to - r.from)]));
        const { bytes } = await fileBytesSharedApart(
          mcpPath,
          ranges.map((r) => ({ from: r.from, to: r.to, unit: per(r.name) })),
          {
            onPiece: (all, from, to) => {
              const c = crcs.get(all) ?? new CrcBlocks(all);
              crcs.set(all, c);
              c.add(from, to);
            },
            scatter: (k, piece, at) => {
              const r = ranges[k] as ColumnRange;
              const w = per(r.name);
              whole.get(k)?.add(at, piece);
              kept.get(k)?.set(piece, at);
              // A piece cut short (the file shrank) places its whole records; the reader then
              // refuses the cut file.
              placeRows(
                rows.memory,
                store,
                r.name,
                w,
                at / w,
                piece.subarray(0, piece.length - (piece.length % w)),
              );
            },
          },
        );
        const list = await readEncodedShared(bytes, basename(mcpPath), {
          blocks: false,
          sizeHint: size,
          crcOf: apartCrc(bytes, ranges, [], crcs, whole),
          lazyIds: true,
        });
        // The file read whole must have the shape its first bytes gave.
        if (list.batch.length !== n || !sameRows(rows.spec, batchRowSpec(specs, batchShape(list.batch))))
          throw new BloomlinkError(
            'FILE_CORRUPT',
            `${basename(mcpPath)}: the file changed while it was read; read it again`,
          );
        // Its columns read into the rows are zeros in `bytes`: from now on they are read back
        // from the rows.
        const placed = ranges.map((r) => r.name);
        const hashes = list.batch.hashes as Record<string, Uint32Array>;
        for (const [k, own] of kept) {
          const r = ranges[k] as ColumnRange;
          const col = hashes[r.name];
          // The reader's view of the column must be the range the file's first bytes gave.
          if (
            col?.buffer !== bytes.buffer ||
            col.byteOffset - bytes.byteOffset !== r.from ||
            col.byteLength !== own.length
          )
            throw new BloomlinkError(
              'FILE_CORRUPT',
              `${basename(mcpPath)}: the file changed while it was read; read it again`,
            );
          hashes[r.name] = new Uint32Array(own.buffer, own.byteOffset, n);
        }
        releaseColumns(
          list.batch,
          placed.filter((f) => f in list.batch.blooms),
          placed.filter((f) => f in list.batch.sets),
          // Widths in the column's own units: a filter's bytes, a hash set's or hash's 32-bit words.
          (name, records) =>
            rowStoreColumn(
              rows.memory,
              store,
              name,
              name in list.batch.blooms ? per(name) : per(name) / 4,
              records,
            ),
          placed.filter((f) => f in list.batch.hashes && !counted.has(f)),
        );
        return { list, planRows: { ...rows, placed } };
      };
      const coc = await read(cocPath, true);
      const options = {
        meta: coc.meta,
        ...(model ? { model } : {}),
        ...(seed === undefined ? {} : { seed }),
        ...(maxBlock === undefined ? {} : { maxBlockSize: maxBlock }),
        assignment,
        thresholds: {
          ...(matchT === undefined ? {} : { match: matchT }),
          ...(reviewT === undefined ? {} : { review: reviewT }),
        },
      };
      // Decisions and last month's links, read and checked before any matching work.
      const cycleRead = await readCycleInputs(coc, decisionsPath, previousPath);
      // The inputs' digests (1 GB for a plan of 3·10⁶) are read while the plan is read and scored,
      // not after the links are written (and not at all when the run stops before); --previous's,
      // when the cycle's check took it, is not read again.
      if (previousPath !== undefined && cycleRead.previousDigest !== undefined)
        manifest.knownDigest(previousPath, cycleRead.previousDigest);
      manifest.digestInputsEarly();
      const cycleOptions = {
        ...(cycleRead.decisions ? { decisions: cycleRead.decisions.decisions } : {}),
        ...(cycleRead.previous ? { previous: cycleRead.previous } : {}),
      };
      const checkCycle = (hasMember: (id: string) => boolean) => {
        if (previousPath === undefined) return cycleRead;
        const persons = new Set(coc.batch.ids);
        return checkPreviousIds(cycleRead, previousPath, (id) => persons.has(id), hasMember);
      };
      // The plan streamed when holding it whole would not fit comfortably (src/cli/stream-rule.ts):
      // memory in the CoC list and one chunk; the same outputs.
      if (streamed) {
        const bar = progressBar('match: reading', { quiet });
        // Streaming is chosen for plans too big to hold, so its chunks are scored on every core
        // unless --threads says otherwise; the result is the same for any thread count.
        const n = threads ?? defaultThreads();
        // Loaded only for a streamed match (as the report's code only for a report): a small job
        // does not compile them (docs/scaling.md, "Small jobs").
        const { scoreStreaming } = await import('../../match/stream.js');
        const { scoreChunksOnThreads } = await import('../../match/stream.node.js');
        // Last month's links are checked against the plan's IDs once its first reading ends, before
        // training and scoring (minutes at 3·10⁶ records), not after them.
        let cycle: ReturnType<typeof checkCycle> = cycleRead;
        const s = await scoreStreaming(coc.batch, () => fileBytes(mcpPath), {
          ...options,
          ...cycleOptions,
          ...(n > 1 ? { scoreChunks: scoreChunksOnThreads(n) } : {}),
          label: basename(mcpPath),
          onProgress: (p) => matchPhase(bar, p),
          onPlanIdsRead: (hasMember) => {
            cycle = checkCycle(hasMember);
          },
        });
        const result = assembleMatch(
          coc.batch,
          s.records,
          s.model,
          s.scored,
          { ...options, ...cycleOptions },
          undefined,
          s.planRecords,
        );
        bar.done();
        return write(coc, { rows: s.rows, records: s.planRecords }, result, cycle);
      }
      const { list: mcp, planRows } = await readPlan(coc.batch, options);
      checkCompatible(coc.meta, mcp.meta);
      checkNotEmpty(coc.batch, mcp.batch);
      const members = previousPath === undefined ? undefined : new Set(idStrings(mcp.batch.ids));
      const cycle = checkCycle((id) => members?.has(id) ?? false);
      const truth = truthPath ? await readTruthFile(truthPath) : undefined;
      const bar = progressBar('match: reading', { quiet });
      const result = await matchBatchesParallel(coc.batch, mcp.batch, {
        ...options,
        ...(threads === undefined ? {} : { threads }),
        ...(v['no-blocking'] === true ? { exhaustive: { threshold } } : {}),
        ...(truth ? { truth } : {}),
        ...cycleOptions,
        ...(planRows ? { planRows, threads: planRows.threads } : {}),
        // This command's plan batch: its filters and hash sets are read only through the row store
        // once it is written (the rest of this command reads IDs and counts).
        releasePlan: true,
        onProgress: (p) => matchPhase(bar, p),
      });
      bar.done();
      return write(coc, { rows: mcp.rows, records: mcp.batch.length }, result, cycle, truth);
    }

    /** Writes the outputs of a match into `set`; returns the summary to print once it is committed. */
    async function write(
      coc: Awaited<ReturnType<typeof readEncodedShared>>,
      mcp: { rows: EncodedRowCounts | undefined; records: number },
      result: MatchResult,
      cycle: Pick<Awaited<ReturnType<typeof readCycleInputs>>, 'warnings' | 'decisions' | 'previous'>,
      truth?: readonly (readonly [string, string])[],
    ): Promise<string> {
      // Links, review pairs and the report name record IDs: private. The model holds only m/u
      // probabilities and thresholds: shared.
      await set.writeLines(outPath, linksFileLines(result), 'private');
      if (reviewPath) await set.writeLines(reviewPath, reviewFileLines(result), 'private', '--review');
      if (modelPath && !model)
        await set.writeText(
          modelPath,
          modelToJson({ ...result.model, thresholds: result.thresholds }),
          'shared',
          '--model',
        );
      if (reportPath || reportJsonPath) {
        const { buildReport } = await import('../../report/build.js');
        const { renderReportHtml } = await import('../../report/html.js');
        const report = buildReport(result, {
          modelSource: model ? 'file' : 'trained',
          lists: { ...(coc.rows ? { coc: coc.rows } : {}), ...(mcp.rows ? { mcp: mcp.rows } : {}) },
          pseudonymiseIds: v['report-pseudonymise'] === true,
          ...(truth ? { truth } : {}),
        });
        if (reportPath) await set.writeText(reportPath, renderReportHtml(report), 'private', '--report');
        if (reportJsonPath)
          await set.writeText(
            reportJsonPath,
            `${JSON.stringify(report, null, 2)}\n`,
            'private',
            '--report-json',
          );
      }
      if (changesPath)
        await set.writeLines(
          changesPath,
          changesFileLines(result.cycle?.changes ?? []),
          'private',
          '--changes',
        );
      manifest.rows('--coc', coc.batch.length).rows('--mcp', mcp.records).linkage(coc.meta);
      if (cycle.decisions) manifest.rows('--decisions', cycle.decisions.rows);
      if (cycle.previous) manifest.rows('--previous', cycle.previous.length);
      manifest.count('links', result.links.length);
      manifest.count('matches', result.counts.matches).count('review', result.counts.review);
      for (const [k, n] of Object.entries(result.cycle?.counts ?? {})) manifest.count(k, n);
      manifest.attach(set, outPath);
      if (quiet) return cycle.warnings.join('');
      const c = result.counts;
      const y = result.cycle?.counts;
      const capped = result.blocking.passes.reduce((a, p) => a + p.cappedBlocks, 0);
      return (
        [
          `CoC records: ${c.cocRecords}, plan records: ${c.mcpRecords}`,
          `key check: ${formatKeyCheck(coc.meta.keyCheck)} (carried by both files)`,
          `candidate pairs: ${c.candidatePairs} (reduction ratio ${result.blocking.reductionRatio.toFixed(6)})${capped ? `, ${capped} oversized blocks skipped` : ''}`,
          `links: ${c.matches} match, ${c.review} review (thresholds ${result.thresholds.match.toFixed(3)} / ${result.thresholds.review.toFixed(3)}); ${c.conflictsResolved} one-to-one conflicts resolved`,
          model
            ? `model: used ${modelPath}`
            : modelPath
              ? `model: trained and saved to ${modelPath}`
              : 'model: trained',
          ...(truth ? [measuredLine(result.links, truth)] : []),
          ...(streamed
            ? ['plan: streamed in chunks, not held whole (docs/scaling.md, "Streaming the plan side")']
            : []),
          ...(reportPath ? [`report: ${reportPath}`] : []),
          ...(y && cycle.decisions
            ? [
                `decisions: ${y.decisions} (${cycle.decisions.undecided} rows undecided); ${y.acceptedLinked} accepted pairs linked, ${y.acceptedInactive} with a record absent; ${y.rejectedCandidates} rejected pairs kept from linking`,
              ]
            : []),
          ...(y && cycle.previous
            ? [
                `changes from --previous: ${y.kept} kept, ${y.added} added, ${y.removed} removed (see ${changesPath})`,
              ]
            : []),
          '',
        ].join('\n') + cycle.warnings.join('')
      );
    }
  },
};

/** Slack after the first record batch of a one-batch file: its end batch and end-of-stream marker. */
const ONE_BATCH_TAIL = 1 << 20;

/**
 * The first MiB of the encoded file at `path` (`size` bytes) when it is an Arrow stream of one
 * record batch (plus its end batch), told from those bytes: such a file is best read whole and used
 * in place; else undefined.
 */
function oneRecordBatch(path: string, size: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (!fstatSync(fd).isFile()) return undefined;
    const head = new Uint8Array(Math.min(size, ONE_BATCH_TAIL));
    const n = readSync(fd, head, 0, head.length, 0);
    const end = firstBatchEnd(head.subarray(0, n));
    return end !== undefined && end <= size && size - end <= ONE_BATCH_TAIL ? head.subarray(0, n) : undefined;
  } catch {
    return undefined; // the reader that follows reports what is wrong with the file
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
