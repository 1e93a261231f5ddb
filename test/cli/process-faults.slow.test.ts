/**
 * Real faults on the CLI run from source in a child process: a file size limit (`ulimit -f`, so the
 * kernel answers EFBIG and sends SIGXFSZ), a read-only folder (EACCES) and SIGKILL in the middle of
 * a write. Each must end with a coded one-line error or, when killed, no partial output under the
 * final name and the previous file intact; the next run cleans up after the killed one.
 */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MEMBERS = join(ROOT, 'data', 'sample', 'members.csv');
/** One process (no tsx launcher in between), so a signal reaches the process that writes. */
const CLI = [process.execPath, '--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')];
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-process-faults-'));
chmodSync(dir, 0o755); // the read-only test may run the CLI as another user
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, 'linkage.key');
writeFileSync(key, `${'5a3c91e07bd24f68'.repeat(3)}0f1e2d3c4b5a6978\n`, { mode: 0o600 });
const PREVIOUS = 'the previous encoded file\n';

function encodeArgs(out: string): string[] {
  return [
    'encode',
    '--in',
    MEMBERS,
    '--key',
    key,
    '--out',
    out,
    '--threads',
    '1',
    '--today',
    '2026-01-01',
    '-q',
  ];
}

function expectOneCodedLine(r: SpawnSyncReturns<string>, code: string, reason: RegExp): void {
  expect(r.status).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.includes('warning:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^bloomlink: error ${code}: `));
  expect(lines[0]).toMatch(reason);
}

/**
 * Starts `encode` of the sample members into `out` (after a previous file, unless `fresh`: then into
 * folders the run creates) and resolves once its temporary copy holds bytes.
 */
async function startWriting(d: string, out: string, fresh = false) {
  if (!fresh) {
    mkdirSync(d);
    writeFileSync(out, PREVIOUS);
  }
  const [node, ...args] = CLI;
  const child = spawn(node as string, [...args, ...encodeArgs(out)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  const partial = join(dirname(out), `.mcp.arrow.partial-${child.pid}`);
  const deadline = Date.now() + 90_000;
  while (!(existsSync(partial) && statSync(partial).size > 0)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the run ended before it wrote');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { child, exited };
}

describe('the CLI under real faults', () => {
  it('a file size limit (ulimit -f): FILE_UNWRITABLE (EFBIG), exit 1, the previous file intact', () => {
    const d = join(dir, 'efbig');
    mkdirSync(d);
    writeFileSync(join(d, 'mcp.arrow'), PREVIOUS);
    const [node, ...args] = CLI;
    const r = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -f 200; exec "$@"',
        'bash',
        node as string,
        ...args,
        ...encodeArgs(join(d, 'mcp.arrow')),
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    expectOneCodedLine(r, 'FILE_UNWRITABLE', /mcp\.arrow: cannot write the file \(EFBIG/);
    expect(readFileSync(join(d, 'mcp.arrow'), 'utf8')).toBe(PREVIOUS);
    expect(readdirSync(d)).toEqual(['mcp.arrow']);
  }, 120_000);

  it('synth under a file size limit: FILE_UNWRITABLE naming the folder, exit 1', () => {
    const [node, ...args] = CLI;
    const r = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -f 50; exec "$@"',
        'bash',
        node as string,
        ...args,
        'synth',
        '--out',
        join(dir, 'synth'),
        '-q',
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    expectOneCodedLine(r, 'FILE_UNWRITABLE', /synth: cannot write the file \(EFBIG/);
  }, 60_000);

  it('a read-only folder: FILE_UNWRITABLE (EACCES), exit 1, nothing created', () => {
    const d = join(dir, 'read-only');
    mkdirSync(d);
    chmodSync(d, 0o555);
    const [node, ...args] = CLI;
    // root writes anywhere: the check runs as nobody then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    // That user must reach the folder and needs a temporary folder of its own (tsx keeps a compile
    // cache there): the test run's TMPDIR (test/helpers/tmp-guard.ts) is private (0700) to this user.
    const userTmp = join(dir, 'tmp-other-user');
    mkdirSync(userTmp);
    chmodSync(userTmp, 0o777);
    if (process.getuid?.() === 0) chmodSync(tmpdir(), 0o711);
    const r = spawnSync(node as string, [...args, 'keygen', '--out', join(d, 'linkage.key')], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, TMPDIR: userTmp },
      ...asUser,
    });
    expectOneCodedLine(r, 'FILE_UNWRITABLE', /\((EACCES|EPERM|EROFS)/);
    expect(readdirSync(d)).toEqual([]);
  }, 60_000);

  it('SIGKILL during a write: the previous file intact, no partial file under the final name; the next run cleans up', async () => {
    const d = join(dir, 'killed');
    const out = join(d, 'mcp.arrow');
    const { child, exited } = await startWriting(d, out);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    expect(readdirSync(d)).toContain('.bloomlink.lock');
    expect(readdirSync(d).filter((n) => !n.startsWith('.'))).toEqual(['mcp.arrow']);
    // The next run takes over the dead run's lock, removes its temporary files and succeeds.
    const [node, ...args] = CLI;
    const r = spawnSync(node as string, [...args, ...encodeArgs(out)], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['mcp.arrow', 'mcp.arrow.manifest.json', 'mcp.arrow.rejects.csv']);
    expect(statSync(out).size).toBeGreaterThan(1 << 20);
  }, 240_000);

  it('SIGTERM during a write: exit 143, the previous file intact, no temporary file and no lock left', async () => {
    const d = join(dir, 'terminated');
    const out = join(d, 'mcp.arrow');
    const { child, exited } = await startWriting(d, out);
    child.kill('SIGTERM');
    expect(await exited).toEqual({
      code: 143,
      signal: null,
      stderr:
        'bloomlink: interrupted by SIGTERM; the outputs were not written (their temporary files were removed)\n',
    });
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    expect(readdirSync(d)).toEqual(['mcp.arrow']);
  }, 240_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s into folders the run created: exit %i, one line, the folders removed',
    async (signal, code) => {
      const d = join(dir, `fresh-${signal}`);
      mkdirSync(d);
      const { child, exited } = await startWriting(d, join(d, 'new', 'deeper', 'mcp.arrow'), true);
      child.kill(signal);
      const end = await exited;
      expect(end.code).toBe(code);
      expect(readdirSync(d)).toEqual([]);
      expect(end.stderr).toMatch(
        new RegExp(`^bloomlink: interrupted by ${signal}; the outputs were not written[^\n]*\n$`),
      );
    },
    240_000,
  );
});
