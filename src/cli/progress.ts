/**
 * A small progress bar for long CLI work. Draws on stderr only when it is a terminal, throttled to
 * ten redraws a second, so piping or CI logs stay clean. Prints counts, never data.
 */
export interface ProgressBar {
  /** Sets the amount done (and optionally the total, when it becomes known). */
  update(done: number, total?: number): void;
  /** Clears the bar line. */
  done(): void;
}

const WIDTH = 28;

/** Creates a progress bar for `label`; a no-op when stderr is not a TTY or `quiet` is set. */
export function progressBar(label: string, opts: { quiet?: boolean; unit?: string } = {}): ProgressBar {
  const stream = process.stderr;
  if (opts.quiet || !stream.isTTY) return { update() {}, done() {} };
  const unit = opts.unit ?? 'rows';
  const started = Date.now();
  let last = 0;
  let total: number | undefined;
  let drawn = false;
  const draw = (done: number): void => {
    const secs = Math.max((Date.now() - started) / 1000, 1e-3);
    const rate = Math.round(done / secs).toLocaleString('en-US');
    let bar = '';
    if (total && total > 0) {
      const frac = Math.min(done / total, 1);
      const fill = Math.round(frac * WIDTH);
      bar = `[${'#'.repeat(fill)}${'-'.repeat(WIDTH - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% `;
    }
    stream.write(`\r${label} ${bar}${done.toLocaleString('en-US')} ${unit} (${rate}/s)\x1b[K`);
    drawn = true;
  };
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
