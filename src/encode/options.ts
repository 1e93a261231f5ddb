/**
 * Argument checks of `encodeList` and `encodeParallel`, with the CLI's rules: the key as
 * `encode --key` takes it (`KEY_TOO_SHORT`, `KEY_WEAK`) and every option (`OPTION_INVALID`, naming
 * the function and the option, never the value), before the input is touched.
 */
import { BloomlinkError } from '../errors.js';
import { checkReadOptions } from '../read/reader.js';
import { checkObject, checkOption, OPTION_RULES, optionInvalid } from '../util/options.js';
import { checkKeyStrength, MIN_KEY_BYTES } from './key.js';

/**
 * Checks the key and the options of an encoding call.
 * @example
 * ```ts
 * checkEncodeArgs('encodeList', key, opts); // OPTION_INVALID for { batchSize: 0 }, KEY_WEAK for zeros
 * ```
 */
export function checkEncodeArgs(where: string, key: unknown, opts: unknown): void {
  if (!(key instanceof Uint8Array))
    throw optionInvalid(where, 'key', 'a Uint8Array (parseKey of a key file)');
  if (key.length < MIN_KEY_BYTES)
    throw new BloomlinkError(
      'KEY_TOO_SHORT',
      `${where}: key is ${key.length * 8} bits; at least ${MIN_KEY_BYTES * 8} bits are required`,
    );
  checkKeyStrength(key, `${where}: key`);
  checkObject(where, 'opts', opts, true);
  const o = (opts ?? {}) as Record<string, unknown>;
  checkOption(where, 'opts.batchSize', o.batchSize, OPTION_RULES.positiveInteger);
  checkOption(where, 'opts.threads', o.threads, OPTION_RULES.positiveInteger);
  checkOption(where, 'opts.pieceChars', o.pieceChars, OPTION_RULES.positiveInteger);
  if (o.schema !== undefined) checkObject(where, 'opts.schema', o.schema);
  for (const f of ['onPseudonym', 'onProgress'] as const)
    if (o[f] !== undefined && typeof o[f] !== 'function')
      throw optionInvalid(where, `opts.${f}`, 'a function');
  const {
    schema: _s,
    batchSize: _b,
    threads: _t,
    pieceChars: _p,
    onPseudonym: _o,
    onProgress: _g,
    ...read
  } = o;
  try {
    checkReadOptions(read);
  } catch (e) {
    // The readers' own check words it `opts.<name> <rule>`; here it becomes a coded error.
    if (e instanceof TypeError) throw new BloomlinkError('OPTION_INVALID', `${where}: ${e.message}`);
    throw e;
  }
}
