/**
 * Inputs given as pipes (named FIFOs, `<(…)`): every input option of `match`, `validate`, `encode`,
 * `reidentify`, `return-file`, `hmis` (and the history beside its return file) and `review-sheet`
 * reads a pipe once, the run ends (no second open waiting for a writer that is
 * gone), the outputs are those of the same run on regular files, and the manifest records the
 * digest of the bytes read. A member list (read twice: two passes) through a pipe is kept in memory
 * for its second pass.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OptionValues } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { hmis } from '../../src/cli/commands/hmis.js';
import { match } from '../../src/cli/commands/match.js';
import { reidentify } from '../../src/cli/commands/reidentify.js';
import { returnFile } from '../../src/cli/commands/return-file.js';
import { reviewSheet } from '../../src/cli/commands/review-sheet.js';
import { validate } from '../../src/cli/commands/validate.js';
import { manifestSchema } from '../../src/cli/manifest.js';
import { generateKeyHex } from '../../src/encode/key.js';

const sample = fileURLToPath(new URL('../../data/sample/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-pipes-'));
const f = (name: string) => join(dir, name);
const quiet = { quiet: true, threads: '1' };
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const writers: ChildProcess[] = [];
const fifos: string[] = [];
let made = 0;
/** A new FIFO that a child process fills with `source`'s bytes once the command opens it. */
function pipeOf(source: string): string {
  return pipeAt(f(`p${made++}.fifo`), source);
}
/** {@link pipeOf} at a chosen path (a command that looks for a file beside its input finds it). */
function pipeAt(fifo: string, source: string): string {
  execFileSync('mkfifo', [fifo]);
  fifos.push(fifo);
  writers.push(spawn('sh', ['-c', 'cat "$1" > "$0"', fifo, source], { stdio: 'ignore' }));
  return fifo;
}
afterEach(() => {
  // A run that hung leaves a reader waiting on a FIFO: give it an end of file, and stop writers.
  for (const fifo of fifos.splice(0))
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {}
  for (const w of writers.splice(0)) w.kill();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function silent<T>(body: () => Promise<T>): Promise<T> {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await body();
  } finally {
    process.stderr.write = write;
  }
}
const run = (cmd: { run(v: OptionValues): Promise<number> }, values: OptionValues) =>
  silent(() => cmd.run({ ...quiet, ...values }));
const manifestInputs = (out: string) =>
  manifestSchema().parse(JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))).inputs;

beforeAll(async () => {
  writeFileSync(f('linkage.key'), `${generateKeyHex()}\n`, { mode: 0o600 });
  const enc = (input: string, out: string, extra: OptionValues = {}) =>
    run(encode, { in: input, key: f('linkage.key'), out, today: '2026-01-01', ...extra });
  await enc(join(sample, 'clients.csv'), f('coc.arrow'), { pseudonyms: f('coc-map.csv') });
  await enc(join(sample, 'clients.csv'), f('coc-ids.arrow'));
  await enc(join(sample, 'members.csv'), f('mcp.arrow'));
  await run(match, {
    coc: f('coc.arrow'),
    mcp: f('mcp.arrow'),
    out: f('links.csv'),
    review: f('review.csv'),
    model: f('model.json'),
  });
  const review = readFileSync(f('review.csv'), 'utf8').trimEnd().split('\r\n');
  writeFileSync(
    f('decisions.csv'),
    `${review.map((l, i) => `${l},${i === 0 ? 'Decision' : i === 1 ? 'accept' : ''}`).join('\r\n')}\r\n`,
  );
}, 120_000);

describe('inputs given as pipes', () => {
  it('match --decisions and --previous through FIFOs: ends, same outputs, digests of the bytes read', async () => {
    const cycle = { coc: f('coc.arrow'), mcp: f('mcp.arrow'), model: f('model.json') };
    await run(match, {
      ...cycle,
      out: f('file-links.csv'),
      decisions: f('decisions.csv'),
      previous: f('links.csv'),
      changes: f('file-changes.csv'),
    });
    const code = await run(match, {
      ...cycle,
      out: f('pipe-links.csv'),
      decisions: pipeOf(f('decisions.csv')),
      previous: pipeOf(f('links.csv')),
      changes: f('pipe-changes.csv'),
    });
    expect(code).toBe(0);
    expect(sha(f('pipe-links.csv'))).toBe(sha(f('file-links.csv')));
    expect(sha(f('pipe-changes.csv'))).toBe(sha(f('file-changes.csv')));
    const byOption = new Map(manifestInputs(f('pipe-links.csv')).map((i) => [i.option, i]));
    expect(byOption.get('--decisions')?.sha256).toBe(sha(f('decisions.csv')));
    expect(byOption.get('--previous')?.sha256).toBe(sha(f('links.csv')));
    expect(byOption.get('--previous')?.bytes).toBe(readFileSync(f('links.csv')).length);
  }, 30_000);

  it('match --coc, --mcp, --model and --truth through FIFOs', async () => {
    const code = await run(match, {
      coc: pipeOf(f('coc.arrow')),
      mcp: pipeOf(f('mcp.arrow')),
      model: pipeOf(f('model.json')),
      truth: pipeOf(join(sample, 'truth.csv')),
      out: f('all-pipes-links.csv'),
    });
    expect(code).toBe(0);
    await run(match, {
      coc: f('coc.arrow'),
      mcp: f('mcp.arrow'),
      model: f('model.json'),
      truth: join(sample, 'truth.csv'),
      out: f('all-files-links.csv'),
    });
    expect(sha(f('all-pipes-links.csv'))).toBe(sha(f('all-files-links.csv')));
    const digests = manifestInputs(f('all-pipes-links.csv')).map((i) => [i.option, i.sha256]);
    expect(digests).toEqual([
      ['--coc', sha(f('coc.arrow'))],
      ['--mcp', sha(f('mcp.arrow'))],
      ['--model', sha(f('model.json'))],
      ['--truth', sha(join(sample, 'truth.csv'))],
    ]);
  }, 30_000);

  it('validate, encode (a CoC list) and reidentify read a FIFO once', async () => {
    await run(validate, { in: pipeOf(join(sample, 'clients.csv')), report: f('v.csv') });
    expect(manifestInputs(f('v.csv'))[0]?.sha256).toBe(sha(join(sample, 'clients.csv')));
    await run(encode, {
      in: pipeOf(join(sample, 'clients.csv')),
      key: f('linkage.key'),
      out: f('coc-pipe.arrow'),
      today: '2026-01-01',
    });
    expect(sha(f('coc-pipe.arrow'))).toBe(sha(f('coc-ids.arrow')));
    await run(reidentify, { in: pipeOf(f('links.csv')), map: [pipeOf(f('coc-map.csv'))], out: f('r.csv') });
    expect(manifestInputs(f('r.csv')).map((i) => i.sha256)).toEqual([
      sha(f('links.csv')),
      sha(f('coc-map.csv')),
    ]);
  }, 30_000);

  it('a member list through a FIFO (two passes) is read once and kept for the second pass', async () => {
    const code = await run(encode, {
      in: pipeOf(join(sample, 'members.csv')),
      key: f('linkage.key'),
      out: f('mcp-pipe.arrow'),
      today: '2026-01-01',
    });
    expect(code).toBe(0);
    expect(sha(f('mcp-pipe.arrow'))).toBe(sha(f('mcp.arrow')));
    expect(manifestInputs(f('mcp-pipe.arrow'))[0]?.sha256).toBe(sha(join(sample, 'members.csv')));
  }, 30_000);

  it('return-file, hmis (the return file and its history) and review-sheet read each FIFO once', async () => {
    // Links on the CoC's own PersonalIDs (not pseudonyms): the ones its HMIS Client.csv holds.
    await run(match, {
      coc: f('coc-ids.arrow'),
      mcp: f('mcp.arrow'),
      model: f('model.json'),
      out: f('ids.csv'),
      review: f('ids-review.csv'),
    });
    const ret = {
      links: f('ids.csv'),
      members: join(sample, 'members.csv'),
      programs: join(sample, 'programs.csv'),
    };
    for (const d of ['rf', 'rp', 'hf', 'hp']) mkdirSync(f(d));
    const asOf = { 'as-of': '2026-01-01' };
    await run(returnFile, { ...ret, out: f('rf/mcp-return.csv'), ...asOf });
    const piped = { links: pipeOf(ret.links), members: pipeOf(ret.members), programs: pipeOf(ret.programs) };
    expect(await run(returnFile, { ...piped, out: f('rp/mcp-return.csv'), ...asOf })).toBe(0);
    for (const name of ['mcp-return.csv', 'mcp-return-history.csv'])
      expect(sha(f(`rp/${name}`))).toBe(sha(f(`rf/${name}`)));
    expect(manifestInputs(f('rp/mcp-return.csv')).map((i) => i.sha256)).toEqual(Object.values(ret).map(sha));

    // hmis finds <stem>-history.csv beside its --return: both are FIFOs here.
    const clients = join(sample, 'hmis-fy2026', 'Client.csv');
    const hmisArgs = { 'coc-code': 'CA-500', 'project-id': 'MCP-GSHP', 'export-date': '2026-01-01' };
    await run(hmis, { ...hmisArgs, return: f('rf/mcp-return.csv'), clients, out: f('hf/hmis') });
    pipeAt(f('hp/ret-history.csv'), f('rf/mcp-return-history.csv'));
    const code = await run(hmis, {
      ...hmisArgs,
      return: pipeAt(f('hp/ret.csv'), f('rf/mcp-return.csv')),
      clients: pipeOf(clients),
      out: f('hp/hmis'),
    });
    expect(code).toBe(0);
    const exported = readdirSync(f('hf/hmis')).sort();
    expect(readdirSync(f('hp/hmis')).sort()).toEqual(exported);
    expect(exported.length).toBeGreaterThan(3);
    for (const name of exported) expect(sha(f(`hp/hmis/${name}`))).toBe(sha(f(`hf/hmis/${name}`)));
    expect(manifestInputs(f('hp/hmis')).map((i) => i.sha256)).toEqual(
      [f('rf/mcp-return.csv'), clients, f('rf/mcp-return-history.csv')].map(sha),
    );

    const sheet = { side: 'coc', today: '2026-01-01' };
    await run(reviewSheet, {
      ...sheet,
      links: f('ids-review.csv'),
      in: join(sample, 'clients.csv'),
      out: f('hf/half.csv'),
    });
    await run(reviewSheet, {
      ...sheet,
      links: pipeOf(f('ids-review.csv')),
      in: pipeOf(join(sample, 'clients.csv')),
      out: f('hp/half.csv'),
    });
    expect(readFileSync(f('hp/half.csv'), 'utf8').split('\r\n').length).toBeGreaterThan(2);
    expect(sha(f('hp/half.csv'))).toBe(sha(f('hf/half.csv')));
    expect(manifestInputs(f('hp/half.csv')).map((i) => i.sha256)).toEqual(
      [f('ids-review.csv'), join(sample, 'clients.csv')].map(sha),
    );
  }, 30_000);
});
