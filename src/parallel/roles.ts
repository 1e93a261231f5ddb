/** The worker roles, by name (what a worker thread can be asked to be). */

import { scanRole } from '../block/scan-task.js';
import { encodeRole } from '../encode/encode-task.js';
import { readEncodeRole } from '../encode/read-encode-task.js';
import { matchRole } from '../match/match-task.js';
import type { WorkerRole } from './protocol.js';

/**
 * Worker roles by name.
 * @example
 * ```ts
 * const state = WORKER_ROLES.match!.init(init);
 * ```
 */
export const WORKER_ROLES: Readonly<Record<string, WorkerRole<never, never, unknown>>> = {
  match: matchRole as unknown as WorkerRole<never, never, unknown>,
  encode: encodeRole as unknown as WorkerRole<never, never, unknown>,
  scan: scanRole as unknown as WorkerRole<never, never, unknown>,
  readEncode: readEncodeRole as unknown as WorkerRole<never, never, unknown>,
};
