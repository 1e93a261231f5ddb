/**
 * Run manifests (`<out>.manifest.json`): every command that writes files writes one with its outputs,
 * committed with them; it names each input and output by base name with its SHA-256 and size, the
 * linkage schema fingerprint and key check, the options without the key, counts; and it is the same
 * for the same run except `createdAt`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { match } from '../../src/cli/commands/match.js';
import { reidentify } from '../../src/cli/commands/reidentify.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { validate } from '../../src/cli/commands/validate.js';
import {
  checkWrittenManifest,
  digestFile,
  manifestPath,
  manifestSchema,
  RunManifest,
  type RunManifestData,
} from '../../src/cli/manifest.js';
import { readEncoded } from '../../src/encoded/file.js';
import { fileBytes } from '../../src/read/source.node.js';
import { VERSION } from '../../src/version.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = join(ROOT, 'data', 'sample');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'output');
const CLIENTS = join(FIXTURES, 'Client.csv');
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY_HEX = `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978`;
const key = join(dir, 'linkage.key');
const today = { today: '2026-01-01', threads: '1' };

async function run(cmd: Command, values: OptionValues): Promise<void> {
  const [stderr, stdout] = [process.stderr.write, process.stdout.write];
  process.stderr.write = () => true;
  process.stdout.write = () => true;
  try {
    expect(await cmd.run({ quiet: true, ...values })).toBe(0);
  } finally {
    process.stderr.write = stderr;
    process.stdout.write = stdout;
  }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
function read(out: string): { data: RunManifestData; text: string } {
  const text = readFileSync(manifestPath(out), 'utf8');
  return { data: manifestSchema().parse(JSON.parse(text)), text };
}
/** The manifest without its timestamp: what two identical runs must agree on. */
const timeless = (m: RunManifestData) => ({ ...m, createdAt: undefined });

/** Checks a manifest against the files: outputs and inputs by digest and size, no key anywhere. */
function checkManifest(out: string, command: string, outputs: readonly string[], inputs: readonly string[]) {
  const { data, text } = read(out);
  expect(data.command).toBe(command);
  expect(data.tool).toEqual({ name: 'bloomlink', version: VERSION });
  expect(data.testRun).toBe(false);
  expect(Date.now() - Date.parse(data.createdAt)).toBeLessThan(10 * 60_000);
  const folder = join(out, '..');
  expect(data.outputs.map((o) => o.file).sort()).toEqual([...outputs].sort());
  for (const o of data.outputs) {
    const path = join(folder, o.file);
    expect([o.file, o.sha256, o.bytes]).toEqual([o.file, sha(path), statSync(path).size]);
  }
  expect(data.inputs.map((i) => i.file).sort()).toEqual(inputs.map((p) => basename(p)).sort());
  for (const i of data.inputs) {
    const path = inputs.find((p) => basename(p) === i.file)!;
    if (i.kind === 'file')
      expect([i.file, i.sha256, i.bytes]).toEqual([i.file, sha(path), statSync(path).size]);
  }
  // No key, no key file, no path beyond a base name.
  expect(text).not.toContain(KEY_HEX);
  expect(text).not.toContain(KEY_HEX.slice(0, 32));
  expect(text).not.toContain('linkage.key');
  expect(text).not.toContain(dir);
  expect(statSync(manifestPath(out)).mode & 0o777).toBe(0o600);
  return data;
}

const f = (p: string) => join(dir, p);

/** The first rows of a sample list (a small run is enough here). */
function head(name: string, rows: number): string {
  const path = f(name);
  const lines = readFileSync(join(SAMPLE, name), 'utf8')
    .split(/\r?\n/)
    .slice(0, rows + 1);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

beforeAll(() => {
  writeFileSync(key, `${KEY_HEX}\n`, { mode: 0o600 });
  for (const d of ['a', 'b', 'c']) mkdirSync(f(d));
});

describe('every command that writes files writes <out>.manifest.json', () => {
  it('encode and match: inputs, outputs, schema fingerprint and key check, counts; the same twice but for createdAt', async () => {
    const clients = head('clients.csv', 300);
    await run(encode, { in: clients, key, out: f('a/coc.arrow'), ...today });
    await run(encode, { in: head('members.csv', 900), key, out: f('a/mcp.arrow'), ...today });
    const enc = checkManifest(f('a/coc.arrow'), 'encode', ['coc.arrow', 'coc.arrow.rejects.csv'], [clients]);
    const meta = (await readEncoded(fileBytes(f('a/coc.arrow')), 'coc.arrow')).meta;
    expect(enc.linkage).toEqual({ schemaFingerprint: meta.schemaFingerprint, keyCheck: meta.keyCheck });
    const rows = readFileSync(clients, 'utf8').trimEnd().split(/\r?\n/).length - 1;
    expect(enc.inputs[0]?.rows).toBe(rows);
    expect(enc.counts.rowsAccepted! + enc.counts.rowsRejected!).toBe(rows);
    expect(enc.options).toEqual({ in: 'clients.csv', out: 'coc.arrow', threads: '1', today: '2026-01-01' });

    const args = (d: string) => ({
      coc: f('a/coc.arrow'),
      mcp: f('a/mcp.arrow'),
      out: f(`${d}/links.csv`),
      review: f(`${d}/review.csv`),
      threads: '1',
    });
    await run(match, args('b'));
    await run(match, args('c'));
    const m = checkManifest(
      f('b/links.csv'),
      'match',
      ['links.csv', 'review.csv'],
      [f('a/coc.arrow'), f('a/mcp.arrow')],
    );
    expect(m.linkage).toEqual(enc.linkage);
    const links = readFileSync(f('b/links.csv'), 'utf8').trimEnd().split('\r\n').slice(1);
    expect(m.counts.links).toBe(links.length);
    expect(m.counts.matches! + m.counts.review!).toBe(links.length);
    expect(m.counts.review).toBe(links.filter((l) => l.endsWith(',review')).length);
    expect(timeless(read(f('c/links.csv')).data)).toEqual(timeless(m));
  });

  it('return-file, hmis (beside the folder, not in it), validate and reidentify', async () => {
    const ret = {
      links: join(FIXTURES, 'links.csv'),
      members: join(FIXTURES, 'members.csv'),
      programs: join(FIXTURES, 'programs.csv'),
    };
    await run(returnFile, { ...ret, out: f('c/mcp-return.csv'), 'as-of': '2026-01-01' });
    const r = checkManifest(
      f('c/mcp-return.csv'),
      'return-file',
      readdirSync(f('c')).filter((n) => n.startsWith('mcp-return') && !n.endsWith('.manifest.json')),
      Object.values(ret),
    );
    const returned = readFileSync(f('c/mcp-return.csv'), 'utf8').trimEnd().split('\r\n').length - 1;
    expect(r.counts.clients).toBe(returned);
    expect(r.linkage).toBeUndefined();

    await run(hmis, {
      return: f('c/mcp-return.csv'),
      clients: CLIENTS,
      'coc-code': 'CA-500',
      'project-id': 'MCP-GSHP',
      out: f('c/hmis'),
      'export-date': '2026-01-01',
    });
    expect(readdirSync(f('c/hmis')).some((n) => n.includes('manifest'))).toBe(false);
    const h = checkManifest(
      f('c/hmis'),
      'hmis',
      [...readdirSync(f('c/hmis')).map((n) => `hmis/${n}`), 'hmis.rejects.csv'],
      [f('c/mcp-return.csv'), CLIENTS, f('c/mcp-return-history.csv')],
    );
    expect(h.inputs[0]?.rows).toBe(returned);
    // An --existing folder is listed by the digest of its files' names and digests.
    await run(hmis, {
      return: f('c/mcp-return.csv'),
      clients: CLIENTS,
      'coc-code': 'CA-500',
      'project-id': 'MCP-GSHP',
      out: f('c/hmis-2'),
      existing: [f('c/hmis')],
      'export-date': '2026-01-01',
    });
    const folder = read(f('c/hmis-2')).data.inputs.find((i) => i.option === '--existing');
    const names = readdirSync(f('c/hmis')).sort();
    const expected = createHash('sha256')
      .update(names.map((n) => `${n}\u0000${sha(f(`c/hmis/${n}`))}\n`).join(''))
      .digest('hex');
    expect(folder).toMatchObject({ file: 'hmis', kind: 'folder', sha256: expected });

    await run(validate, { in: join(SAMPLE, 'members.csv'), report: f('c/rejects.csv'), ...today });
    checkManifest(f('c/rejects.csv'), 'validate', ['rejects.csv'], [join(SAMPLE, 'members.csv')]);
    await run(validate, { in: join(SAMPLE, 'members.csv'), report: f('c/none.csv'), 'test-only': true });
    expect(existsSync(manifestPath(f('c/none.csv')))).toBe(false);

    const ids = readFileSync(ret.links, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
    writeFileSync(
      f('c/map.csv'),
      `Pseudonym,PersonalID\r\n${ids.map((l) => `${l.split(',')[0]},${l.split(',')[0]}\r\n`).join('')}`,
    );
    await run(reidentify, { in: ret.links, map: [f('c/map.csv')], out: f('c/real.csv') });
    checkManifest(f('c/real.csv'), 'reidentify', ['real.csv'], [ret.links, f('c/map.csv')]);
  });
});

describe('RunManifest.digestInputsEarly', () => {
  it('gives the digests build() would take, and reports a missing input only when built', async () => {
    const a = f('early-a.csv');
    writeFileSync(a, 'x'.repeat(3 << 20)); // several of the digest's reads
    const inputs = [
      { option: '--coc', path: a },
      { option: '--key', path: key },
    ];
    const early = await new RunManifest(match, {}, inputs).digestInputsEarly().build([], dir);
    const late = await new RunManifest(match, {}, inputs).build([], dir);
    expect(timeless(early)).toEqual(timeless(late));
    expect(early.inputs).toEqual([
      { option: '--coc', file: 'early-a.csv', kind: 'file', sha256: sha(a), bytes: 3 << 20 },
    ]);
    // A missing file: no rejection escapes before build() is awaited, which then fails.
    const missing = new RunManifest(match, {}, [{ option: '--mcp', path: f('no-such.arrow') }]);
    missing.digestInputsEarly();
    await new Promise((r) => setTimeout(r, 50));
    await expect(missing.build([], dir)).rejects.toThrow();
  });

  it('digests a large input on its own thread, and any size at the read boundaries, as sha256 does', async () => {
    // 64 MiB + 5 bytes: the thread's path (inputs of 64 MiB or more); the others stay here.
    const big = f('early-big.arrow');
    const bytes = Buffer.alloc((64 << 20) + 5);
    for (let i = 0; i < bytes.length; i += 4093) bytes[i] = i & 0xff;
    writeFileSync(big, bytes);
    const sizes = [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (2 << 20) + 7];
    const small = sizes.map((n, k) => {
      const p = f(`early-${k}.csv`);
      writeFileSync(p, bytes.subarray(0, n));
      return p;
    });
    const inputs = [big, ...small].map((path, k) => ({ option: `--in${k}`, path }));
    const early = await new RunManifest(match, {}, inputs).digestInputsEarly().build([], dir);
    expect(early.inputs.map((i) => [i.sha256, i.bytes])).toEqual(
      [big, ...small].map((p) => [sha(p), statSync(p).size]),
    );
    expect(await digestFile(big)).toEqual({ sha256: sha(big), bytes: bytes.length });
    // Stopped (the run failed): the thread's digest rejects, nothing is left running.
    const stopped = new RunManifest(match, {}, [{ option: '--mcp', path: big }]);
    stopped.digestInputsEarly().cancelEarlyDigests();
    await expect(stopped.build([], dir)).rejects.toThrow();
  });

  it('leaves a pipe to the command: a second reader would take some of its bytes', async () => {
    const fifo = f('early.fifo');
    execFileSync('mkfifo', [fifo]);
    new RunManifest(match, {}, [{ option: '--decisions', path: fifo }]).digestInputsEarly();
    const writer = spawn('sh', ['-c', 'head -c 200000 /dev/zero > "$0"', fifo], { stdio: 'ignore' });
    const written = new Promise((r) => writer.on('exit', r));
    let got = 0;
    for await (const chunk of createReadStream(fifo)) got += (chunk as Buffer).length;
    await written;
    expect(got).toBe(200_000);
  });
});

describe('checking a manifest as it is written (no zod)', () => {
  it('writes exactly what the zod layout gives back, keys in the same order', async () => {
    const a = f('check-a.csv');
    writeFileSync(a, 'PersonalID\nC1\n');
    const m = new RunManifest(match, { out: f('links.csv'), threshold: '0.9', quiet: true }, [
      { option: '--coc', path: a },
    ]);
    m.rows('--coc', 1).count('links', 3).linkage({ schemaFingerprint: 'fp', keyCheck: 'kc' });
    const built = await m.build([{ option: '--out', path: a, sha256: sha(a), bytes: 13 }], dir);
    expect(JSON.stringify(built)).toBe(JSON.stringify(manifestSchema().parse(built)));
    expect(built.inputs[0]?.rows).toBe(1);
  });

  it('refuses what the layout refuses: a count that is not a whole number, a digest that is not hex', () => {
    const good: RunManifestData = {
      manifestVersion: 1,
      tool: { name: 'bloomlink', version: VERSION },
      command: 'match',
      createdAt: new Date().toISOString(),
      testRun: false,
      inputs: [{ option: '--coc', file: 'c.arrow', kind: 'file', sha256: 'a'.repeat(64), bytes: 5, rows: 2 }],
      options: { out: 'links.csv', seed: ['1'], quiet: true },
      outputs: [{ option: '--out', file: 'links.csv', sha256: 'b'.repeat(64), bytes: 0 }],
      counts: { links: 0 },
    };
    expect(checkWrittenManifest(good)).toBe(good);
    expect(manifestSchema().safeParse(good).success).toBe(true);
    const bad: RunManifestData[] = [
      { ...good, counts: { links: 1.5 } },
      { ...good, counts: { links: Number.NaN } },
      { ...good, outputs: [{ option: '--out', file: 'x', sha256: 'B'.repeat(64), bytes: 1 }] },
      { ...good, inputs: [{ option: '--coc', file: 'c', kind: 'file', sha256: 'a'.repeat(64), bytes: -1 }] },
      { ...good, createdAt: '2026-01-01 00:00:00' },
    ];
    for (const m of bad) {
      expect(manifestSchema().safeParse(m).success).toBe(false);
      expect(() => checkWrittenManifest(m)).toThrow(/manifest layout/);
    }
  });
});
