/**
 * The built package's CLI (tsup, as `npm run build` makes it) starts its worker threads from its own
 * bundle: encode and match with --threads 2 write the same files as with --threads 1. Builds into
 * node_modules/.cache (so the bundle resolves the package's dependencies), once for this file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'node_modules', '.cache', `bloomlink-built-cli-${process.pid}`);
const SAMPLE = join(ROOT, 'data', 'sample');
let work: string;

function cli(...args: string[]): void {
  execFileSync(process.execPath, [join(DIST, 'cli.js'), ...args, '--quiet'], { cwd: work, stdio: 'pipe' });
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', DIST, '--no-dts', '--silent'],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  work = mkdtempSync(join(tmpdir(), 'bloomlink-built-'));
  writeFileSync(join(work, 'key.txt'), '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n');
}, 180_000);

afterAll(() => {
  rmSync(DIST, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('built CLI on worker threads', () => {
  it('encodes and matches identically with 1 and 2 threads', () => {
    for (const t of ['1', '2']) {
      cli(
        'encode',
        '--in',
        join(SAMPLE, 'clients.csv'),
        '--key',
        'key.txt',
        '--out',
        `coc${t}.arrow`,
        '--threads',
        t,
        '--today',
        '2026-01-01',
      );
      cli(
        'encode',
        '--in',
        join(SAMPLE, 'members.csv'),
        '--key',
        'key.txt',
        '--out',
        `mcp${t}.arrow`,
        '--threads',
        t,
        '--today',
        '2026-01-01',
      );
      cli(
        'match',
        '--coc',
        `coc${t}.arrow`,
        '--mcp',
        `mcp${t}.arrow`,
        '--out',
        `links${t}.csv`,
        '--threads',
        t,
      );
      cli(
        'match',
        '--coc',
        `coc${t}.arrow`,
        '--mcp',
        `mcp${t}.arrow`,
        '--out',
        `exh${t}.csv`,
        '--threads',
        t,
        '--no-blocking',
      );
    }
    const read = (f: string) => readFileSync(join(work, f));
    for (const f of ['coc', 'mcp']) expect(read(`${f}2.arrow`).equals(read(`${f}1.arrow`))).toBe(true);
    expect(read('links2.csv').toString()).toBe(read('links1.csv').toString());
    expect(read('exh2.csv').toString()).toBe(read('exh1.csv').toString());
    expect(read('links1.csv').toString().split('\n').length).toBeGreaterThan(100);
  });
});
