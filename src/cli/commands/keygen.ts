import { generateKeyHex } from '../../encode/key.js';
import type { Command } from '../command.js';

/** `bloomlink keygen`: prints a fresh 256-bit secret as hex. */
export const keygen: Command = {
  name: 'keygen',
  summary: 'print a new random 256-bit secret key (hex) to share with the other data holder',
  options: {},
  details: `Example:
  bloomlink keygen > linkage.key     # keep this file secret; give it to the other data holder only
The key never appears in any file bloomlink writes.`,
  async run() {
    process.stdout.write(`${generateKeyHex()}\n`);
    return 0;
  },
};
