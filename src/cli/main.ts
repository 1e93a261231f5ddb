/**
 * The bloomlink command line: `bloomlink <command> [options]`. The only place that prints.
 */
import { VERSION } from '../version.js';
import { type Command, commandHelp, errorLine, parseCommandArgs, UsageError } from './command.js';
import { encode } from './commands/encode.js';
import { hmis } from './commands/hmis.js';
import { keygen } from './commands/keygen.js';
import { match } from './commands/match.js';
import { reidentify } from './commands/reidentify.js';
import { returnFile } from './commands/return-file.js';
import { synth } from './commands/synth.js';
import { validate } from './commands/validate.js';

const COMMANDS: readonly Command[] = [keygen, validate, encode, match, returnFile, hmis, reidentify, synth];

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
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd)
    throw new UsageError(/^[a-z][a-z-]{0,19}$/.test(name) ? `unknown command '${name}'` : 'unknown command');
  const values = parseCommandArgs(cmd, rest);
  if (values === 'help') {
    process.stdout.write(commandHelp(cmd));
    return 0;
  }
  return cmd.run(values);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${errorLine(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
