/**
 * CPU time of each thread of a command (Linux): runs it, polls /proc/PID/task/<tid>/stat every
 * 20 ms, and prints each thread's user + system seconds when it exits (the last ≤ 20 ms of a thread
 * that ends earlier are missed). The busiest thread bounds a run's wall time on idle cores, which a
 * loaded machine's wall clock cannot show. Used by bench/clkhash-cli-pair.sh.
 *
 * Usage: `node bench/thread-cpu.mjs -- node dist/cli.js encode …`
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(process.argv.indexOf('--') + 1);
const TICKS = 100; // USER_HZ on Linux
const start = Date.now();
const child = spawn(args[0], args.slice(1), { stdio: 'inherit' });
const seen = new Map();
function poll() {
  let tids = [];
  try {
    tids = readdirSync(`/proc/${child.pid}/task`);
  } catch {
    return; // the process has ended
  }
  for (const tid of tids) {
    try {
      const s = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      seen.set(tid, (Number(f[11]) + Number(f[12])) / TICKS);
    } catch {
      // the thread has ended
    }
  }
}
const timer = setInterval(poll, 20);
child.on('exit', (code) => {
  clearInterval(timer);
  const rows = [...seen].filter(([, cpu]) => cpu >= 0.3).sort((a, b) => Number(a[0]) - Number(b[0]));
  const total = [...seen.values()].reduce((a, c) => a + c, 0);
  const wall = (Date.now() - start) / 1000;
  console.error(
    `wall ${wall.toFixed(2)} s, CPU ${total.toFixed(2)} s; threads over 0.3 s (first: main): ${rows.map(([, c]) => c.toFixed(2)).join(' + ')}`,
  );
  process.exit(code ?? 1);
});
