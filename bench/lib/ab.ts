/**
 * What the paired A/B benches share (`bench/decode.bench.ts`, `bench/hmac-kernel.bench.ts`): their
 * options, the median of a run's figures, and the machine's load averages.
 */
import { loadavg } from 'node:os';

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The 1-, 5- and 15-minute load averages, as `load 1.2 3.4 5.6`. */
export function loadLine(): string {
  return `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
}

/** Removes `name` and the value after it from `args` and returns the value (undefined when absent). */
export function takeOption(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
