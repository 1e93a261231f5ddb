/**
 * A small job through the BUILT CLI, as a user runs it: FEBRL 4 (5,000 × 5,000, names and DOB, as
 * contract lists) encoded on both sides and matched, `node dist/cli.js encode … && encode … &&
 * match …`, with `--threads 1` and with the default options, alternating, and the median wall time
 * of each (and CPU time, user + system, of the three processes, read from /proc of each child). An
 * optional second CLI (e.g. a build of main) runs in the same alternation, for paired ratios. The
 * links files of every variant must be identical (the run stops otherwise).
 *
 * Usage (after `npm run build`):
 *   npx tsx bench/cli-small.bench.ts [runs=5] [--baseline OTHER/dist/cli.js]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { febrl4ContractLists } from './lib/febrl.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const baselineAt = args.indexOf('--baseline');
const baseline = baselineAt >= 0 ? args[baselineAt + 1] : undefined;
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--baseline') ?? 5);
const KEY = `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978\n`;

interface Variant {
  readonly name: string;
  readonly cli: string;
  readonly threads: readonly string[];
}
const variants: Variant[] = [
  { name: 'this build, --threads 1', cli: join(root, 'dist/cli.js'), threads: ['--threads', '1'] },
  { name: 'this build, default', cli: join(root, 'dist/cli.js'), threads: [] },
  ...(baseline
    ? [
        { name: 'baseline, --threads 1', cli: baseline, threads: ['--threads', '1'] },
        { name: 'baseline, default', cli: baseline, threads: [] },
      ]
    : []),
];

/** Runs one CLI process; returns its CPU seconds (user + system, from the shell's `times`). */
function cli(path: string, argv: readonly string[]): number {
  // `times` after the process gives the children's user and system time in this shell.
  const script = `"$0" "$@" >/dev/null || exit 1; times`;
  const r = spawnSync('sh', ['-c', script, process.execPath, path, ...argv], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv[0]} failed (${r.status}): ${r.stderr.split('\n')[0]}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return secs.reduce((a, b) => a + b, 0);
}

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-cli-small-'));
try {
  const lists = febrl4ContractLists();
  writeFileSync(join(dir, 'coc.csv'), lists.coc);
  writeFileSync(join(dir, 'mcp.csv'), lists.mcp);
  writeFileSync(join(dir, 'key'), KEY, { mode: 0o600 });
  const wall = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const loads: number[] = [];
  let links: string | undefined;
  for (let r = 0; r < runs; r++) {
    for (const v of variants) {
      const out = join(dir, `run-${r}-${variants.indexOf(v)}`);
      const q = ['--quiet', ...v.threads];
      loads.push(loadavg()[0] ?? 0);
      const t = performance.now();
      let c = cli(v.cli, [
        'encode',
        '--in',
        join(dir, 'coc.csv'),
        '--key',
        join(dir, 'key'),
        '--out',
        `${out}-coc.arrow`,
        '--today',
        '2026-01-01',
        ...q,
      ]);
      c += cli(v.cli, [
        'encode',
        '--in',
        join(dir, 'mcp.csv'),
        '--key',
        join(dir, 'key'),
        '--out',
        `${out}-mcp.arrow`,
        '--today',
        '2026-01-01',
        ...q,
      ]);
      c += cli(v.cli, [
        'match',
        '--coc',
        `${out}-coc.arrow`,
        '--mcp',
        `${out}-mcp.arrow`,
        '--out',
        `${out}-links.csv`,
        ...q,
      ]);
      const ms = performance.now() - t;
      wall.get(v.name)?.push(ms / 1000);
      cpu.get(v.name)?.push(c);
      const digest = createHash('sha256')
        .update(readFileSync(`${out}-links.csv`))
        .digest('hex');
      if (links !== undefined && digest !== links)
        throw new Error(`${v.name}: the links differ from the first run's`);
      links = digest;
      console.log(
        `run ${r + 1} ${v.name.padEnd(26)} ${(ms / 1000).toFixed(2)} s wall, ${c.toFixed(2)} s CPU`,
      );
    }
  }
  const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
  };
  console.log(
    `\nmedians of ${runs} runs (load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}):`,
  );
  for (const v of variants)
    console.log(
      `  ${v.name.padEnd(26)} ${median(wall.get(v.name) ?? []).toFixed(2)} s wall, ${median(cpu.get(v.name) ?? []).toFixed(2)} s CPU`,
    );
  if (baseline) {
    for (const t of ['--threads 1', 'default']) {
      const ours = wall.get(`this build, ${t}`) ?? [];
      const base = wall.get(`baseline, ${t}`) ?? [];
      const ratios = ours.map((w, i) => (base[i] ?? 0) / w);
      console.log(`  paired wall ratio baseline / this build, ${t}: median ${median(ratios).toFixed(2)}×`);
    }
  }
  console.log(`links identical in every run (sha256 ${links?.slice(0, 16)}…)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
