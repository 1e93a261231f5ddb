import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { match } from '../../src/cli/commands/match.js';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { writeEncoded } from '../../src/encoded/file.js';
import { esc } from '../../src/report/format.js';
import type { MatchReport } from '../../src/report/types.js';
import { reportFixture } from './fixture.js';

async function writeArrow(path: string, meta: EncodedMeta, batch: EncodedBatch): Promise<void> {
  const chunks: Uint8Array[] = [];
  await writeEncoded('arrow', meta, [batch], (c) => {
    chunks.push(c.slice());
  });
  await writeFile(path, Buffer.concat(chunks));
}

describe('bloomlink match --report', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bloomlink-report-'));
    const { encoded } = reportFixture();
    await writeArrow(join(dir, 'coc.arrow'), encoded.cocMeta, encoded.coc);
    await writeArrow(join(dir, 'mcp.arrow'), encoded.mcpMeta, encoded.mcp);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the HTML report and its data, with pseudonymised identifiers on request', async () => {
    const code = await match.run({
      coc: join(dir, 'coc.arrow'),
      mcp: join(dir, 'mcp.arrow'),
      out: join(dir, 'links.csv'),
      report: join(dir, 'report.html'),
      'report-json': join(dir, 'report.json'),
      'report-pseudonymise': true,
      quiet: true,
      // The report does not depend on the threads (match.node.test.ts); one spares a worker pool.
      threads: '1',
    });
    expect(code).toBe(0);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    const data = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as MatchReport;
    const links = (await readFile(join(dir, 'links.csv'), 'utf8')).trim().split(/\r?\n/).length - 1;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(data.reportVersion).toBe(1);
    expect(data.stages.links).toBe(links);
    expect(data.idsPseudonymised).toBe(true);
    expect(data.model.source).toBe('trained');
    expect(html).toContain(data.explanations.review[0]?.personalId ?? 'client-0001');
    for (const p of reportFixture().coc) expect(html.includes(`>${esc(p.id)} ↔`)).toBe(false);
  });
});
