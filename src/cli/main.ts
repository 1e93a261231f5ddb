/**
 * The bloomlink command line: `bloomlink <command> [options]`. The only place that prints.
 */
import { VERSION } from '../version.js';
import { commandHelp, errorLine, parseCommandArgs, UsageError } from './command.js';
import { removeUncommittedSync, renamingSync } from './files.js';
import { COMMANDS } from './registry.js';

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  return [
    `bloomlink ${VERSION} — privacy-preserving record linkage for HMIS and Medi-Cal plan member lists`,
    '',
    'Usage: bloomlink <command> [options]     (bloomlink <command> --help for details)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry)
    throw new UsageError(/^[a-z][a-z-]{0,19}$/.test(name) ? `unknown command '${name}'` : 'unknown command');
  const cmd = await entry.load();
  const values = parseCommandArgs(cmd, rest);
  if (values === 'help') {
    process.stdout.write(commandHelp(cmd));
    return 0;
  }
  return cmd.run(values);
}

// Past a file size limit (`ulimit -f`) the kernel sends SIGXFSZ, whose default action kills the
// process without a word; ignored, the write fails with EFBIG and the run stops with FILE_UNWRITABLE.
if (process.platform !== 'win32') process.on('SIGXFSZ', () => {});
// Interrupted: the outputs being written are aborted — no temporary file (it may hold personal
// data), no lock and no folder the run created is left behind — and one line says so.
for (const [signal, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.on(signal, () => {
    const renaming = renamingSync();
    const aborted = removeUncommittedSync();
    const what = renaming
      ? '; the outputs were being moved into place: some may be replaced, others not (check them, or run again)'
      : aborted > 0
        ? '; the outputs were not written (their temporary files were removed)'
        : '';
    process.stderr.write(`bloomlink: interrupted by ${signal}${what}\n`);
    process.exit(status);
  });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${errorLine(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
