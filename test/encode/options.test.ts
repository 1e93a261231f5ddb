/**
 * encodeList and encodeParallel check the key and every option with the CLI's rules before the
 * input is touched: KEY_TOO_SHORT / KEY_WEAK for the key, OPTION_INVALID for the options.
 */
import { describe, expect, it } from 'vitest';
import { encodeParallel } from '../../src/encode/encode.node.js';
import { generateKeyHex, parseKey } from '../../src/encode/key.js';
import { encodeList } from '../../src/encode/pipeline.js';
import { BloomlinkError } from '../../src/errors.js';

const KEY = parseKey(generateKeyHex());
const CSV = new TextEncoder().encode('PersonalID,FirstName,LastName,DOB\nC1,Ann,Lee,1980-02-03\n');

async function code(p: () => Promise<unknown>): Promise<[string, string]> {
  const e = await p().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BloomlinkError);
  return [(e as BloomlinkError).code, (e as BloomlinkError).message];
}

const fns = [
  ['encodeList', encodeList],
  ['encodeParallel', encodeParallel],
] as const;

describe.each(fns)('%s argument checks', (name, encode) => {
  it('refuses a key that is not bytes, too short or too regular', async () => {
    expect(await code(() => encode(CSV, 'key' as never))).toEqual([
      'OPTION_INVALID',
      `${name}: key must be a Uint8Array (parseKey of a key file)`,
    ]);
    expect((await code(() => encode(CSV, new Uint8Array(8).fill(1))))[0]).toBe('KEY_TOO_SHORT');
    expect((await code(() => encode(CSV, new Uint8Array(32))))[0]).toBe('KEY_WEAK');
    const pattern = Uint8Array.from({ length: 32 }, (_, i) => [1, 35, 69, 103, 137, 171, 205, 239][i % 8]!);
    const [c, m] = await code(() => encode(CSV, pattern));
    expect(c).toBe('KEY_WEAK');
    expect(m).toMatch(new RegExp(`^${name}: key: the key is not random`));
  });

  it.each([
    [{ batchSize: 0 }, 'opts.batchSize must be an integer ≥ 1'],
    [{ threads: 0 }, 'opts.threads must be an integer ≥ 1'],
    [{ threads: 1.5 }, 'opts.threads must be an integer ≥ 1'],
    [{ pieceChars: -1 }, 'opts.pieceChars must be an integer ≥ 1'],
    [{ schema: 'default' }, 'opts.schema must be an object'],
    [{ onProgress: 'log' }, 'opts.onProgress must be a function'],
    [{ onPseudonym: true }, 'opts.onPseudonym must be a function'],
    [{ today: '01/02/2026' }, 'opts.today'],
    [{ encoding: 'latin-9' }, 'opts.encoding'],
  ])('refuses %j', async (opts, message) => {
    const [c, m] = await code(() => encode(CSV, KEY, opts as never));
    expect(c).toBe('OPTION_INVALID');
    expect(m.startsWith(`${name}: ${message}`)).toBe(true);
    expect(m).not.toMatch(/latin-9|01\/02|log\b/);
  });

  it('refuses options that are not an object', async () => {
    expect(await code(() => encode(CSV, KEY, [] as never))).toEqual([
      'OPTION_INVALID',
      `${name}: opts must be an object or undefined`,
    ]);
  });
});
