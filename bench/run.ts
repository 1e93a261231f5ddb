/**
 * `npm run bench`: runs every benchmark in its own process and prints its figures. Benchmarks are
 * measurements, not tests: they never fail on a number. Usage: npm run bench [-- name ...]
 * (names: read, encode, febrl, clkhash, csv, synth, dice, dice-real, micro, scale; `state` runs only
 * when named: tens of minutes).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, { file: string; args: string[]; what: string; byName?: true }> = {
  read: {
    file: 'read-normalise.bench.ts',
    args: ['1000000'],
    what: 'read + validate + normalise 1M CoC rows',
  },
  encode: { file: 'encode.bench.ts', args: ['1000000'], what: 'encode 1M plan members (default schema)' },
  febrl: { file: 'febrl.bench.ts', args: ['3'], what: 'FEBRL 4 end to end (encode both + match)' },
  clkhash: { file: 'clkhash.bench.ts', args: [], what: 'clkhash v3 compatibility encoding' },
  csv: { file: 'csv.bench.ts', args: [], what: 'CSV parsing' },
  synth: { file: 'synth.bench.ts', args: [], what: 'synthesise 3M plan members to CSV' },
  dice: {
    file: 'dice.bench.ts',
    args: ['2000', '100000'],
    what: 'Dice kernel: random 1024-bit filters, exhaustive, threshold 0.8 (1 thread and all cores)',
  },
  'dice-real': {
    file: 'dice-real.bench.ts',
    args: ['10000', '100000'],
    what: 'Dice kernel on real filters: exhaustive generation over generated lists (1 thread)',
  },
  micro: {
    file: 'micro.bench.ts',
    args: [],
    what: 'micro-benchmarks on tinybench: Dice kernel, CSV parsing, HMAC kernel (ratios between implementations)',
  },
  scale: {
    file: 'scale.bench.ts',
    args: [],
    what: 'encode and match 10⁴/10⁵ clients × 10⁵/10⁶/3·10⁶ members (minutes; docs/scaling.md)',
  },
  // Tens of minutes to an hour and ~10 GB of disk: run only when named (`npm run bench -- state`).
  state: {
    file: 'state.bench.ts',
    args: ['all'],
    what: 'a state: 2·10⁵ clients × 1.5·10⁷ members, generated, encoded and matched streamed at 3·10⁶, 7.5·10⁶ and 1.5·10⁷ (docs/scaling.md)',
    byName: true,
  },
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES).filter((n) => !BENCHES[n]?.byName);
const dir = fileURLToPath(new URL('.', import.meta.url));
let failed = 0;
for (const name of names) {
  const b = BENCHES[name];
  if (!b) {
    console.error(`unknown benchmark '${name}' (known: ${Object.keys(BENCHES).join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n### ${name}: ${b.what}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', dir + b.file, ...b.args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
