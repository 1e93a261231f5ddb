/**
 * When `bloomlink match` streams the plan (`matchStreaming`) instead of reading it whole: when
 * holding it whole would not fit comfortably, and streaming does all the run asks for.
 */
import { freemem, totalmem } from 'node:os';
import { UsageError } from './command.js';

/**
 * Peak memory of the whole-file match per byte of the plan's encoded file: measured 2,640 MiB peak
 * for a 961 MiB plan file (10⁵ × 3·10⁶, default schema, docs/scaling.md), 2.75 bytes a byte.
 * @example
 * ```ts
 * const estimate = WHOLE_FILE_PEAK_PER_PLAN_BYTE * statSync('mcp.arrow').size;
 * ```
 */
export const WHOLE_FILE_PEAK_PER_PLAN_BYTE = 2.75;

/**
 * The environment variable that forces the path (for tests and for users who know better):
 * `1` streams whenever streaming can do the run, `0` reads the plan whole; unset, the memory rule.
 * @example
 * ```ts
 * process.env[STREAM_ENV] = '1';
 * ```
 */
export const STREAM_ENV = 'BLOOMLINK_MATCH_STREAM';

/** What the run asks for that streaming does not do (`--truth`, `--no-blocking`). */
export interface StreamBlockers {
  /** The plan is not a regular file (a pipe, a device): it cannot be read more than once. */
  readonly notAFile?: boolean;
  readonly noBlocking: boolean;
  readonly truth: boolean;
}

/** Memory the rule compares with: the machine's (or the container's limit) and what is free now. */
export interface MemoryNow {
  readonly total: number;
  readonly available: number;
}

/**
 * The machine's memory: `os.totalmem()` (or the cgroup limit when lower), `os.freemem()` (on
 * Linux, MemAvailable).
 * @example
 * ```ts
 * memoryNow().total; // bytes
 * ```
 */
export function memoryNow(): MemoryNow {
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const total = limit && limit > 0 ? Math.min(limit, totalmem()) : totalmem();
  return { total, available: Math.min(freemem(), total) };
}

/**
 * Whether `match` streams the plan: never when the run needs what streaming does not do (it falls
 * back to the whole file); else as `BLOOMLINK_MATCH_STREAM` says; else when the whole-file match's
 * estimated peak ({@link WHOLE_FILE_PEAK_PER_PLAN_BYTE} × the plan file's size) is more than half the
 * machine's memory or more than the memory available now. The outputs are the same either way.
 * @throws UsageError when `BLOOMLINK_MATCH_STREAM` is set to something other than `0` or `1`.
 * @example
 * ```ts
 * shouldStream(statSync('mcp.arrow').size, { noBlocking: false, truth: false });
 * ```
 */
export function shouldStream(
  planFileBytes: number,
  blockers: StreamBlockers,
  env: string | undefined = process.env[STREAM_ENV],
  memory: MemoryNow = memoryNow(),
): boolean {
  if (env !== undefined && env !== '' && env !== '0' && env !== '1')
    throw new UsageError(`${STREAM_ENV} must be 0 or 1`);
  if (blockers.notAFile || blockers.noBlocking || blockers.truth) return false;
  if (env === '1') return true;
  if (env === '0') return false;
  const peak = WHOLE_FILE_PEAK_PER_PLAN_BYTE * planFileBytes;
  return peak > memory.total / 2 || peak > memory.available;
}
