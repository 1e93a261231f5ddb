/**
 * The arguments the paired in-process benches share (`bench/tail.bench.ts`, `bench/pass-index.bench.ts`):
 * a run count (the first bare number), `--baseline <other tree's src>`, and `--coc`/`--mcp` (defaults:
 * the 10⁵ × 3·10⁶ no-SSN files that `bench/lib/scale.ts` caches in `.bench-cache/`).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `.bench-cache/` folder of this tree. */
export const BENCH_CACHE = fileURLToPath(new URL('../../.bench-cache/', import.meta.url));

/** Parses `process.argv` as the paired benches take it; `runs` defaults to `defaultRuns`. */
export function pairedArgs(defaultRuns: number): {
  baseline: string | undefined;
  runs: number;
  cocPath: string;
  mcpPath: string;
} {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const runs = args.find((a, i) => /^\d+$/.test(a) && !(args[i - 1] ?? '').startsWith('--'));
  const stem = join(BENCH_CACHE, 'synth-s13-c100000-m3000000-nossn');
  return {
    baseline: flag('--baseline'),
    runs: Number(runs ?? defaultRuns),
    cocPath: flag('--coc') ?? `${stem}-coc-0.1.0-cae20e06a634.arrow`,
    mcpPath: flag('--mcp') ?? `${stem}-mcp-0.1.0-cae20e06a634.arrow`,
  };
}
