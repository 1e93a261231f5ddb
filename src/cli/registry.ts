/**
 * The CLI's commands by name, loaded on demand: what `bloomlink` knows before it loads a command.
 */
import type { Command } from './command.js';

/**
 * A command as the dispatcher knows it before loading it: its name and summary (for the main help),
 * and its module, imported only when the command runs (or prints its help). A run loads the code of
 * its own command only — `encode` never parses the match, report, HMIS or synth modules — which
 * keeps start-up short (docs/scaling.md, "Small jobs"). In the build each import here becomes a
 * `require` of the command's own CommonJS bundle, dist/cli-<file>.cjs (tsup.config.ts).
 * test/cli/registry.test.ts checks that each entry's name and summary are its command's.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

/** The commands, in the order the main help lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'keygen',
    summary: 'print a new random 256-bit secret key (hex) to share with the other data holder',
    load: async () => (await import('./commands/keygen.js')).keygen,
  },
  {
    name: 'validate',
    summary: 'check a CoC client list, plan member list or program list and write a rejection report',
    load: async () => (await import('./commands/validate.js')).validate,
  },
  {
    name: 'encode',
    summary: 'encode a CoC client list or plan member list with the shared secret key',
    load: async () => (await import('./commands/encode.js')).encode,
  },
  {
    name: 'match',
    summary: 'link an encoded CoC file with an encoded plan file (no key needed)',
    load: async () => (await import('./commands/match.js')).match,
  },
  {
    name: 'review-sheet',
    summary:
      'write your half of the review packet (clear text of your side of each review pair), or the review page',
    load: async () => (await import('./commands/review-sheet.js')).reviewSheet,
  },
  {
    name: 'return-file',
    summary: 'build the MCP return file (plan, coverage, ECM and Community Supports) for matched clients',
    load: async () => (await import('./commands/return-file.js')).returnFile,
  },
  {
    name: 'hmis',
    summary: 'turn the MCP return file into HUD HMIS CSV import files (enrollments, exits, ECM/CS services)',
    load: async () => (await import('./commands/hmis.js')).hmis,
  },
  {
    name: 'reidentify',
    summary: 'replace pseudonyms by real IDs in a CSV (links or return file) with your own pseudonym map',
    load: async () => (await import('./commands/reidentify.js')).reidentify,
  },
  {
    name: 'synth',
    summary: 'write synthetic CoC, plan member and program lists with ground truth (for trials and tests)',
    load: async () => (await import('./commands/synth.js')).synth,
  },
];
