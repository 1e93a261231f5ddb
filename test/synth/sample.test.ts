import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_OPTIONS, type SynthList, synthesize } from '../../src/synth/index.js';
import { CSV_EOL, formatCsvRow } from '../../src/util/csv-write.js';

const sample = join(import.meta.dirname, '../../data/sample');

function csv(columns: readonly string[], rows: Iterable<readonly string[]>): string {
  const lines = [formatCsvRow(columns)];
  for (const r of rows) lines.push(formatCsvRow(r));
  return lines.join(CSV_EOL) + CSV_EOL;
}

describe('data/sample', () => {
  it('is what the generator writes for SAMPLE_OPTIONS (regenerate with scripts/gen-sample.ts)', () => {
    const data = synthesize(SAMPLE_OPTIONS);
    const files: [SynthList, string][] = [
      ['clients', 'clients.csv'],
      ['members', 'members.csv'],
      ['programs', 'programs.csv'],
      ['truth', 'truth.csv'],
    ];
    for (const [list, file] of files) {
      expect(readFileSync(join(sample, file), 'utf8')).toBe(csv(data.columns[list], data.rows(list)));
    }
    for (const layout of ['hmis-fy2026', 'hmis-fy2024'] as const) {
      const hmis = synthesize({ ...SAMPLE_OPTIONS, cocLayout: layout });
      expect(readFileSync(join(sample, layout, 'Client.csv'), 'utf8')).toBe(
        csv(hmis.columns.clients, hmis.rows('clients')),
      );
    }
  });
});
