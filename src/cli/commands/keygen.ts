import { generateKeyHex } from '../../encode/key.js';
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
The key never appears in any file bloomlink writes.`,
  async run(v) {
    const out = opt(v, 'out');
    if (out === undefined) {
      process.stdout.write(`${generateKeyHex()}\n`);
      process.stderr.write(
        'bloomlink: hint: a key saved with the shell (keygen > FILE) can be read by other users; ' +
          'use --out FILE to create a key file readable by you only\n',
      );
      return 0;
    }
    await withOutputs({ files: [{ option: '--out', path: out }] }, (set) =>
      set.writeText(out, `${generateKeyHex()}\n`, 'private'),
    );
    return 0;
  },
};
