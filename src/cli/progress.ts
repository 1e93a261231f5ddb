/**
 * Progress of long CLI work, on stderr, in named phases (`match: training u`, `match: scoring`), each
 * with its own label and a percentage that never goes back. On a terminal a bar is redrawn at most
 * ten times a second; when stderr is not a terminal (CI logs, `2> log.txt`) one plain line is
 * written every few seconds instead (`match: scoring candidate pairs 45% (36,000/80,000 pairs)`),
 * and nothing at all for work that ends sooner. Prints counts, never data.
 */

import { statSync } from 'node:fs';
import type { EncodeProgress } from '../encode/pipeline.js';

/** Where progress is written (process.stderr, or a fake in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(s: string): unknown;
}

/** A progress display of one command. */
export interface ProgressBar {
  /** The current phase's label. */
  readonly label: string;
  /** Sets the amount done in the current phase (and the total, when it becomes known). */
  update(done: number, total?: number): void;
  /**
   * Starts a new phase with its own label (and unit); a no-op when label and unit are the current
   * ones. The percentage starts again from 0 for the new phase.
   */
  phase(label: string, unit?: string): void;
  /** Clears the bar line (terminal), at the end of the work. */
  done(): void;
}

/** Options of {@link progressBar}. */
export interface ProgressOptions {
  readonly quiet?: boolean;
  /** What is counted (default 'rows'); 'bytes' is shown in MB. */
  readonly unit?: string;
  /** Default process.stderr. */
  readonly stream?: ProgressStream;
  /** Milliseconds clock (default Date.now): tests pass a fake one. */
  readonly now?: () => number;
  /** Milliseconds between plain lines when the stream is not a terminal (default 5000). */
  readonly interval?: number;
}

const WIDTH = 28;

function amount(n: number, unit: string): string {
  if (unit === 'bytes') return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.round(n).toLocaleString('en-US')} ${unit}`;
}

function counts(done: number, total: number | undefined, unit: string): string {
  if (total === undefined || !(total > 0)) return amount(done, unit);
  if (unit === 'bytes') return `${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB`;
  return `${Math.round(done).toLocaleString('en-US')}/${Math.round(total).toLocaleString('en-US')} ${unit}`;
}

/**
 * Creates the progress display of `label` (the first phase); a no-op when `quiet` is set.
 * @example
 * ```ts
 * const bar = progressBar('match: scoring candidate pairs', { unit: 'pairs' });
 * bar.update(3600, 8000);
 * bar.phase('match: choosing links');
 * bar.done();
 * ```
 */
export function progressBar(label: string, opts: ProgressOptions = {}): ProgressBar {
  if (opts.quiet) return { label, update() {}, phase() {}, done() {} };
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = stream.isTTY === true;
  const interval = opts.interval ?? 5000;
  let current = label;
  let unit = opts.unit ?? 'rows';
  let started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastLine = started;
  let total: number | undefined;
  let frac = 0;
  let done = 0;
  let drawn = false;

  const percent = (): string => (total !== undefined && total > 0 ? `${(frac * 100).toFixed(0)}%` : '');
  const drawTty = (): void => {
    const secs = Math.max((now() - started) / 1000, 1e-3);
    const rate = `${amount(done / secs, unit)}/s`;
    let bar = '';
    if (total !== undefined && total > 0) {
      const fill = Math.round(frac * WIDTH);
      bar = `[${'#'.repeat(fill)}${'-'.repeat(WIDTH - fill)}] ${percent().padStart(4)} `;
    }
    stream.write(`\r${current} ${bar}${counts(done, total, unit)} (${rate})\x1b[K`);
    drawn = true;
  };
  const line = (): void => {
    const p = percent();
    stream.write(`${current}${p ? ` ${p}` : ''} (${counts(done, total, unit)})\n`);
  };
  return {
    get label() {
      return current;
    },
    update(d, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      done = Math.max(done, d);
      if (total !== undefined && total > 0) frac = Math.max(frac, Math.min(done / total, 1));
      const t = now();
      if (tty) {
        if (t - lastDraw < 100) return;
        lastDraw = t;
        drawTty();
      } else if (t - lastLine >= interval) {
        lastLine = t;
        line();
      }
    },
    phase(next, nextUnit) {
      if (next === current && (nextUnit === undefined || nextUnit === unit)) return;
      // The next phase redraws the same line under its own label, from 0 %.
      current = next;
      unit = nextUnit ?? unit;
      started = now();
      lastDraw = Number.NEGATIVE_INFINITY;
      total = undefined;
      frac = 0;
      done = 0;
    },
    done() {
      if (tty && drawn) stream.write('\r\x1b[K');
    },
  };
}

/** Labels and units of the matcher's phases (MatchProgress). */
const MATCH_PHASES: Readonly<Record<string, readonly [string, string]>> = {
  'train:u': ['match: training u (random pairs)', 'pairs'],
  'train:em': ['match: training m (EM)', 'records'],
  'train:lambda': ['match: training λ', 'steps'],
  score: ['match: scoring candidate pairs', 'pairs'],
};

/**
 * Shows one progress report of the matcher: each phase under its own label.
 * @example
 * ```ts
 * matchBatchesParallel(coc, mcp, { onProgress: (p) => matchPhase(bar, p) });
 * ```
 */
export function matchPhase(
  bar: ProgressBar,
  p: { phase: string; done: number; total: number; unit?: string },
): void {
  const [label, unit] = MATCH_PHASES[p.phase] ?? [`match: ${p.phase}`, 'steps'];
  bar.phase(label, p.unit ?? unit);
  bar.update(p.done, p.total);
}

/**
 * Size of an input file in bytes, or undefined when it cannot be read (the reader reports that).
 * @example
 * ```ts
 * fileSize('clients.csv'); // 126477
 * ```
 */
export function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/**
 * Shows a reader's progress (`validate`) as bytes read of the input's size (`ReadProgress.totalBytes`),
 * or as rows when the reader counts no bytes (Arrow input).
 * @example
 * ```ts
 * readList(input, { totalBytes: fileSize(path), onProgress: (p) => byteProgress(bar, p) });
 * ```
 */
export function byteProgress(
  bar: ProgressBar,
  p: { readonly rowsRead: number; readonly bytesRead?: number; readonly totalBytes?: number },
): void {
  if (p.bytesRead !== undefined) bar.update(p.bytesRead, p.totalBytes);
  else {
    bar.phase(bar.label, 'rows');
    bar.update(p.rowsRead);
  }
}

/** Labels of the encoder's phases (EncodeProgress), before the file's name. */
const ENCODE_PHASES: Readonly<Record<EncodeProgress['phase'], string>> = {
  spans: 'encode: reading coverage spans of',
  encode: 'encode: encoding',
};

/**
 * Shows one progress report of the encoder: each phase under its own label, `done` of `total` in the
 * report's unit (bytes of the file's size, or rows).
 * @example
 * ```ts
 * encodeParallel(input, key, { onProgress: (p) => encodePhase(bar, p, 'members.csv') });
 * ```
 */
export function encodePhase(bar: ProgressBar, p: EncodeProgress, file: string): void {
  bar.phase(`${ENCODE_PHASES[p.phase]} ${file}`, p.unit);
  bar.update(p.done, p.total);
}
