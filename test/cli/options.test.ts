/** The CLI checks the options the API checks with the same rules (src/util/options.ts). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { match } from '../../src/cli/commands/match.js';

async function usage(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  return (e as Error).message;
}

const files = { coc: 'missing-coc.arrow', mcp: 'missing-mcp.arrow', out: 'links.csv', quiet: true };

describe('CLI option rules', () => {
  it.each([
    [{ threshold: '-1' }, '--threshold must be a probability between 0 and 1 (both excluded)'],
    [{ threshold: 'NaN' }, '--threshold must be a probability between 0 and 1 (both excluded)'],
    [{ 'review-threshold': '1' }, '--review-threshold must be a probability between 0 and 1 (both excluded)'],
    [{ threshold: '0.5', 'review-threshold': '0.9' }, '--review-threshold must be at most --threshold'],
    [{ 'max-block': '0' }, '--max-block must be an integer ≥ 1'],
    [{ seed: '-3' }, '--seed must be an integer from 0 to 4294967295'],
    [{ seed: '4294967296' }, '--seed must be an integer from 0 to 4294967295'],
    [{ threads: '0' }, '--threads must be an integer ≥ 1'],
    [{ 'no-blocking': true, 'dice-threshold': '1.5' }, '--dice-threshold must be a number from 0 to 1'],
  ])('match %j', async (bad, message) => {
    expect(await usage(match.run({ ...files, ...bad }))).toBe(message);
  });

  it('encode --threads 0', async () => {
    expect(
      await usage(encode.run({ in: 'a.csv', key: 'k', out: 'o.arrow', threads: '0', quiet: true })),
    ).toBe('--threads must be an integer ≥ 1');
  });
});
