import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDay, outputNames } from '../../../examples/browser-encode/src/names.js';

describe('outputNames', () => {
  it('replaces the extension and puts the report beside the encoded file, as the CLI does', () => {
    expect(outputNames('clients.csv', 'arrow')).toEqual({
      encoded: 'clients.arrow',
      rejects: 'clients.arrow.rejects.csv',
    });
    expect(outputNames('Client.2026.csv', 'jsonl').encoded).toBe('Client.2026.jsonl');
    expect(outputNames('clients', 'arrow').encoded).toBe('clients.arrow');
    expect(outputNames('.csv', 'arrow').encoded).toBe('.csv.arrow');
  });

  it('always ends in the format and keeps a non-empty stem', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('arrow' as const, 'jsonl' as const), (name, format) => {
        const { encoded, rejects } = outputNames(name, format);
        expect(encoded.endsWith(`.${format}`)).toBe(true);
        expect(encoded.length).toBeGreaterThan(format.length + 1);
        expect(rejects).toBe(`${encoded}.rejects.csv`);
      }),
    );
  });
});

describe('localDay', () => {
  it('formats the local calendar day', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localDay(new Date(999, 11, 31))).toBe('0999-12-31');
  });
});
