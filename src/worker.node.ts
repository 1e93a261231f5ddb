/**
 * What a bloomlink worker thread runs (built as its own file, dist/worker.js): the worker roles by
 * name, each loaded only when a pool asks a worker to be it — a match worker never loads the
 * encoder, and an encode worker never loads the scorer. The build gives each role its own chunks,
 * so that this holds in the package too (tsup.config.ts).
 */
import type { scanRole } from './block/scan-task.js';
import type { clkhashRole } from './encode/clkhash/task.js';
import type { encodeRole } from './encode/encode-task.js';
import type { readEncodeRole } from './encode/read-encode-task.js';
import type { matchRole } from './match/match-task.js';
import type { rowFillRole } from './match/rows-task.js';
import type { streamScoreRole } from './match/stream-task.js';
import type { LoadersOf } from './parallel/protocol.js';
import { serveRoles } from './parallel/serve.node.js';

// A type, not an interface: a role map needs the implicit index signature of an object type.
/**
 * The worker roles by name. The code that starts a pool types its `WorkerEntry` with the roles it
 * uses (src/match/match.node.ts, src/encode/encode.node.ts), on the same role types as here.
 * @example
 * ```ts
 * const init: InitOf<WorkerRoles['match']> = { ...shared, thread: 0 };
 * ```
 */
export type WorkerRoles = {
  /** Scores chunks of CoC records against the plan (src/match/match-task.ts). */
  readonly match: typeof matchRole;
  /** Writes a range of the plan's row store while the main thread trains (src/match/rows-task.ts). */
  readonly rowFill: typeof rowFillRole;
  /** Scores chunks of a streamed plan against the CoC side (src/match/stream-task.ts). */
  readonly streamScore: typeof streamScoreRole;
  /** All-pairs Dice scan over filter columns (src/block/scan-task.ts; benchmarks). */
  readonly scan: typeof scanRole;
  /** Encodes packed persons (src/encode/encode-task.ts). */
  readonly encode: typeof encodeRole;
  /** Parses, validates and encodes pieces of a CSV file (src/encode/read-encode-task.ts). */
  readonly readEncode: typeof readEncodeRole;
  /** Encodes chunks of records into clkhash-compatible CLKs (src/encode/clkhash/task.ts). */
  readonly clkhash: typeof clkhashRole;
};

const ROLES: LoadersOf<WorkerRoles> = {
  match: async () => (await import('./match/match-task.js')).matchRole,
  rowFill: async () => (await import('./match/rows-task.js')).rowFillRole,
  streamScore: async () => (await import('./match/stream-task.js')).streamScoreRole,
  scan: async () => (await import('./block/scan-task.js')).scanRole,
  encode: async () => (await import('./encode/encode-task.js')).encodeRole,
  readEncode: async () => (await import('./encode/read-encode-task.js')).readEncodeRole,
  clkhash: async () => (await import('./encode/clkhash/task.js')).clkhashRole,
};

serveRoles(ROLES);
