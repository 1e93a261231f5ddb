/**
 * The CLI's output sets: all-or-nothing commits with a file layer that fails after N bytes, no
 * temporary file left behind, file modes, refused outputs that resolve to an input (symbolic and
 * hard links included), the output-folder lock with stale-lock detection, and the open sets seen from
 * a second copy of the module (the built CLI's dispatcher and command bundle).
 */
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkOutputPaths,
  type FileLayer,
  LOCK_NAME,
  nodeFileLayer,
  OutputSet,
  withOutputs,
} from '../../src/cli/files.js';
import { defined } from '../../src/util/defined.js';

const root = mkdtempSync(join(tmpdir(), 'bloomlink-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `t${n++}`);
  mkdirSync(d);
  return d;
};

/** The real file layer, except that the whole set can write only `budget` bytes, then `code`. */
function failingAfter(budget: number, code = 'ENOSPC'): FileLayer {
  let left = budget;
  return {
    async create(path, mode) {
      const h = await nodeFileLayer.create(path, mode);
      return {
        ...h,
        async write(bytes) {
          if (left <= 0) throw Object.assign(new Error(`${code}: injected`), { code });
          const part = bytes.subarray(0, Math.min(left, bytes.length));
          const written = await h.write(part);
          left -= written;
          return written;
        },
        // A gathered write: as much of the chunks as the budget allows (a short write), then `code`.
        async writev(chunks) {
          if (left <= 0) throw Object.assign(new Error(`${code}: injected`), { code });
          const part: Uint8Array[] = [];
          let n = 0;
          for (const c of chunks) {
            if (n >= left) break;
            const take = c.subarray(0, Math.min(c.length, left - n));
            part.push(take);
            n += take.length;
          }
          const written = await defined(h.writev, 'writev of the node layer')(part);
          left -= written;
          return written;
        },
      };
    },
  };
}

const BIG = 'x'.repeat(3 << 20); // larger than the set's buffer, so writes happen before commit

describe('OutputSet', () => {
  it('an aborted set removes the output folders it created, deepest first, and keeps one written into', async () => {
    const d = fresh();
    const deep = join(d, 'new', 'deeper', 'links.csv');
    const set = await OutputSet.begin({ files: [{ option: '--out', path: deep }] });
    expect(statSync(join(d, 'new', 'deeper')).isDirectory()).toBe(true);
    await set.abort();
    expect(readdirSync(d)).toEqual([]);
    // A folder that existed stays; a created folder that something else wrote into stays too.
    mkdirSync(join(d, 'kept'));
    const other = await OutputSet.begin({
      files: [
        { option: '--out', path: join(d, 'kept', 'a.csv') },
        { option: '--review', path: join(d, 'made', 'b.csv') },
      ],
    });
    writeFileSync(join(d, 'made', 'someone-elses.txt'), 'x');
    await other.abort();
    expect(readdirSync(d).sort()).toEqual(['kept', 'made']);
    expect(readdirSync(join(d, 'made'))).toEqual(['someone-elses.txt']);
    // A committed set keeps its folders.
    await withOutputs({ files: [{ option: '--out', path: join(d, 'done', 'c.csv') }] }, (s) =>
      s.writeLines(join(d, 'done', 'c.csv'), ['c\r\n'], 'private'),
    );
    expect(readdirSync(join(d, 'done'))).toContain('c.csv');
  });

  it.each([0, 1, 4096, 1 << 20, (3 << 20) + 10])(
    'a write failing after %i bytes: FILE_UNWRITABLE naming the file, previous files intact, nothing left behind',
    async (budget) => {
      const d = fresh();
      const a = join(d, 'a.csv');
      const b = join(d, 'b.csv');
      writeFileSync(a, 'previous a');
      writeFileSync(b, 'previous b');
      const files = [
        { option: '--out', path: a },
        { option: '--report', path: b },
      ];
      const run = withOutputs(
        { files },
        async (set) => {
          await set.writeText(a, BIG, 'private');
          await set.writeText(b, 'small second file', 'private', '--report');
        },
        failingAfter(budget),
      );
      await expect(run).rejects.toMatchObject({ code: 'FILE_UNWRITABLE' });
      await expect(run).rejects.toThrow(
        /(a|b)\.csv: cannot write the file \(ENOSPC: no space left on the device\)$/,
      );
      expect(readFileSync(a, 'utf8')).toBe('previous a');
      expect(readFileSync(b, 'utf8')).toBe('previous b');
      expect(readdirSync(d).sort()).toEqual(['a.csv', 'b.csv']);
    },
  );

  it('many small chunks go out in gathered writes, again after short ones, or fail with the file unwritten', async () => {
    const d = fresh();
    const a = join(d, 'out.arrow');
    // 3,000 chunks of 1,000 bytes (≈ 2.9 MiB: flushed thrice before the commit), each its own byte.
    const chunks = Array.from({ length: 3000 }, (_, i) => new Uint8Array(1000).fill(i & 255));
    let calls = 0;
    const short: FileLayer = {
      async create(path, mode) {
        const h = await nodeFileLayer.create(path, mode);
        return {
          ...h,
          // At most 777 bytes a call: every gathered write is short, and ends inside a chunk.
          async writev(parts) {
            calls++;
            const part: Uint8Array[] = [];
            let n = 0;
            for (const c of parts) {
              if (n >= 777) break;
              const take = c.subarray(0, Math.min(c.length, 777 - n));
              part.push(take);
              n += take.length;
            }
            return defined(h.writev, 'writev')(part);
          },
        };
      },
    };
    await withOutputs(
      { files: [{ option: '--out', path: a }] },
      async (set) => {
        const out = await set.open(a, 'shared');
        for (const c of chunks) await out.write(c, true);
      },
      short,
    );
    expect(readFileSync(a)).toEqual(Buffer.concat(chunks));
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(3_000_000 / 777));
    const b = join(d, 'b.arrow');
    writeFileSync(b, 'previous');
    const failed = withOutputs(
      { files: [{ option: '--out', path: b }] },
      async (set) => {
        const out = await set.open(b, 'shared');
        for (const c of chunks) await out.write(c, true);
      },
      failingAfter(1_500_000),
    );
    await expect(failed).rejects.toMatchObject({ code: 'FILE_UNWRITABLE' });
    expect(readFileSync(b, 'utf8')).toBe('previous');
  });

  it('a failure after the writes (the command fails) leaves the previous files and no temporary file', async () => {
    const d = fresh();
    const a = join(d, 'links.csv');
    writeFileSync(a, 'previous');
    const run = withOutputs({ files: [{ option: '--out', path: a }] }, async (set) => {
      await set.writeText(a, BIG, 'private');
      throw new Error('the command failed');
    });
    await expect(run).rejects.toThrow('the command failed');
    expect(readFileSync(a, 'utf8')).toBe('previous');
    expect(readdirSync(d)).toEqual(['links.csv']);
  });

  it('another copy of this module (the built CLI holds two) sees the open sets and aborts them', async () => {
    // A second instance of the module, as the dispatcher's bundle holds one and the command's another.
    const copy = (await import(
      /* @vite-ignore */ `../../src/cli/files.js?${'second-copy'}`
    )) as typeof import('../../src/cli/files.js');
    expect(copy.OutputSet).not.toBe(OutputSet);
    const d = fresh();
    const a = join(d, 'new', 'links.csv');
    const set = await OutputSet.begin({ files: [{ option: '--out', path: a }] });
    await (await set.open(a, 'private')).write('partial');
    expect(readdirSync(join(d, 'new')).some((f) => f.startsWith('.links.csv.partial-'))).toBe(true);
    expect(copy.renamingSync()).toBe(false);
    expect(copy.removeUncommittedSync()).toBe(1);
    // The temporary file, the lock and the folder the set made are gone, seen from either copy.
    expect(readdirSync(d)).toEqual([]);
    expect(copy.removeUncommittedSync()).toBe(0);
    await set.abort();
  });

  it('commits every file together, private files 0600 and shared ones by the umask', async () => {
    const d = fresh();
    const a = join(d, 'a.csv');
    const b = join(d, 'sub', 'b.arrow');
    await withOutputs(
      {
        files: [
          { option: '--out', path: a },
          { option: '--x', path: b },
        ],
      },
      async (set) => {
        await set.writeText(a, BIG, 'private');
        await set.writeText(b, new Uint8Array([1, 2, 3]), 'shared');
      },
    );
    expect(readFileSync(a, 'utf8')).toBe(BIG);
    expect([...readFileSync(b)]).toEqual([1, 2, 3]);
    expect(statSync(a).mode & 0o777).toBe(0o600);
    const umask = process.umask();
    expect(statSync(b).mode & 0o777).toBe(0o666 & ~umask);
    expect(readdirSync(d).sort()).toEqual(['a.csv', 'sub']);
    expect(readdirSync(join(d, 'sub'))).toEqual(['b.arrow']);
  });

  it('refuses an output that is an input, through a symbolic link, a hard link, or another output', () => {
    const d = fresh();
    const input = join(d, 'members.csv');
    writeFileSync(input, 'MemberID\n');
    symlinkSync(input, join(d, 'alias.csv'));
    linkSync(input, join(d, 'hard.csv'));
    mkdirSync(join(d, 'real'));
    symlinkSync(join(d, 'real'), join(d, 'linked'));
    const inputs = [{ option: '--members', path: input }];
    const refuse = (outputs: { option: string; path: string }[], ins = inputs) =>
      expect(() => checkOutputPaths(outputs, ins)).toThrow(
        expect.objectContaining({ code: 'OUTPUT_IS_INPUT' }),
      );
    refuse([{ option: '--out', path: input }]);
    refuse([{ option: '--out', path: join(d, 'alias.csv') }]);
    refuse([{ option: '--out', path: join(d, 'hard.csv') }]);
    refuse([{ option: '--out', path: join(d, 'real', '..', 'members.csv') }]);
    refuse([
      { option: '--out', path: join(d, 'x.csv') },
      { option: '--report', path: join(d, 'linked', '..', 'x.csv') },
    ]);
    // A folder reached through a symbolic link: the path does not exist yet, its folder is resolved.
    refuse(
      [{ option: '--out', path: join(d, 'linked', 'new.csv') }],
      [{ option: '--key', path: join(d, 'real', 'new.csv') }],
    );
    expect(() => checkOutputPaths([{ option: '--out', path: join(d, 'other.csv') }], inputs)).not.toThrow();
  });

  it('refuses before creating anything', async () => {
    const d = fresh();
    const input = join(d, 'clients.csv');
    writeFileSync(input, 'PersonalID\n');
    const begin = OutputSet.begin({
      files: [
        { option: '--report', path: join(d, 'r.csv') },
        { option: '--out', path: input },
      ],
      inputs: [{ option: '--in', path: input }],
    });
    await expect(begin).rejects.toThrow(
      /--out clients\.csv is the same path as --in: it would destroy an input/,
    );
    expect(readdirSync(d)).toEqual(['clients.csv']);
    expect(readFileSync(input, 'utf8')).toBe('PersonalID\n');
  });

  it('locks the output folder: a second set fails with OUTPUT_LOCKED until the first ends', async () => {
    const d = fresh();
    const plan = { files: [{ option: '--out', path: join(d, 'links.csv') }] };
    const first = await OutputSet.begin(plan);
    expect(readFileSync(join(d, LOCK_NAME), 'utf8')).toBe(`${process.pid}\n`);
    await expect(OutputSet.begin(plan)).rejects.toMatchObject({ code: 'OUTPUT_LOCKED' });
    await first.abort();
    expect(readdirSync(d)).toEqual([]);
    const second = await OutputSet.begin(plan);
    await second.writeText(join(d, 'links.csv'), 'x', 'private');
    await second.commit();
    expect(readdirSync(d)).toEqual(['links.csv']);
  });

  it("replaces a stale lock (its process is gone) and removes a dead run's temporary files", async () => {
    const d = fresh();
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max: no such process
    writeFileSync(join(d, LOCK_NAME), `${dead}\n`);
    writeFileSync(join(d, `.links.csv.partial-${dead}`), 'half a file of names');
    writeFileSync(join(d, 'keep.partial-1'), 'not ours');
    await withOutputs({ files: [{ option: '--out', path: join(d, 'links.csv') }] }, (set) =>
      set.writeText(join(d, 'links.csv'), 'new', 'private'),
    );
    expect(readdirSync(d).sort()).toEqual(['keep.partial-1', 'links.csv']);
  });

  it('a lock file still being written (no PID yet) counts as held', async () => {
    const d = fresh();
    writeFileSync(join(d, LOCK_NAME), '');
    await expect(
      OutputSet.begin({ files: [{ option: '--out', path: join(d, 'links.csv') }] }),
    ).rejects.toMatchObject({ code: 'OUTPUT_LOCKED' });
  });
});
