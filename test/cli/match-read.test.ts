/**
 * `bloomlink match` reads a plan file of one record batch whole, checksumming it piece by piece as
 * it is read (`CrcBlocks`), and checks its IDs on their bytes: a damaged file is still refused with
 * FILE_CORRUPT, a file repeating an ID with FILE_DUPLICATE_ID, before any output is written; an
 * intact one gives the same links as the same list in several batches (read the other way).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../src/cli/commands/encode.js';
import { match } from '../../src/cli/commands/match.js';
import { generateKeyHex } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';
import { fixedColumnRanges, hashColumnRanges } from '../../src/encoded/column-ranges.js';
import { readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { sliceBatch } from '../../src/encoded/slice.js';
import { firstBatchEnd } from '../../src/util/arrow-framing.js';
import { defined } from '../../src/util/defined.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data', 'sample');
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-match-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = join(dir, 'linkage.key');
const coc = join(dir, 'coc.arrow');
const mcp = join(dir, 'mcp.arrow');
const quiet = { quiet: true, today: '2026-01-01', threads: '1' };

async function write(path: string, batches: EncodedBatch[]): Promise<Uint8Array> {
  const { meta } = await readEncoded(readFileSync(mcp), 'mcp');
  const chunks: Uint8Array[] = [];
  await writeEncoded('arrow', meta, batches, (c) => {
    chunks.push(c.slice());
  });
  const bytes = Buffer.concat(chunks);
  writeFileSync(path, bytes);
  return bytes;
}

const matchTo = (plan: string, out: string) =>
  match.run({ coc, mcp: plan, out: join(dir, out), review: join(dir, `review-${out}`), ...quiet });

describe('match: reading a one-batch plan file', () => {
  beforeAll(async () => {
    writeFileSync(key, `${generateKeyHex()}\n`, { mode: 0o600 });
    for (const [list, out] of [
      ['clients.csv', coc],
      ['members.csv', mcp],
    ] as const)
      expect(await encode.run({ in: join(sample, list), key, out, ...quiet })).toBe(0);
  }, 120_000);

  it('gives the same links as the list in several batches, and refuses a flipped bit before writing', async () => {
    const bytes = readFileSync(mcp);
    // The encoder's file of 6,000 members is one batch (read whole); the same list in batches
    // of 1,000 is read batch by batch.
    expect(bytes.length - (firstBatchEnd(bytes.subarray(0, 1 << 20)) ?? 0)).toBeLessThan(1 << 16);
    const { batch } = await readEncoded(bytes, 'mcp');
    const batched = join(dir, 'batched.arrow');
    const parts: EncodedBatch[] = [];
    for (let from = 0; from < batch.length; from += 1000)
      parts.push(sliceBatch(batch, from, Math.min(batch.length, from + 1000)));
    expect(parts.length).toBe(6);
    await write(batched, parts);
    expect(await matchTo(mcp, 'one.csv')).toBe(0);
    expect(await matchTo(batched, 'many.csv')).toBe(0);
    const one = readFileSync(join(dir, 'one.csv'), 'utf8');
    expect(one.split('\n').length).toBeGreaterThan(100);
    expect(one).toBe(readFileSync(join(dir, 'many.csv'), 'utf8'));
    expect(readFileSync(join(dir, 'review-one.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'review-many.csv'), 'utf8'),
    );
    // The filter and hash-set columns lie where fixedColumnRanges says (read into buffers of their
    // own); on two threads they are released once the row store holds them: the same files.
    const ranges = defined(fixedColumnRanges(bytes.subarray(0, 1 << 20)), 'column ranges');
    expect(ranges.map((r) => r.name).sort()).toEqual(
      [...Object.keys(batch.blooms), ...Object.keys(batch.sets)].sort(),
    );
    for (const r of ranges) {
      const c = batch.blooms[r.name] ?? defined(batch.sets[r.name], 'a set column');
      const col = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      expect(col.equals(bytes.subarray(r.from, r.from + col.length))).toBe(true);
    }
    // The keyed hashes lie where hashColumnRanges says: on two threads they go into the rows as
    // they are read, those training counts into arrays of their own, released once it has counted.
    const hashRanges = defined(hashColumnRanges(bytes.subarray(0, 1 << 20)), 'hash ranges');
    expect(hashRanges.map((r) => r.name).sort()).toEqual(Object.keys(batch.hashes).sort());
    for (const r of hashRanges) {
      const c = defined(batch.hashes[r.name], 'a hash column');
      const col = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      expect(col.equals(bytes.subarray(r.from, r.to))).toBe(true);
    }
    expect(
      await match.run({
        coc,
        mcp,
        out: join(dir, 'two.csv'),
        review: join(dir, 'review-two.csv'),
        ...quiet,
        threads: '2',
      }),
    ).toBe(0);
    expect(readFileSync(join(dir, 'two.csv'), 'utf8')).toBe(one);
    expect(await match.run({ coc, mcp, out: join(dir, 'three.csv'), ...quiet, threads: '3' })).toBe(0);
    expect(readFileSync(join(dir, 'three.csv'), 'utf8')).toBe(one);
    expect(readFileSync(join(dir, 'review-two.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'review-one.csv'), 'utf8'),
    );
    const setAt =
      defined(
        ranges.find((r) => r.name === 'firstVariants'),
        'firstVariants',
      ).from +
      2000 * 24 +
      1;

    // One bit of a filter in the middle of the file: checksummed from the pieces, still refused.
    const per = batch.blooms.lastBloom!.length / batch.length;
    const filter = Buffer.from(batch.blooms.lastBloom!.subarray(3000 * per, 3001 * per));
    const at = bytes.indexOf(filter);
    expect(at).toBeGreaterThan(0);
    for (const [offset, name] of [
      [at + 5, 'bad-filter.arrow'],
      [setAt, 'bad-set.arrow'],
      [bytes.indexOf(Buffer.from(batch.ids[4321]!)) + 1, 'bad-id.arrow'],
      // A keyed hash training counts (kept until it has), and one only the rows hold.
      [
        defined(
          hashRanges.find((r) => r.name === 'first'),
          'first',
        ).from +
          4 * 2500 +
          2,
        'bad-first.arrow',
      ],
      [
        defined(
          hashRanges.find((r) => r.name === 'dobYear'),
          'dobYear',
        ).from +
          4 * 5999,
        'bad-year.arrow',
      ],
    ] as const) {
      const bad = Buffer.from(bytes);
      bad[offset] = (bad[offset] as number) ^ 0x04;
      writeFileSync(join(dir, name), bad);
      await expect(matchTo(join(dir, name), `${name}.csv`)).rejects.toMatchObject({ code: 'FILE_CORRUPT' });
      expect(existsSync(join(dir, `${name}.csv`))).toBe(false);
      // On two threads the filter and hash-set columns go straight into the row store as their
      // pieces land (never held whole): checksummed on the way, refused the same.
      await expect(
        match.run({ coc, mcp: join(dir, name), out: join(dir, `${name}-2.csv`), ...quiet, threads: '2' }),
      ).rejects.toMatchObject({ code: 'FILE_CORRUPT' });
      expect(existsSync(join(dir, `${name}-2.csv`))).toBe(false);
    }
  }, 420_000);

  it('gives the same links and review on two threads with a model file (its tables counted once)', async () => {
    const model = join(dir, 'model.json');
    const run = (out: string, threads: string) =>
      match.run({
        coc,
        mcp,
        out: join(dir, out),
        review: join(dir, `review-${out}`),
        model,
        ...quiet,
        threads,
      });
    // Trained and saved on one thread, then used as it is on one thread and on two.
    expect(await run('m-train.csv', '1')).toBe(0);
    expect(existsSync(model)).toBe(true);
    expect(await run('m-one.csv', '1')).toBe(0);
    expect(await run('m-two.csv', '2')).toBe(0);
    const one = readFileSync(join(dir, 'm-one.csv'), 'utf8');
    expect(one.split('\n').length).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'm-two.csv'), 'utf8')).toBe(one);
    expect(readFileSync(join(dir, 'review-m-two.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'review-m-one.csv'), 'utf8'),
    );
  }, 240_000);

  it('refuses a buffer length cut short in the batch header, and reads a longer one the same', async () => {
    // The header (the batch's metadata) is outside its CRC-32C: a column's values are taken from
    // the buffer's start for the batch's records, which the CRC covers. A length too short for
    // them is FILE_CORRUPT before any output; a longer one reads the same records (same links).
    const bytes = readFileSync(mcp);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const schemaEnd = 8 + view.getUint32(4, true);
    const metaFrom = schemaEnd + 8;
    const header = bytes.subarray(metaFrom, metaFrom + view.getUint32(schemaEnd + 4, true));
    const body = metaFrom + header.length;
    const lengthAt = (name: string) => {
      const r = defined(
        [...(fixedColumnRanges(bytes.subarray(0, 1 << 20)) ?? [])].find((x) => x.name === name),
        name,
      );
      const pair = Buffer.alloc(16);
      pair.writeBigInt64LE(BigInt(r.from - body), 0);
      pair.writeBigInt64LE(BigInt(r.to - r.from), 8);
      const i = header.indexOf(pair);
      expect(i).toBeGreaterThan(0);
      return { at: metaFrom + i + 8, length: r.to - r.from };
    };
    const { at, length } = lengthAt('lastBloom');
    expect(await matchTo(mcp, 'len-intact.csv')).toBe(0);
    const intact = readFileSync(join(dir, 'len-intact.csv'), 'utf8');
    // A copy of the file with bit `bit` (a power of two) of the little-endian length flipped.
    const flipped = (bit: number): Buffer => {
      const copy = Buffer.from(bytes);
      const byte = Math.log2(bit) >> 3;
      copy[at + byte] = (copy[at + byte] as number) ^ (bit >> (8 * byte));
      return copy;
    };
    // Shorter: the length's lowest set bit flipped.
    writeFileSync(join(dir, 'short.arrow'), flipped(length & -length));
    for (const threads of ['1', '2']) {
      const out = join(dir, `short-${threads}.csv`);
      await expect(
        match.run({ coc, mcp: join(dir, 'short.arrow'), out, ...quiet, threads }),
      ).rejects.toMatchObject({ code: 'FILE_CORRUPT' });
      expect(existsSync(out)).toBe(false);
    }
    // A length 2⁴⁰ bytes longer: beyond the file, refused by the stream's walk.
    const far = Buffer.from(bytes);
    far[at + 5] = (far[at + 5] as number) ^ 0x01;
    writeFileSync(join(dir, 'far.arrow'), far);
    await expect(matchTo(join(dir, 'far.arrow'), 'far.csv')).rejects.toMatchObject({ code: 'FILE_CORRUPT' });
    expect(existsSync(join(dir, 'far.csv'))).toBe(false);
    // Longer by a bit the length lacks, within the file: the same records read, the same links.
    let unset = 1;
    while ((length & unset) !== 0) unset <<= 1;
    writeFileSync(join(dir, 'longer.arrow'), flipped(unset));
    for (const threads of ['1', '2']) {
      const out = join(dir, `longer-${threads}.csv`);
      expect(await match.run({ coc, mcp: join(dir, 'longer.arrow'), out, ...quiet, threads })).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(intact);
    }
  }, 240_000);

  it('refuses a one-batch plan that repeats an ID, naming the count, not the ID', async () => {
    const { batch } = await readEncoded(readFileSync(mcp), 'mcp');
    const ids = batch.ids.slice();
    ids[10] = ids[20] as string;
    ids[11] = ids[20] as string;
    const dup = join(dir, 'dup.arrow');
    await write(dup, [{ ...batch, ids }]);
    const err = await matchTo(dup, 'dup.csv').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FILE_DUPLICATE_ID' });
    expect((err as Error).message).toContain('2 records repeat');
    expect((err as Error).message).not.toContain(ids[20]);
    expect(existsSync(join(dir, 'dup.csv'))).toBe(false);
  }, 120_000);
});
