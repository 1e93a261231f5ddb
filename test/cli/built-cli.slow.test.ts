/**
 * The built package (tsup, as `npm run build` makes it) starts its worker threads from its worker
 * entry, dist/worker.js: the CLI's encode and match with --threads 2 write the same files as with
 * --threads 1; a match worker loads none of the encoder's modules (it still runs with them deleted);
 * the parallel API bundled as bloomlink/node bundles it, ESM and CommonJS, gives the same
 * results on 1 and 2 threads; and the keyless entry (`bloomlink`) loads no key-taking code. Builds into node_modules/.cache (so the bundles resolve the package's
 * dependencies), once for this file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'node_modules', '.cache', `bloomlink-built-cli-${process.pid}`);
const BARE = `${DIST}-without-encoder`;
const SAMPLE = join(ROOT, 'data', 'sample');
let work: string;

function tsup(...args: string[]): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js'), ...args], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

function cli(dist: string, ...args: string[]): void {
  execFileSync(process.execPath, [join(dist, 'cli.js'), ...args, '--quiet'], { cwd: work, stdio: 'pipe' });
}

function encode(dist: string, list: 'clients' | 'members', out: string, threads: string): void {
  const input = join(SAMPLE, `${list}.csv`);
  cli(
    dist,
    'encode',
    '--in',
    input,
    '--key',
    'key.txt',
    '--out',
    out,
    '--threads',
    threads,
    '--today',
    '2026-01-01',
  );
}

/** The built files a built module imports, statically and dynamically (names in DIST). */
function imports(file: string): { static: string[]; dynamic: string[] } {
  const code = readFileSync(join(DIST, file), 'utf8');
  const names = (re: RegExp) => [...code.matchAll(re)].map((m) => m[1]!);
  return {
    static: names(/(?:from|import)\s*['"]\.\/([^'"]+)['"]/g),
    dynamic: names(/import\(\s*['"]\.\/([^'"]+)['"]\s*\)/g),
  };
}

/** Every built file that loading `roots` evaluates (static imports, transitively). */
function loads(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const g of imports(f).static) visit(g);
  };
  for (const r of roots) visit(r);
  return seen;
}

/** The source files a built file was made of (from its source map), as `src/...` paths. */
function sources(file: string): string[] {
  const map = JSON.parse(readFileSync(join(DIST, `${file}.map`), 'utf8')) as { sources: string[] };
  return map.sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
}

beforeAll(() => {
  tsup('--out-dir', DIST, '--no-dts', '--silent');
  // Bundled the way tsup.config.ts bundles src/node.ts (ESM and CommonJS, shims), into the same folder.
  tsup(
    '--no-config',
    '--entry.node-probe',
    'test/cli/fixtures/node-probe.ts',
    '--format',
    'esm,cjs',
    '--target',
    'node20',
    '--shims',
    '--out-dir',
    DIST,
    '--silent',
  );
  work = mkdtempSync(join(tmpdir(), 'bloomlink-built-'));
  writeFileSync(join(work, 'key.txt'), '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n');
}, 300_000);

afterAll(() => {
  rmSync(DIST, { recursive: true, force: true });
  rmSync(BARE, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('built package on worker threads', () => {
  it('CLI: encodes and matches identically with 1 and 2 threads', () => {
    for (const t of ['1', '2']) {
      encode(DIST, 'clients', `coc${t}.arrow`, t);
      encode(DIST, 'members', `mcp${t}.arrow`, t);
      const pair = ['--coc', `coc${t}.arrow`, '--mcp', `mcp${t}.arrow`];
      cli(DIST, 'match', ...pair, '--out', `links${t}.csv`, '--threads', t);
      cli(DIST, 'match', ...pair, '--out', `exh${t}.csv`, '--threads', t, '--no-blocking');
    }
    const read = (f: string) => readFileSync(join(work, f));
    for (const f of ['coc', 'mcp']) expect(read(`${f}2.arrow`).equals(read(`${f}1.arrow`))).toBe(true);
    expect(read('links2.csv').toString()).toBe(read('links1.csv').toString());
    expect(read('exh2.csv').toString()).toBe(read('exh1.csv').toString());
    expect(read('links1.csv').toString().split('\n').length).toBeGreaterThan(100);
  }, 180_000);

  it('import("bloomlink") loads no key-taking code: no src/encode/ module, no HMAC or HKDF', () => {
    const keyPackage = /['"]@noble\/hashes\/(hmac|hkdf)(\.js)?['"]/;
    for (const entry of ['index.js', 'index.cjs']) {
      const files = [...loads([entry])];
      const made = files.flatMap(sources);
      expect(made, entry).toContain('src/match/api.ts');
      expect(
        made.filter((s) => s.startsWith('src/encode/')),
        entry,
      ).toEqual([]);
      expect(
        files.filter((f) => keyPackage.test(readFileSync(join(DIST, f), 'utf8'))),
        entry,
      ).toEqual([]);
    }
    // The check is not empty: the key-taking entry does load both.
    const encodeFiles = [...loads(['encode.js'])];
    expect(encodeFiles.flatMap(sources)).toContain('src/encode/key.ts');
    expect(encodeFiles.some((f) => keyPackage.test(readFileSync(join(DIST, f), 'utf8')))).toBe(true);
  });

  it('a match worker loads none of the encoder’s modules, and runs without them', () => {
    const worker = imports('worker.js');
    const role = (source: string) => {
      const file = worker.dynamic.find((f) => sources(f).includes(source));
      expect(file, source).toBeDefined();
      return file!;
    };
    const fromEncoder = (f: string) => sources(f).some((s) => s.startsWith('src/encode/'));
    const match = loads(['worker.js', role('src/match/match-task.ts')]);
    expect([...match].filter(fromEncoder)).toEqual([]);
    // The check is not empty: an encode worker does load the encoder, HMAC kernel included.
    const encoder = [...loads(['worker.js', role('src/encode/read-encode-task.ts')])].filter(fromEncoder);
    expect(encoder.flatMap(sources)).toContain('src/encode/kernel/sha256.ts');

    // Delete the encoder's files from a copy of the build: matching on workers still works there,
    // encoding on workers cannot (the main thread's bundle, cli.js, is whole either way).
    cpSync(DIST, BARE, { recursive: true });
    for (const f of encoder) rmSync(join(BARE, f));
    expect(existsSync(join(BARE, 'worker.js'))).toBe(true);
    encode(DIST, 'clients', 'coc.arrow', '1');
    encode(DIST, 'members', 'mcp.arrow', '1');
    cli(
      DIST,
      'match',
      '--coc',
      'coc.arrow',
      '--mcp',
      'mcp.arrow',
      '--out',
      'links-whole.csv',
      '--threads',
      '1',
    );
    cli(
      BARE,
      'match',
      '--coc',
      'coc.arrow',
      '--mcp',
      'mcp.arrow',
      '--out',
      'links-bare.csv',
      '--threads',
      '2',
    );
    const read = (f: string) => readFileSync(join(work, f), 'utf8');
    expect(read('links-bare.csv')).toBe(read('links-whole.csv'));
    expect(() => encode(BARE, 'members', 'bare.arrow', '2')).toThrow();
  }, 180_000);

  for (const bundle of ['node-probe.js', 'node-probe.cjs']) {
    it(`bloomlink/node as ${bundle.endsWith('.cjs') ? 'CommonJS' : 'ESM'}: encodes and matches identically with 1 and 2 threads`, () => {
      const out = execFileSync(
        process.execPath,
        [join(ROOT, 'test', 'cli', 'fixtures', 'node-probe-run.mjs'), join(DIST, bundle), SAMPLE],
        { cwd: work, stdio: 'pipe' },
      ).toString();
      const r = JSON.parse(out) as { encodedEqual: boolean; matchEqual: boolean; links: number };
      expect(r.encodedEqual).toBe(true);
      expect(r.matchEqual).toBe(true);
      expect(r.links).toBeGreaterThan(100);
    }, 180_000);
  }
});
