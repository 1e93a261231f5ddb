import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../src/synth/index.js';
import { writeCsvFile, writeSynthFiles } from '../../src/synth/write.node.js';
import { parseCsv } from './helpers.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'synth-test-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const OPTS = { seed: 9, clients: 700, members: 2000 } as const;

describe('writeSynthFiles', () => {
  it('writes the four files with headers, CRLF and the generated rows', async () => {
    const dir = await tempDir();
    const progress: string[] = [];
    const { files, counts } = await writeSynthFiles(dir, {
      ...OPTS,
      onProgress: (p) => progress.push(p.file),
    });
    expect(Object.keys(files).sort()).toEqual(['clients', 'members', 'programs', 'truth']);
    expect(counts.clients).toBe(700);
    expect(counts.members).toBe(2000);
    expect(counts.truth).toBe(280);
    expect(new Set(progress)).toEqual(new Set(['clients.csv', 'members.csv', 'programs.csv', 'truth.csv']));
    const data = synthesize(OPTS);
    for (const list of ['clients', 'members', 'programs', 'truth'] as const) {
      const text = await readFile(files[list] as string, 'utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual(data.columns[list]);
      expect(rows).toEqual([...data.rows(list)]);
      expect(rows.length).toBe(counts[list]);
    }
    // Provider names with commas are quoted.
    const programs = await readFile(files.programs as string, 'utf8');
    expect(programs).toContain('"Hope & Harbor Services, Inc."');
  });

  it('is byte-identical for the same options and names the HMIS file Client.csv', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await writeSynthFiles(a, OPTS);
    await writeSynthFiles(b, OPTS);
    for (const f of ['clients.csv', 'members.csv', 'programs.csv', 'truth.csv']) {
      expect(await readFile(join(a, f))).toEqual(await readFile(join(b, f)));
    }
    const c = await tempDir();
    const { files } = await writeSynthFiles(c, { ...OPTS, cocLayout: 'hmis-fy2026' });
    expect(files.clients).toBe(join(c, 'Client.csv'));
  });

  it('writeCsvFile writes an empty list as a header only and reports errors', async () => {
    const dir = await tempDir();
    const n = await writeCsvFile(join(dir, 'empty.csv'), ['A', 'B'], []);
    expect(n).toBe(0);
    expect(await readFile(join(dir, 'empty.csv'), 'utf8')).toBe('A,B\r\n');
    await expect(writeCsvFile(join(dir, 'missing', 'x.csv'), ['A'], [['1']])).rejects.toThrow();
  });
});
