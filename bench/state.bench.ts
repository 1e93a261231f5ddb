/**
 * A state's plan (issue #16): a 2·10⁵-client CoC list against a 1.5·10⁷-member plan, matched with
 * the plan streamed (`bloomlink match` with `BLOOMLINK_MATCH_STREAM=1`), timed under
 * `/usr/bin/time -v`, at plan prefixes of 3·10⁶ and 7.5·10⁶ too, so the growth is measured. Takes
 * tens of minutes: not in `npm run bench`'s default list.
 *
 * `gen`: the project's generator (`synthesize`, seed 13: Census name frequencies, the generator's
 * age mix, 40 % of clients are members as in bench/lib/scale.ts), encoded with the real encoder
 * and the evaluation key of the scale sets. The plan is never held in memory: child processes each
 * generate, read (`readMembers`) and encode a range of member rows in the encoder's batches of
 * 16,384 and write them as an encoded part file; the parts are then copied, batch by batch, into
 * one encoded file per prefix (`mcp-N.arrow`). The truth (`truth.json`: each true pair with the
 * row of its member in the plan) lets every prefix be scored. Everything goes to
 * `.bench-cache/state/` (about 5 GB of encoded plan at 1.5·10⁷, plus the prefixes).
 *
 * `match`: for each prefix, the built CLI (`dist/cli.js`, run `npm run build` first) under
 * `/usr/bin/time -v`, streaming, 2 worker threads, training the model as a user's run does, or with
 * `--model FILE` (trained and saved there by the first run when absent, used as is after); prints
 * one JSON line per run: wall, CPU (user + sys), µs of CPU per candidate pair, peak RSS, candidate
 * pairs, links, and precision, recall and F1 of the `match` links (and F1 with the `review` links)
 * against the truth pairs whose member is in the prefix.
 *
 * Run it under `nice -n 10` on a shared machine: the parts and the runs inherit it. `gen` skips
 * what exists (resuming from part files) and deletes the parts after the merges unless `--keep`.
 *
 * Usage:
 *   nice -n 10 npx tsx bench/state.bench.ts gen [--clients 200000] [--members 15000000] [--jobs 2]
 *     [--sizes 3000000,7500000,15000000] [--keep]
 *   nice -n 10 npx tsx bench/state.bench.ts match [--sizes …] [--cli dist/cli.js] [--threads 2]
 *     [--model FILE] [--dir DIR]
 *   nice -n 10 npx tsx bench/state.bench.ts all   (gen, then match; `npm run bench -- state`)
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type PersonToEncode, RecordEncoder } from '../src/encode/encoder.js';
import { parseKey } from '../src/encode/key.js';
import type { EncodedBatch, EncodedMeta } from '../src/encoded/batch.js';
import { openEncoded, writeEncoded } from '../src/encoded/file.js';
import { collect, readClients, readMembers } from '../src/read/reader.js';
import { fileBytes } from '../src/read/source.node.js';
import { createContext } from '../src/synth/context.js';
import { memberRecord, memberRow } from '../src/synth/rows.js';
import { synthesize } from '../src/synth/synthesize.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EVAL_KEY = '5f1d2c3b4a5968778695a4b3c2d1e0ff00112233445566778899aabbccddeeff';
const TODAY = '2026-01-01';
const SEED = 13;
const BATCH = 16_384;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: join(ROOT, '.bench-cache/state') },
    clients: { type: 'string', default: '200000' },
    members: { type: 'string', default: '15000000' },
    sizes: { type: 'string', default: '3000000,7500000,15000000' },
    jobs: { type: 'string', default: '2' },
    part: { type: 'string', default: '1500000' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    cli: { type: 'string', default: join(ROOT, 'dist/cli.js') },
    threads: { type: 'string', default: '2' },
    model: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const dir = values.dir;
const clients = Number(values.clients);
const members = Number(values.members);
const sizes = values.sizes.split(',').map(Number);
const data = () => synthesize({ seed: SEED, clients, members, referenceDate: TODAY });

/** Writes `batches` as one encoded Arrow file at `path` (through a temporary name), synchronously to disk. */
async function writeFile(
  path: string,
  meta: EncodedMeta,
  batches: AsyncIterable<EncodedBatch> | Iterable<EncodedBatch>,
): Promise<number> {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const { records } = await writeEncoded('arrow', meta, batches, (c) => {
      writeSync(fd, c);
    });
    closeSync(fd);
    renameSync(tmp, path);
    return records;
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Encodes the member rows `from`…`to` (exclusive) of the generated plan into `out`. */
async function part(from: number, to: number, out: string): Promise<void> {
  const ctx = createContext({ seed: SEED, clients, members, referenceDate: TODAY });
  const enc = new RecordEncoder(parseKey(EVAL_KEY), { party: 'mcp' });
  async function* batches(): AsyncGenerator<EncodedBatch> {
    // Row r of the generated plan is a function of r alone (`memberRow`): the same rows, in the same
    // order, as `synthesize(…).members()` yields.
    for (let at = from; at < to; at += BATCH) {
      const slice: Record<string, string>[] = [];
      for (let r = at; r < Math.min(to, at + BATCH); r++)
        slice.push(memberRecord(memberRow(ctx, r)) as Record<string, string>);
      const m = await collect(readMembers(slice, { today: TODAY }));
      if (m.records.length !== slice.length) throw new Error(`rows ${at}…: some rejected`);
      yield enc.encodeMany(m.records.map((r) => ({ ...r, id: r.memberId }) as PersonToEncode));
    }
  }
  await writeFile(out, enc.meta, batches());
  enc.dispose();
}

function runChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Run `gen` itself under `nice -n 10`: the parts inherit it.
    const c = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
      stdio: 'inherit',
      cwd: ROOT,
    });
    c.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`part ${args.join(' ')}: exit ${code}`)),
    );
  });
}

async function gen(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const d = data();
  // CoC list: small, encoded in one go as bench/lib/scale.ts does.
  const cocPath = join(dir, 'coc.arrow');
  if (!existsSync(cocPath)) {
    const c = await collect(readClients(d.clients() as Iterable<Record<string, string>>, { today: TODAY }));
    const enc = new RecordEncoder(parseKey(EVAL_KEY), { party: 'coc' });
    const people = c.records.map(
      (r) => ({ ...r, id: r.personalId, memberId: r.mcpMemberId }) as PersonToEncode,
    );
    const batches: EncodedBatch[] = [];
    for (let i = 0; i < people.length; i += BATCH) batches.push(enc.encodeMany(people.slice(i, i + BATCH)));
    await writeFile(cocPath, enc.meta, batches);
    enc.dispose();
    console.log(`coc.arrow: ${c.records.length} clients (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  // Truth, with the plan row of each true pair's member (a prefix holds the pairs whose row is in it).
  const truthPath = join(dir, 'truth.json');
  if (!existsSync(truthPath)) {
    // Row r of the plan is person `memberPerson(r)`: walking the rows' persons (no row generated)
    // finds each true pair's member row.
    const pop = createContext({ seed: SEED, clients, members, referenceDate: TODAY }).population;
    const want = new Map<string, string[]>();
    for (const t of d.truth()) {
      const l = want.get(t.MemberID);
      if (l) l.push(t.PersonalID);
      else want.set(t.MemberID, [t.PersonalID]);
    }
    const pairs: [string, string, number][] = [];
    for (let r = 0; r < members; r++) {
      const p = pop.memberPerson(r);
      if (!pop.isMemberClient(p)) continue;
      const id = pop.memberId(p);
      for (const c of want.get(id) ?? []) pairs.push([c, id, r]);
    }
    if (pairs.length !== d.counts.truth)
      throw new Error(`truth: ${pairs.length} of ${d.counts.truth} pairs found`);
    writeFileSync(truthPath, JSON.stringify(pairs));
    console.log(`truth.json: ${pairs.length} pairs (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  // The plan, in parts encoded by `jobs` child processes at a time.
  const step = Number(values.part);
  const parts: { from: number; to: number; path: string }[] = [];
  // Only the parts the wanted prefixes need (`--sizes`); the generated plan is still `--members` long.
  const upto = Math.max(...sizes);
  for (let from = 0; from < upto; from += step)
    parts.push({ from, to: Math.min(members, from + step), path: join(dir, `part-${from}.arrow`) });
  const todo = parts.filter((p) => !existsSync(p.path));
  const jobs = Number(values.jobs);
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let p = todo.shift(); p; p = todo.shift()) {
        const t = performance.now();
        await runChild([
          'part',
          '--clients',
          String(clients),
          '--members',
          String(members),
          '--from',
          String(p.from),
          '--to',
          String(p.to),
          '--out',
          p.path,
        ]);
        console.log(`${p.path}: rows ${p.from}…${p.to} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
    }),
  );
  // One file per prefix, the parts' batches copied in order (each part is read and CRC-checked).
  for (const n of sizes) {
    const path = join(dir, `mcp-${n}.arrow`);
    if (existsSync(path)) continue;
    const use = parts.filter((p) => p.to <= n);
    if (use.at(-1)?.to !== n) throw new Error(`prefix ${n} is not a whole number of parts of ${step}`);
    const first = await openEncoded(fileBytes(use[0]!.path), 'part');
    async function* all(): AsyncGenerator<EncodedBatch> {
      yield* first.batches;
      for (const p of use.slice(1)) yield* (await openEncoded(fileBytes(p.path), 'part')).batches;
    }
    const records = await writeFile(path, first.meta, all());
    console.log(`${path}: ${records} records, ${(statSync(path).size / 2 ** 30).toFixed(2)} GiB`);
  }
  if (!values.keep) for (const p of parts) rmSync(p.path, { force: true });
  console.log(`gen done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** The first value of `key` anywhere in a parsed JSON document. */
function find(o: unknown, key: string): unknown {
  if (o === null || typeof o !== 'object') return undefined;
  if (key in o) return (o as Record<string, unknown>)[key];
  for (const v of Object.values(o)) {
    const r = find(v, key);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** The figures of `/usr/bin/time -v`'s report. */
function timeFigures(text: string): { wall: number; cpu: number; rssMiB: number } {
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
  const user = num(/User time \(seconds\): ([\d.]+)/);
  const sys = num(/System time \(seconds\): ([\d.]+)/);
  const w = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(text);
  const wall = w ? Number(w[1] ?? 0) * 3600 + Number(w[2]) * 60 + Number(w[3]) : Number.NaN;
  return {
    wall,
    cpu: user + sys,
    rssMiB: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024),
  };
}

function match(): void {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as [string, string, number][];
  for (const n of sizes) {
    const out = join(dir, `run-${n}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const saved = values.model !== undefined && existsSync(values.model);
    const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    // Run `match` itself under `nice -n 10` (the runs inherit it).
    const args = [
      '-v',
      process.execPath,
      values.cli,
      'match',
      '--coc',
      join(dir, 'coc.arrow'),
      '--mcp',
      join(dir, `mcp-${n}.arrow`),
      '--out',
      join(out, 'links.csv'),
      '--report-json',
      join(out, 'report.json'),
      '--threads',
      values.threads,
      '-q',
      ...(values.model ? ['--model', values.model] : []),
    ];
    const r = spawnSync('/usr/bin/time', args, {
      env: { ...process.env, BLOOMLINK_MATCH_STREAM: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    if (r.status !== 0) {
      console.error(r.stderr);
      throw new Error(`match at ${n}: exit ${r.status}`);
    }
    const t = timeFigures(r.stderr);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const pairs = Number(find(report, 'candidatePairs'));
    // Links: PersonalID,MemberID,MatchWeight,MatchProbability,Status (header first); quality of the
    // `match` links, as `npm run eval` gives it, and with the `review` links too.
    const links = readFileSync(join(out, 'links.csv'), 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
    const inPrefix = new Set(truth.filter((p) => p[2] < n).map((p) => `${p[0]}\u0000${p[1]}`));
    const quality = (statuses: string[]) => {
      let all = 0;
      let right = 0;
      for (const l of links) {
        const [p, m, , , status] = l.split(',');
        if (!statuses.includes(status ?? '')) continue;
        all++;
        if (inPrefix.has(`${p}\u0000${m}`)) right++;
      }
      const precision = right / Math.max(1, all);
      const recall = right / Math.max(1, inPrefix.size);
      const f1 = (2 * precision * recall) / Math.max(1e-12, precision + recall);
      return {
        all,
        precision: Number(precision.toFixed(4)),
        recall: Number(recall.toFixed(4)),
        f1: Number(f1.toFixed(4)),
      };
    };
    const matches = quality(['match']);
    console.log(
      JSON.stringify({
        coc: clients,
        plan: n,
        planFileGiB: Number((statSync(join(dir, `mcp-${n}.arrow`)).size / 2 ** 30).toFixed(2)),
        model: saved ? 'saved' : 'trained (streamed)',
        threads: Number(values.threads),
        wallSeconds: Number(t.wall.toFixed(1)),
        cpuSeconds: Number(t.cpu.toFixed(1)),
        candidatePairs: pairs,
        cpuMicrosPerPair: Number(((t.cpu * 1e6) / pairs).toFixed(3)),
        peakRssMiB: t.rssMiB,
        links: links.length,
        matches: matches.all,
        truePairs: inPrefix.size,
        precision: matches.precision,
        recall: matches.recall,
        f1: matches.f1,
        f1InclReview: quality(['match', 'review']).f1,
        load: `${load0} → ${load1}`,
      }),
    );
    rmSync(out, { recursive: true, force: true });
  }
}

const cmd = positionals[0];
if (cmd === 'part') await part(Number(values.from), Number(values.to), values.out as string);
else if (cmd === 'gen') await gen();
else if (cmd === 'match') match();
else if (cmd === 'all') {
  await gen();
  match();
} else throw new Error('usage: state.bench.ts gen | match (see the header)');
