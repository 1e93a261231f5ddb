/**
 * The comparison table of docs/scoring.md is generated from DEFAULT_COMPARISONS
 * (scripts/gen-scoring-table.ts): the committed table is current, and the generator shows every level.
 */
import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARKER,
  currentScoringDoc,
  describeCondition,
  END_MARKER,
  replaceTable,
  scoringTable,
} from '../../scripts/gen-scoring-table.js';
import { type ComparisonSpec, DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';

describe('docs/scoring.md comparison table', () => {
  it('is current (else run npx tsx scripts/gen-scoring-table.ts)', () => {
    const { committed, generated } = currentScoringDoc();
    expect(committed).toBe(generated);
  });

  it('has one row per level of every default comparison, with its label and thresholds', () => {
    const table = scoringTable(DEFAULT_COMPARISONS);
    const rows = table.split('\n').filter((l) => /^\| .*\| \d+ \|/.test(l));
    expect(rows).toHaveLength(DEFAULT_COMPARISONS.reduce((n, c) => n + c.levels.length, 0));
    for (const c of DEFAULT_COMPARISONS) {
      expect(table).toContain(`**${c.name}**`);
      for (const level of c.levels) expect(table).toContain(`| ${level.label} |`);
    }
    expect(table).toContain('is the other middle name');
    expect(table).not.toContain('0.72');
  });

  it('follows a change of the comparisons', () => {
    const changed: ComparisonSpec[] = [
      {
        name: 'Zip',
        requires: ['zip'],
        levels: [
          { label: 'close', when: { type: 'dice', feature: 'zipBloom', min: 0.9 } },
          { label: 'else', when: { type: 'else' } },
        ],
      },
    ];
    const table = scoringTable(changed);
    expect(table).toContain('| close | Dice(`zipBloom`) ≥ 0.9 |');
    expect(table).not.toContain('FirstName');
  });

  it('describes nested conditions', () => {
    expect(
      describeCondition({
        type: 'all',
        of: [
          { type: 'exact', feature: 'a' },
          { type: 'crossDice', a: 'b', b: 'c', min: 0.5 },
        ],
      }),
    ).toBe('same `a` and Dice(`b` ↔ `c`) ≥ 0.5');
  });

  it('replaces only the text between the markers, and refuses a document without them', () => {
    const doc = `before\n${BEGIN_MARKER}\nold table\n${END_MARKER}\nafter\n`;
    expect(replaceTable(doc, 'new table')).toBe(`before\n${BEGIN_MARKER}\nnew table\n${END_MARKER}\nafter\n`);
    expect(replaceTable(replaceTable(doc, 'x'), 'x')).toBe(replaceTable(doc, 'x'));
    expect(() => replaceTable('no markers', 'x')).toThrow(/markers/);
    expect(() => replaceTable(`${END_MARKER}\n${BEGIN_MARKER}`, 'x')).toThrow(/markers/);
    expect(() => replaceTable(`${BEGIN_MARKER}${BEGIN_MARKER}${END_MARKER}`, 'x')).toThrow(/markers/);
  });
});
