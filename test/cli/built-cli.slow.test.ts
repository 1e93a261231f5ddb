/**
 * The built package (tsup, as `npm run build` makes it) starts its worker threads from its worker
 * entry, dist/worker.js: the CLI's encode and match with --threads 2 write the same files as with
 * --threads 1; the dispatcher loads one bundle of the command asked for, and `match`'s holds none of the
 * encoder's modules, `encode`'s none of the matcher's; apache-arrow is a bundle of its own, loaded on
 * first use; a usage error thrown in a command's bundle exits
 * with status 2; a match worker loads none of the encoder's modules (it still runs with them deleted);
 * the parallel API bundled as bloomlink/node bundles it, ESM and CommonJS, gives the same
 * results on 1 and 2 threads; the keyless entry (`bloomlink`) loads no key-taking code; and an error
 * from one entry point is an instanceof the BloomlinkError of every other, ESM and CommonJS. Builds
 * into node_modules/.cache (so the bundles resolve the package's
 * dependencies), once for this file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'node_modules', '.cache', `bloomlink-built-cli-${process.pid}`);
const BARE = `${DIST}-without-encoder`;
const NO_ARROW = `${DIST}-without-arrow`;
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
  encodeFile(dist, join(SAMPLE, `${list}.csv`), out, threads);
}

function encodeFile(dist: string, input: string, out: string, threads: string): void {
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

/** The built files a built module imports (or, CommonJS, requires), statically and dynamically (names in DIST). */
function imports(file: string): { static: string[]; dynamic: string[] } {
  const code = readFileSync(join(DIST, file), 'utf8');
  const names = (re: RegExp) => [...code.matchAll(re)].map((m) => m[1]!);
  return {
    static: [
      ...names(/(?:from|import)\s*['"]\.\/([^'"]+)['"]/g),
      ...names(/\brequire\(\s*['"]\.\/([^'"]+)['"]\s*\)/g),
    ],
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
  rmSync(NO_ARROW, { recursive: true, force: true });
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

  it('the CLI loads a command’s code only when it runs: `match` none of the encoder’s, `encode` none of the matcher’s', () => {
    // cli.js itself, statically: the dispatcher only; it requires a command's CommonJS bundle
    // (cli-<command>.cjs, one file with everything the command may use) when the command runs.
    const start = [...loads(['cli.js'])].flatMap(sources);
    expect(start).toContain('src/cli/registry.ts');
    expect(start.filter((s) => /^src\/(encode|match|read|report|output|synth)\//.test(s))).toEqual([]);
    const code = readFileSync(join(DIST, 'cli.js'), 'utf8');
    const bundles = [
      ...code.matchAll(/createRequire\(import\.meta\.url\)\(\s*['"]\.\/(cli-[a-z-]+\.cjs)['"]\s*\)/g),
    ].map((m) => m[1]!);
    expect(bundles).toHaveLength(9);
    const command = (source: string) => {
      const file = bundles.find((f) => sources(f).includes(source));
      expect(file, source).toBeDefined();
      // Only apache-arrow's own bundle, required on first use (the next test).
      expect(
        imports(file!).static.filter((f) => f !== 'cli-apache-arrow.cjs'),
        `${file} imports no other built file`,
      ).toEqual([]);
      return sources(file!);
    };
    const match = command('src/cli/commands/match.ts');
    expect(match).toContain('src/match/match.ts');
    expect(match.filter((s) => s.startsWith('src/encode/'))).toEqual([]);
    const encode = command('src/cli/commands/encode.ts');
    expect(encode).toContain('src/encode/encoder.ts');
    expect(encode.filter((s) => /^src\/(match|report|synth|output)\//.test(s))).toEqual([]);
  });

  it('apache-arrow is a bundle of its own, required only when a command reads or writes an Arrow table', () => {
    // Paths relative to the build folder: node_modules/apache-arrow/… (or ../apache-arrow/… from the cache).
    const fromArrow = (f: string) => sources(f).filter((s) => /(^|\/)apache-arrow\//.test(s));
    expect(fromArrow('cli-apache-arrow.cjs').length).toBeGreaterThan(10);
    const code = readFileSync(join(DIST, 'cli.js'), 'utf8');
    const bundles = [...code.matchAll(/\(\s*['"]\.\/(cli-[a-z-]+\.cjs)['"]\s*\)/g)].map((m) => m[1]!);
    expect(bundles).toHaveLength(9);
    for (const f of bundles) expect(fromArrow(f), f).toEqual([]);
    // Every file the CLI loads is ASCII (tsup.config.ts, asciiOutput: Node parses it as one-byte text).
    for (const f of ['cli.js', 'cli-apache-arrow.cjs', ...bundles])
      expect(/[\u0080-\uffff]/.test(readFileSync(join(DIST, f), 'utf8')), f).toBe(false);
    // An Arrow table of the sample clients (plain values, no quoting in the CSV) encodes through it
    // to the same file as the CSV.
    const [header, ...rows] = readFileSync(join(SAMPLE, 'clients.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const columns = Object.fromEntries(header!.map((h, i) => [h, rows.map((r) => r[i] ?? '')]));
    writeFileSync(join(work, 'clients-table.arrow'), tableToIPC(tableFromArrays(columns), 'file'));
    encodeFile(DIST, 'clients-table.arrow', 'from-table.arrow', '1');
    encodeFile(DIST, join(SAMPLE, 'clients.csv'), 'from-csv.arrow', '1');
    const read = (f: string) => readFileSync(join(work, f));
    expect(read('from-table.arrow').equals(read('from-csv.arrow'))).toBe(true);
    // Without apache-arrow's bundle a CSV still encodes (the bundle is not loaded), an Arrow table does not.
    cpSync(DIST, NO_ARROW, { recursive: true });
    rmSync(join(NO_ARROW, 'cli-apache-arrow.cjs'));
    encodeFile(NO_ARROW, join(SAMPLE, 'clients.csv'), 'no-arrow-csv.arrow', '1');
    expect(read('no-arrow-csv.arrow').equals(read('from-csv.arrow'))).toBe(true);
    expect(() => encodeFile(NO_ARROW, 'clients-table.arrow', 'no-arrow-table.arrow', '1')).toThrow();
  }, 120_000);

  it('a usage error thrown inside a command’s bundle is printed and exits with status 2, as one from the dispatcher', () => {
    const run = (...args: string[]) => {
      try {
        execFileSync(process.execPath, [join(DIST, 'cli.js'), ...args], { cwd: work, stdio: 'pipe' });
      } catch (e) {
        const { status, stderr } = e as { status: number; stderr: Buffer };
        return { status, line: stderr.toString().trim() };
      }
      throw new Error('expected a failure');
    };
    const common = ['--in', join(SAMPLE, 'clients.csv'), '--key', 'key.txt', '--out', 'x.arrow'];
    expect(run('encode', ...common, '--format', 'xml')).toEqual({
      status: 2,
      line: "bloomlink: --format must be 'arrow' or 'jsonl' (see --help)",
    });
    expect(run('encodr')).toEqual({ status: 2, line: "bloomlink: unknown command 'encodr' (see --help)" });
  });

  it('CLI clkhash mode: 1 and 2 threads write clkhash 0.18.3’s CLKs (the interoperability vectors)', () => {
    const vectors = JSON.parse(readFileSync(join(ROOT, 'test', 'vectors', 'clkhash-v3.json'), 'utf8')) as {
      secret: string;
      header: string[];
      records: string[][];
      cases: { name: string; schema: unknown; clks: string[] }[];
    };
    const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const csv = [vectors.header, ...vectors.records].map((r) => r.map(quote).join(',')).join('\n');
    writeFileSync(join(work, 'clk-records.csv'), `${csv}\n`);
    writeFileSync(join(work, 'clk-secret.txt'), `${vectors.secret}\n`, { mode: 0o600 });
    for (const [i, c] of vectors.cases.entries()) {
      writeFileSync(join(work, `clk-schema-${i}.json`), JSON.stringify(c.schema));
      for (const t of ['1', '2']) {
        const out = `clks-${i}-${t}.json`;
        cli(
          DIST,
          'encode',
          '--schema',
          `clk-schema-${i}.json`,
          '--in',
          'clk-records.csv',
          '--key',
          'clk-secret.txt',
          '--out',
          out,
          '--allow-weak-secret',
          '--threads',
          t,
        );
        expect(JSON.parse(readFileSync(join(work, out), 'utf8')), `${c.name}, ${t} threads`).toEqual({
          clks: c.clks,
        });
      }
    }
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

    // Delete the encoder's files from a copy of the build: matching on workers still works there
    // (the match command loads no encoder chunk either), encoding on workers cannot.
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

  it('one BloomlinkError across the built entry points, ESM and CommonJS: an encode error is an instanceof each', () => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const dist = ${JSON.stringify(DIST)};
      const esm = {};
      for (const e of ['index', 'encode', 'node', 'synth']) esm[e] = await import(dist + '/' + e + '.js');
      const cjs = {};
      for (const e of ['index', 'encode', 'node', 'synth']) cjs[e] = require(dist + '/' + e + '.cjs');
      const thrown = [];
      for (const m of [esm.encode, cjs.encode]) {
        try { m.parseKey(''); } catch (e) { thrown.push(e); }
        try { m.parseKey('aa'.repeat(32)); } catch (e) { thrown.push(e); }
      }
      const classes = [...Object.values(esm), ...Object.values(cjs)].map((m) => m.BloomlinkError);
      console.log(JSON.stringify({
        classes: classes.map((c) => typeof c),
        distinctCopies: new Set(classes).size,
        codes: thrown.map((e) => e.code),
        instanceOfAll: thrown.map((e) => classes.every((c) => e instanceof c)),
        plainErrorIsNot: classes.some((c) => new Error('x') instanceof c),
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: work,
      stdio: 'pipe',
    }).toString();
    const r = JSON.parse(out) as {
      classes: string[];
      distinctCopies: number;
      codes: string[];
      instanceOfAll: boolean[];
      plainErrorIsNot: boolean;
    };
    expect(r.classes).toEqual(Array(8).fill('function'));
    // The check is not vacuous: the bundles hold more than one copy of the class.
    expect(r.distinctCopies).toBeGreaterThan(1);
    expect(r.codes).toEqual(['KEY_MISSING', 'KEY_WEAK', 'KEY_MISSING', 'KEY_WEAK']);
    expect(r.instanceOfAll).toEqual([true, true, true, true]);
    expect(r.plainErrorIsNot).toBe(false);
  });

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
