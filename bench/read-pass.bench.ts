/**
 * The read-encode worker's reading alone (issue #16): a member or CoC CSV file cut into the pieces
 * `encodeParallel` hands its workers (`splitCsv`, 64 Ki characters), then each piece through
 * `readEncodeRole.run` on this thread — the first pass (`spansOnly`) and the second (parse,
 * validate, build the records), with the encoder replaced by one that only counts, so what is
 * timed is the part from a piece's text to the `PersonToEncode` objects. Every piece's outcome
 * (lines, accepted, issues, rejected IDs, and each record as the encoder would get it) is hashed,
 * so two source trees can be compared for identical answers. Run it alternately on two trees for
 * paired figures.
 *
 * Usage: npx tsx bench/read-pass.bench.ts FILE [SRC=this tree's src/] [--rounds N=3] [--today D]
 *   [--passes first] (the first pass only: a run of both less this one is the second pass)
 *   (SRC: another tree's `src/`, e.g. /work/base17/src, whose modules are timed instead)
 * For instruction counts: `--rounds 1` under
 *   nice -n 10 valgrind --tool=callgrind --callgrind-out-file=OUT node --import tsx bench/read-pass.bench.ts …
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { PersonToEncode } from '../src/encode/encoder.js';
import type { TextPiece } from '../src/read/split.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1] ?? dflt;
  args.splice(i, 2);
  return v;
};
const rounds = Number(opt('--rounds', '3'));
// `--passes first`: the first pass only (its instructions, to take from a run of both).
const passes = opt('--passes', 'both');
const today = opt('--today', '2026-01-01');
const [path, srcDir] = args;
if (!path) throw new Error('usage: read-pass.bench.ts FILE [SRC] [--rounds N] [--today D]');
const src = srcDir === undefined ? new URL('../src/', import.meta.url) : pathToFileURL(`${srcDir}/`);
const load = (m: string) => import(new URL(m, src).href);
const { readEncodeRole } = (await load(
  'encode/read-encode-task.ts',
)) as typeof import('../src/encode/read-encode-task.js');
const { splitCsv } = (await load('read/split.ts')) as typeof import('../src/read/split.js');
const { detectLayout } = (await load('read/layouts.ts')) as typeof import('../src/read/layouts.js');

const file = await splitCsv(readFileSync(path), { label: 'input', pieceChars: 1 << 16 });
const pieces: TextPiece[] = [];
for await (const p of file.pieces()) pieces.push(p);
const header = file.header.fields;
const { kind, layout } = detectLayout(header, 'input');
if (kind === 'programs') throw new Error('a CoC or member list');
const key = new Uint8Array(32).fill(7);
const base = readEncodeRole.init({
  key,
  party: kind === 'coc' ? 'coc' : 'mcp',
  schema: undefined as never,
  kind,
  layout,
  header,
  delimiter: file.delimiter,
  label: 'input',
  today,
});
// The encoder replaced: the records are hashed (first round) or counted, never encoded.
let persons = 0;
let digest: ReturnType<typeof createHash> | undefined;
const encoder = {
  encodeMany(ps: readonly PersonToEncode[]) {
    persons += ps.length;
    if (digest !== undefined)
      for (const p of ps)
        digest.update(
          `${p.id}|${p.firstName}|${p.middleName}|${p.lastName}|${p.nameSuffix}|${p.nameDataQuality}|${p.dob}|${p.dobDataQuality}|${p.ssn}|${p.ssnDataQuality}|${p.sex}|${p.memberId}\n`,
        );
    return undefined;
  },
};
const state = { ...base, encoder } as unknown as typeof base;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let round = 0; round < rounds; round++) {
  digest = round === 0 ? createHash('sha256') : undefined;
  persons = 0;
  const t0 = cpu();
  let spanRows = 0;
  if (kind === 'members')
    for (const p of pieces)
      spanRows +=
        readEncodeRole.run(state, { ...p, spansOnly: true, idSeed: 1 }).result.spans?.lines.length ?? 0;
  const t1 = cpu();
  let rows = 0;
  for (const p of passes === 'first' ? [] : pieces) {
    const { result } = readEncodeRole.run(state, p);
    rows += result.lines.length;
    if (digest !== undefined) {
      digest.update(result.lines);
      digest.update(result.accepted);
      digest.update(JSON.stringify(result.issues));
      digest.update(JSON.stringify(result.rejectedIds));
    }
  }
  const t2 = cpu();
  console.log(
    `round ${round + 1}: first pass ${(t1 - t0).toFixed(0)} ms (${spanRows} spans), second pass ${(t2 - t1).toFixed(0)} ms (${rows} rows, ${persons} records)${digest === undefined ? '' : `; sha256 ${digest.digest('hex').slice(0, 16)}`}`,
  );
}
