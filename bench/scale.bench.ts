/**
 * How time and memory grow with list sizes: generates a CoC client list and a plan member list,
 * takes prefixes of 10⁴ and 10⁵ clients and 10⁵, 10⁶ and 3·10⁶ members, encodes each with the CLI
 * and matches every client size against every member size (default blocking, all cores). Each step
 * runs as its own process under `/usr/bin/time -v` when available, for wall time, CPU time and peak
 * resident memory. Prints a Markdown table (docs/scaling.md).
 *
 * Usage: npx tsx bench/scale.bench.ts [--dir DIR] [--clients 10000,100000]
 *   [--members 100000,1000000,3000000] [--threads N] [--keep]
 * DIR defaults to a temporary folder (removed afterwards unless --keep); a DIR that already holds
 * clients.csv and members.csv of sufficient length is reused.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    clients: { type: 'string', default: '10000,100000' },
    members: { type: 'string', default: '100000,1000000,3000000' },
    threads: { type: 'string', default: String(availableParallelism()) },
    keep: { type: 'boolean', default: false },
  },
});
const clientSizes = values.clients.split(',').map(Number);
const memberSizes = values.members.split(',').map(Number);
const threads = values.threads;
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'bloomlink-scale-'));
mkdirSync(dir, { recursive: true });
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Measure {
  wall: number;
  cpu?: number;
  rssMiB?: number;
}

/** Runs the CLI in its own process and measures it. */
function cli(args: string[]): Measure {
  const node = [process.execPath, '--import', 'tsx', join(root, 'src/cli/main.ts'), ...args, '--quiet'];
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-v', ...node], { cwd: root, encoding: 'utf8' })
    : spawnSync(node[0]!, node.slice(1), { cwd: root, encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0)
    throw new Error(`bloomlink ${args[0]} failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
  if (!TIME) return { wall };
  const num = (label: string) => Number(new RegExp(`${label}: ([0-9.]+)`).exec(r.stderr)?.[1] ?? Number.NaN);
  return {
    wall,
    cpu: num('User time \\(seconds\\)') + num('System time \\(seconds\\)'),
    rssMiB: num('Maximum resident set size \\(kbytes\\)') / 1024,
  };
}

/** The header and the first `n` records of a CSV file (records are single lines in generated lists). */
async function prefix(src: string, dst: string, n: number): Promise<void> {
  const out = createWriteStream(dst);
  let written = 0; // the header, then n records
  for await (const line of createInterface({
    input: createReadStream(src),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (written++ > n) break;
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

function rows(path: string): number {
  return existsSync(path) ? Math.round(statSync(path).size / 100) : 0; // rough: ~110 bytes a row
}

const fmt = (m: Measure) =>
  `${m.wall.toFixed(1)} s${m.cpu === undefined ? '' : ` (CPU ${m.cpu.toFixed(1)} s)`}${m.rssMiB === undefined ? '' : `, ${Math.round(m.rssMiB)} MiB`}`;

try {
  const maxC = Math.max(...clientSizes);
  const maxM = Math.max(...memberSizes);
  if (rows(join(dir, 'members.csv')) < maxM || rows(join(dir, 'clients.csv')) < maxC * 0.5) {
    console.error(`generating ${maxC} clients and ${maxM} members in ${dir} …`);
    cli(['synth', '--out', dir, '--clients', String(maxC), '--members', String(maxM)]);
  }
  const key = join(dir, 'key.txt');
  const keygen = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'keygen'], {
    cwd: root,
    encoding: 'utf8',
  });
  writeFileSync(key, keygen.stdout);
  const encoded = new Map<string, string>();
  const lines: string[] = [
    `threads: ${threads}; commands: bloomlink encode --in LIST --key KEY --out FILE --threads ${threads}; bloomlink match --coc C --mcp M --out links.csv --threads ${threads}`,
    '',
    '| step | records | time (wall, CPU), peak RSS | records/s |',
    '|---|---|---|---|',
  ];
  for (const [list, sizes] of [
    ['clients', clientSizes],
    ['members', memberSizes],
  ] as const) {
    for (const n of sizes) {
      const csv = join(dir, `${list}-${n}.csv`);
      await prefix(join(dir, `${list}.csv`), csv, n);
      const out = join(dir, `${list}-${n}.arrow`);
      const m = cli(['encode', '--in', csv, '--key', key, '--out', out, '--threads', threads]);
      encoded.set(`${list}-${n}`, out);
      lines.push(
        `| encode ${list} | ${n.toLocaleString('en-US')} | ${fmt(m)} | ${Math.round(n / m.wall).toLocaleString('en-US')} |`,
      );
      console.error(lines[lines.length - 1]);
    }
  }
  for (const c of clientSizes) {
    for (const n of memberSizes) {
      const m = cli([
        'match',
        '--coc',
        encoded.get(`clients-${c}`)!,
        '--mcp',
        encoded.get(`members-${n}`)!,
        '--out',
        join(dir, `links-${c}-${n}.csv`),
        '--threads',
        threads,
      ]);
      lines.push(`| match ${c.toLocaleString('en-US')} × ${n.toLocaleString('en-US')} | | ${fmt(m)} | |`);
      console.error(lines[lines.length - 1]);
    }
  }
  console.log(lines.join('\n'));
} finally {
  if (!values.keep && values.dir === undefined) rmSync(dir, { recursive: true, force: true });
}
