/**
 * Every command that writes, run with a file layer that fails after N bytes (a full disk, injected
 * into `open` of node:fs/promises for the temporary files only): a coded FILE_UNWRITABLE, the
 * previous outputs intact and no file left behind. And outputs that name an input are refused
 * before anything is written.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { keygen } from '../../src/cli/commands/keygen.js';
import { match } from '../../src/cli/commands/match.js';
import { reidentify } from '../../src/cli/commands/reidentify.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { reviewSheet } from '../../src/cli/commands/review-sheet.js';
import { validate } from '../../src/cli/commands/validate.js';

/** Bytes the temporary files may still take before a write fails with ENOSPC (Infinity: no fault). */
const fault = { budget: Number.POSITIVE_INFINITY };

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open = async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    if (!String(args[0]).includes('.partial-')) return handle;
    const write = handle.write.bind(handle) as (
      b: Uint8Array,
      o: number,
      l: number,
    ) => Promise<{ bytesWritten: number }>;
    return Object.assign(Object.create(handle), {
      write: async (bytes: Uint8Array, offset: number, length: number) => {
        if (fault.budget <= 0)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        const n = Math.min(length, fault.budget);
        const r = await write(bytes, offset, n);
        fault.budget -= r.bytesWritten;
        return r;
      },
      // Gathered writes (the encoded file's chunks) fail the same way: what fits, then ENOSPC.
      writev: async (chunks: Uint8Array[]) => {
        if (fault.budget <= 0)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        const part: Uint8Array[] = [];
        let n = 0;
        for (const c of chunks) {
          if (n >= fault.budget) break;
          const take = c.subarray(0, Math.min(c.length, fault.budget - n));
          part.push(take);
          n += take.length;
        }
        const r = await handle.writev(part);
        fault.budget -= r.bytesWritten;
        return r;
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    });
  };
  return { ...real, open, default: { ...real, open } };
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = join(ROOT, 'data', 'sample');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'output');
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, 'linkage.key');
const encoded = { coc: join(dir, 'in', 'coc.arrow'), mcp: join(dir, 'in', 'mcp.arrow') };
const today = { today: '2026-01-01', threads: '1' };

async function run(cmd: Command, values: OptionValues): Promise<number> {
  const [stderr, stdout] = [process.stderr.write, process.stdout.write];
  process.stderr.write = () => true;
  process.stdout.write = () => true;
  try {
    return await cmd.run({ quiet: true, ...values });
  } finally {
    [process.stderr.write, process.stdout.write] = [stderr, stdout];
  }
}

/** Every file under `d` with its content, to compare before and after a failed run. */
function snapshot(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(d, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out[join(e.parentPath, e.name)] = readFileSync(join(e.parentPath, e.name), 'latin1');
  return out;
}

beforeAll(async () => {
  writeFileSync(key, `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978\n`, { mode: 0o600 });
  await run(encode, { in: join(SAMPLE, 'clients.csv'), key, out: encoded.coc, ...today });
  await run(encode, { in: join(SAMPLE, 'members.csv'), key, out: encoded.mcp, ...today });
}, 120_000);
beforeEach(() => {
  fault.budget = Number.POSITIVE_INFINITY;
});

describe('a full disk in the middle of a run', () => {
  const cases: [string, Command, (out: string) => OptionValues][] = [
    [
      'encode',
      encode,
      (o) => ({
        in: join(SAMPLE, 'clients.csv'),
        key,
        out: join(o, 'coc.arrow'),
        pseudonyms: join(o, 'map.csv'),
        ...today,
      }),
    ],
    [
      'match',
      match,
      (o) => ({
        ...encoded,
        out: join(o, 'links.csv'),
        review: join(o, 'review.csv'),
        model: join(o, 'model.json'),
        'report-json': join(o, 'report.json'),
        threads: '1',
      }),
    ],
    [
      'return-file',
      returnFile,
      (o) => ({
        links: join(FIXTURES, 'links.csv'),
        members: join(FIXTURES, 'members.csv'),
        programs: join(FIXTURES, 'programs.csv'),
        out: join(o, 'mcp-return.csv'),
        arrow: join(o, 'mcp-return.arrow'),
        'as-of': '2026-01-01',
      }),
    ],
    [
      'hmis',
      hmis,
      (o) => ({
        return: join(FIXTURES, 'golden', 'mcp-return.csv'),
        clients: join(FIXTURES, 'Client.csv'),
        'coc-code': 'CA-500',
        'project-id': 'MCP-GSHP',
        out: join(o, 'hmis'),
        'export-date': '2026-01-01',
      }),
    ],
    [
      'reidentify',
      reidentify,
      (o) => ({
        in: join(FIXTURES, 'links.csv'),
        map: [join(o, '..', 'map.csv')],
        out: join(o, 'links-real.csv'),
      }),
    ],
    [
      'review-sheet',
      reviewSheet,
      (o) => ({
        links: join(FIXTURES, 'links.csv'),
        in: join(FIXTURES, 'members.csv'),
        side: 'mcp',
        out: join(o, 'review-mcp.csv'),
        page: join(o, 'review.html'),
        ...today,
      }),
    ],
    [
      'validate',
      validate,
      (o) => ({ in: join(SAMPLE, 'members.csv'), report: join(o, 'rejects.csv'), ...today }),
    ],
    ['keygen', keygen, (o) => ({ out: join(o, 'new.key') })],
  ];

  it.each(cases)(
    '%s: FILE_UNWRITABLE, previous outputs intact, nothing left behind',
    async (name, cmd, args) => {
      const o = join(dir, name, 'out');
      mkdirSync(o, { recursive: true });
      // An identity pseudonym map of the fixture's PersonalIDs, for reidentify.
      const ids = readFileSync(join(FIXTURES, 'links.csv'), 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
      const map = ids.map((l) => `${l.split(',')[0]},${l.split(',')[0]}\r\n`);
      writeFileSync(join(o, '..', 'map.csv'), `Pseudonym,PersonalID\r\n${map.join('')}`);
      // A first, successful run; its files are the "previous outputs".
      expect(await run(cmd, args(o))).toBe(0);
      const before = snapshot(o);
      expect(Object.keys(before).length).toBeGreaterThan(0);
      // Files with personal data, IDs or keys are private (0600); only encoded files and the model not
      // (nor the run manifests: their digests are of private files).
      const umask = process.umask();
      for (const path of Object.keys(before)) {
        // The review page holds no data (the halves are loaded into it by the reviewer).
        const shared =
          (/\.(arrow|json)$/.test(path) &&
            !/mcp-return\.arrow$|report\.json$|\.manifest\.json$/.test(path)) ||
          path.endsWith('review.html');
        expect([path, statSync(path).mode & 0o777]).toEqual([path, shared ? 0o666 & ~umask : 0o600]);
      }
      let failures = 0;
      for (const budget of [0, 7, 4096, 100_000]) {
        fault.budget = budget;
        const total = Object.values(before).reduce((a, t) => a + t.length, 0);
        if (budget >= total) continue;
        await expect(run(cmd, args(o))).rejects.toMatchObject({
          code: 'FILE_UNWRITABLE',
          message: expect.stringMatching(
            /^\S+: cannot write the file \(ENOSPC: no space left on the device\)$/,
          ),
        });
        failures++;
        expect(snapshot(o)).toEqual(before);
      }
      expect(failures).toBeGreaterThan(0);
    },
  );
});

describe('outputs that name an input', () => {
  const o = join(dir, 'collide');
  mkdirSync(o, { recursive: true });
  const members = join(o, 'members.csv');
  const clients = join(o, 'clients.csv');
  writeFileSync(members, readFileSync(join(FIXTURES, 'members.csv')));
  writeFileSync(clients, readFileSync(join(SAMPLE, 'clients.csv')));
  const probes: [string, Command, () => OptionValues][] = [
    ['encode --out = --in', encode, () => ({ in: clients, key, out: clients, ...today })],
    ['encode --out = --key', encode, () => ({ in: clients, key, out: key, ...today })],
    [
      'encode --report = --in',
      encode,
      () => ({ in: clients, key, out: join(o, 'c.arrow'), report: clients }),
    ],
    [
      'encode --pseudonyms = --report',
      encode,
      () => ({
        in: clients,
        key,
        out: join(o, 'c.arrow'),
        report: join(o, 'r.csv'),
        pseudonyms: join(o, 'r.csv'),
      }),
    ],
    [
      'return-file --out members.csv',
      returnFile,
      () => ({
        links: join(FIXTURES, 'links.csv'),
        members,
        programs: join(FIXTURES, 'programs.csv'),
        out: members,
      }),
    ],
    [
      'match --review = --out',
      match,
      () => ({ ...encoded, out: join(o, 'l.csv'), review: join(o, 'l.csv') }),
    ],
    ['match --out = --coc', match, () => ({ ...encoded, out: encoded.coc })],
    [
      'hmis --out through a symbolic link to --existing',
      hmis,
      () => {
        mkdirSync(join(o, 'export'), { recursive: true });
        rmSync(join(o, 'alias'), { force: true });
        symlinkSync(join(o, 'export'), join(o, 'alias'));
        return {
          return: join(FIXTURES, 'golden', 'mcp-return.csv'),
          clients: join(FIXTURES, 'Client.csv'),
          'coc-code': 'CA-500',
          'project-id': 'P',
          out: join(o, 'alias'),
          existing: [join(o, 'export')],
        };
      },
    ],
    [
      'reidentify --out = --map',
      reidentify,
      () => {
        writeFileSync(join(o, 'map.csv'), 'Pseudonym,PersonalID\r\n');
        return { in: join(FIXTURES, 'links.csv'), map: [join(o, 'map.csv')], out: join(o, 'map.csv') };
      },
    ],
  ];
  it.each(probes)('%s: OUTPUT_IS_INPUT, nothing written', async (_, cmd, args) => {
    const values = args();
    const before = snapshot(dir);
    await expect(run(cmd, values)).rejects.toMatchObject({ code: 'OUTPUT_IS_INPUT' });
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('a missing input', () => {
  const o = join(dir, 'missing');
  const gone = join(o, 'no-such-file.csv');
  const hmisArgs = (over: OptionValues): OptionValues => ({
    return: join(FIXTURES, 'golden', 'mcp-return.csv'),
    clients: join(FIXTURES, 'Client.csv'),
    'coc-code': 'CA-500',
    'project-id': 'P',
    out: join(o, 'hmis'),
    ...over,
  });
  const returnArgs = (over: OptionValues): OptionValues => ({
    links: join(FIXTURES, 'links.csv'),
    members: join(FIXTURES, 'members.csv'),
    programs: join(FIXTURES, 'programs.csv'),
    out: join(o, 'mcp-return.csv'),
    ...over,
  });
  const probes: [string, Command, OptionValues][] = [
    ['validate --in', validate, { in: gone, report: join(o, 'r.csv'), ...today }],
    ['encode --in', encode, { in: gone, key, out: join(o, 'c.arrow'), ...today }],
    ['match --coc', match, { coc: gone, mcp: encoded.mcp, out: join(o, 'l.csv'), threads: '1' }],
    ['match --mcp', match, { coc: encoded.coc, mcp: gone, out: join(o, 'l.csv'), threads: '1' }],
    ['match --decisions', match, { ...encoded, decisions: gone, out: join(o, 'l.csv'), threads: '1' }],
    [
      'match --previous',
      match,
      { ...encoded, previous: gone, changes: join(o, 'ch.csv'), out: join(o, 'l.csv'), threads: '1' },
    ],
    ['match --truth', match, { ...encoded, truth: gone, out: join(o, 'l.csv'), threads: '1' }],
    ['return-file --links', returnFile, returnArgs({ links: gone })],
    ['return-file --members', returnFile, returnArgs({ members: gone })],
    ['return-file --programs', returnFile, returnArgs({ programs: gone })],
    ['hmis --return', hmis, hmisArgs({ return: gone })],
    ['hmis --clients', hmis, hmisArgs({ clients: gone })],
    ['reidentify --in', reidentify, { in: gone, map: [join(o, 'map.csv')], out: join(o, 'x.csv') }],
    [
      'review-sheet --links',
      reviewSheet,
      { links: gone, in: join(FIXTURES, 'members.csv'), side: 'mcp', out: join(o, 'h.csv') },
    ],
    [
      'review-sheet --in',
      reviewSheet,
      { links: join(FIXTURES, 'links.csv'), in: gone, side: 'mcp', out: join(o, 'h.csv') },
    ],
  ];
  it.each(probes)('%s: FILE_NOT_FOUND naming the path, nothing created', async (_, cmd, values) => {
    mkdirSync(o, { recursive: true });
    writeFileSync(join(o, 'map.csv'), 'Pseudonym,PersonalID\r\np1,c1\r\n');
    const entries = () => readdirSync(dir, { recursive: true }).map(String).sort();
    const before = entries();
    await expect(run(cmd, values)).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('no-such-file.csv'),
    });
    expect(entries()).toEqual(before);
  });
});

describe('key files', () => {
  it('keygen --out writes 0600; keygen to stdout hints at --out', async () => {
    const out = join(dir, 'keys', 'k.key');
    await run(keygen, { out });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    const err: string[] = [];
    const [stderr, stdout] = [process.stderr.write, process.stdout.write];
    process.stderr.write = (s: string | Uint8Array) => err.push(String(s)) > 0;
    process.stdout.write = () => true;
    try {
      await keygen.run({});
    } finally {
      [process.stderr.write, process.stdout.write] = [stderr, stdout];
    }
    expect(err.join('')).toMatch(/hint: .*use --out FILE/);
  });

  it('encode warns when the key file can be read by other users, never showing the key', async () => {
    const open = join(dir, 'keys', 'open.key');
    writeFileSync(open, readFileSync(key), { mode: 0o644 });
    const err: string[] = [];
    const stderr = process.stderr.write;
    process.stderr.write = (s: string | Uint8Array) => err.push(String(s)) > 0;
    try {
      await encode.run({
        in: join(SAMPLE, 'clients.csv'),
        key: open,
        out: join(dir, 'keys', 'c.arrow'),
        quiet: true,
        ...today,
      });
      await encode.run({
        in: join(SAMPLE, 'clients.csv'),
        key,
        out: join(dir, 'keys', 'c.arrow'),
        quiet: true,
        ...today,
      });
    } finally {
      process.stderr.write = stderr;
    }
    const text = err.join('');
    expect(text).toMatch(
      /^bloomlink: warning: the key file open\.key can be read by other users \(mode 644\)/,
    );
    expect(text.match(/warning/g)).toHaveLength(1);
    expect(text).not.toContain('5a3c91e0');
  });
});
