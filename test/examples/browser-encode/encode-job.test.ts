import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJob, type JobProgress } from '../../../examples/browser-encode/src/encode-job.js';
import { encode } from '../../../src/cli/commands/encode.js';
import { generateKeyHex } from '../../../src/encode/key.js';
import { DEFAULT_SCHEMA } from '../../../src/encoded/default-schema.js';
import type { EncodedFormat } from '../../../src/encoded/file.js';
import { BloomlinkError } from '../../../src/errors.js';

// The page's promise is "the same bytes as the CLI": each case runs the real `encode` command and
// encodeJob on the same files and compares both outputs byte for byte.

const SAMPLE = 'data/sample/clients.csv';
let dir: string;
let keyPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bloomlink-page-'));
  keyPath = join(dir, 'linkage.key');
  await writeFile(keyPath, `${generateKeyHex()}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A copy of the first sample rows plus rows the reader rejects or warns about (all synthetic). */
async function defectiveList(): Promise<string> {
  const lines = (await readFile(SAMPLE, 'utf8')).split('\r\n').slice(0, 41);
  const first = lines[1]!.split(',');
  lines.push(
    ',,Ann,,Lee,,1,1980-02-03,1,,99,1,2025-01-01', // no PersonalID
    `${first[0]},,Bob,,Lee,,1,1981-02-03,1,,99,1,2025-01-01`, // duplicate PersonalID
    '9000001,,Cy,,Roe,,1,2099-02-03,1,,99,1,2025-01-01', // DOB after today
    '9000002,,Di,,Poe,,1,not a date,1,,99,1,2025-01-01', // unparseable DOB
    '9000003,,,,,,99,,99,,99,99,2025-01-01', // nothing to match on
  );
  const path = join(dir, 'defective.csv');
  await writeFile(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

interface Case {
  readonly list: string;
  readonly format: EncodedFormat;
  readonly today: string;
  readonly schema?: string;
}

async function viaCli(c: Case, name: string): Promise<{ encoded: Buffer; rejects: Buffer }> {
  const out = join(dir, `${name}.${c.format}`);
  const status = await encode.run({
    in: c.list,
    key: keyPath,
    out,
    format: c.format,
    today: c.today,
    quiet: true,
    // The CLI writes the same bytes for any --threads (test/encode/encode.node.slow.test.ts); one thread
    // spares starting a worker pool per case, which costs more than encoding the list.
    threads: '1',
    ...(c.schema ? { schema: c.schema } : {}),
  });
  expect(status).toBe(0);
  return { encoded: await readFile(out), rejects: await readFile(`${out}.rejects.csv`) };
}

async function viaPage(c: Case, onProgress?: (p: JobProgress) => void) {
  const file = (path: string) => readFile(path).then((b) => new File([b], path.split('/').pop()!));
  const [list, key, schema] = await Promise.all([
    file(c.list),
    file(keyPath),
    c.schema ? file(c.schema) : undefined,
  ]);
  const result = await encodeJob(
    {
      list,
      listName: list.name,
      key,
      keyName: key.name,
      ...(schema ? { schema, schemaName: schema.name } : {}),
      format: c.format,
      today: c.today,
    },
    onProgress,
  );
  return {
    ...result,
    encodedBytes: Buffer.from(await result.encoded.arrayBuffer()),
    rejectsBytes: Buffer.from(await result.rejects.arrayBuffer()),
  };
}

describe('encodeJob', () => {
  it.each(['arrow', 'jsonl'] as const)('writes the CLI’s bytes for the sample list (%s)', async (format) => {
    const c: Case = { list: SAMPLE, format, today: '2026-01-15' };
    const [cli, page] = await Promise.all([viaCli(c, `sample-${format}`), viaPage(c)]);
    expect(page.encodedBytes.equals(cli.encoded)).toBe(true);
    expect(page.rejectsBytes.equals(cli.rejects)).toBe(true);
    expect(page.kind).toBe('coc');
    expect(page.records).toBe(page.summary.accepted);
    expect(page.summary.rowsRead).toBe(2000);
  });

  it('writes the CLI’s rejection report for rejected rows', async () => {
    const c: Case = { list: await defectiveList(), format: 'arrow', today: '2026-01-15' };
    const [cli, page] = await Promise.all([viaCli(c, 'defective'), viaPage(c)]);
    expect(page.summary.rejected).toBeGreaterThan(0);
    expect(page.rejectsBytes.equals(cli.rejects)).toBe(true);
    expect(page.encodedBytes.equals(cli.encoded)).toBe(true);
  });

  it('passes the reference date through: the output follows it as the CLI’s does', async () => {
    const early: Case = { list: SAMPLE, format: 'jsonl', today: '1990-01-01' };
    const [cli, page, usual] = await Promise.all([
      viaCli(early, 'early'),
      viaPage(early),
      viaPage({ ...early, today: '2026-01-15' }),
    ]);
    expect(page.encodedBytes.equals(cli.encoded)).toBe(true);
    expect(page.encodedBytes.equals(usual.encodedBytes)).toBe(false);
  });

  it('passes an agreed linkage schema through', async () => {
    const schema = join(dir, 'agreed-schema.json');
    await writeFile(schema, JSON.stringify({ ...DEFAULT_SCHEMA, name: 'agreed-variant' }));
    const c: Case = { list: SAMPLE, format: 'arrow', today: '2026-01-15', schema };
    const [cli, page, plain] = await Promise.all([
      viaCli(c, 'agreed'),
      viaPage(c),
      viaPage({ list: SAMPLE, format: 'arrow', today: '2026-01-15' }),
    ]);
    expect(page.encodedBytes.equals(cli.encoded)).toBe(true);
    expect(page.schemaFingerprint).not.toBe(plain.schemaFingerprint);
  });

  it('reports progress up to the whole file', async () => {
    const seen: JobProgress[] = [];
    await viaPage({ list: SAMPLE, format: 'arrow', today: '2026-01-15' }, (p) => seen.push(p));
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.rowsRead).toBeGreaterThanOrEqual(seen[i - 1]!.rowsRead);
      expect(seen[i]!.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]!.bytesRead);
    }
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ rowsRead: 2000, encoded: 2000, bytesRead: last.totalBytes });
  });

  it('fails as the CLI does on an empty list', async () => {
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    const fromCli = await encode
      .run({ in: empty, key: keyPath, out: join(dir, 'empty.arrow'), quiet: true })
      .then(
        () => undefined,
        (e: unknown) => e as BloomlinkError,
      );
    const fromPage = await viaPage({ list: empty, format: 'arrow', today: '2026-01-15' }).then(
      () => undefined,
      (e: unknown) => e as BloomlinkError,
    );
    expect(fromCli).toBeInstanceOf(BloomlinkError);
    expect(fromPage).toBeInstanceOf(BloomlinkError);
    expect([fromPage?.code, fromPage?.message]).toEqual([fromCli?.code, fromCli?.message]);
  });

  it('fails on a bad key, a clkhash schema or a schema that is not JSON, naming the file only', async () => {
    const list = new File([await readFile(SAMPLE)], 'clients.csv');
    const job = { list, listName: 'clients.csv', format: 'arrow', today: '2026-01-15' } as const;
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e as BloomlinkError,
      );

    const short = await failure(encodeJob({ ...job, key: new File(['00ff'], 'k.key'), keyName: 'k.key' }));
    expect(short).toBeInstanceOf(BloomlinkError);
    expect(short?.code).toBe('KEY_TOO_SHORT');

    const huge = await failure(encodeJob({ ...job, key: list, keyName: 'clients.csv' }));
    expect(huge?.code).toBe('KEY_UNREADABLE');
    expect(huge?.message).toMatch(/^clients\.csv: /);

    const key = new File([generateKeyHex()], 'linkage.key');
    const clk = new File([JSON.stringify({ version: 3, clkConfig: {}, features: [] })], 'clk.json');
    const clkFailure = await failure(
      encodeJob({ ...job, key, keyName: 'linkage.key', schema: clk, schemaName: 'clk.json' }),
    );
    expect(clkFailure?.code).toBe('SCHEMA_INVALID');
    expect(clkFailure?.message).toMatch(/clkhash/);

    const notJson = new File(['{'], 's.json');
    const jsonFailure = await failure(
      encodeJob({ ...job, key, keyName: 'linkage.key', schema: notJson, schemaName: 's.json' }),
    );
    expect(jsonFailure?.message).toBe('s.json: the linkage schema is not valid JSON');
  });
});
