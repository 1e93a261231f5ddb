import { generateKeyHex, keyCheck, parseKey } from '../../encode/key.js';
import { formatKeyCheck } from '../../encoded/key-check.js';
import { type Command, opt } from '../command.js';
import { withOutputs } from '../files.js';

/**
 * `bloomlink keygen`: a fresh 256-bit secret as hex, to a private file (`--out`) or to stdout.
 *
 * @example
 * ```ts
 * await keygen.run({ out: 'linkage.key' }); // mode 0600
 * ```
 */
export const keygen: Command = {
  name: 'keygen',
  summary: 'print a new random 256-bit secret key (hex) to share with the other data holder',
  options: {
    out: {
      type: 'string',
      arg: 'FILE',
      help: 'write the key to FILE, readable by you only (mode 0600), instead of printing it',
    },
  },
  details: `Example:
  bloomlink keygen --out linkage.key     # keep this file secret; give it to the other data holder only
The key never appears in any file bloomlink writes. keygen prints the key check (also shown by
encode, match and the browser encode page): read it to the other data holder to confirm you hold the
same key; it reveals nothing about the key.`,
  async run(v) {
    const out = opt(v, 'out');
    const hex = generateKeyHex();
    const check = checkLine(hex);
    if (out === undefined) {
      process.stdout.write(`${hex}\n`);
      process.stderr.write(
        'bloomlink: hint: a key saved with the shell (keygen > FILE) can be read by other users; ' +
          `use --out FILE to create a key file readable by you only\n${check}`,
      );
      return 0;
    }
    await withOutputs({ files: [{ option: '--out', path: out }] }, (set) =>
      set.writeText(out, `${hex}\n`, 'private'),
    );
    process.stderr.write(check);
    return 0;
  },
};

/** The key check line printed on stderr: the same text `encode` and `match` print. */
function checkLine(hex: string): string {
  const key = parseKey(hex);
  const line = `key check: ${formatKeyCheck(keyCheck(key))}\n`;
  key.fill(0);
  return line;
}
