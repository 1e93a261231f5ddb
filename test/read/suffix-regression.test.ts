import { describe, expect, it } from 'vitest';
import { collect, readClients } from '../../src/read/reader.js';

describe('NameSuffix', () => {
  it('keeps the real suffixes II and III (not placeholders) and flags UNKNOWN', async () => {
    const rows = [
      {
        PersonalID: '1',
        FirstName: 'Ann',
        LastName: 'Lee',
        NameSuffix: 'II',
        NameDataQuality: '1',
        DOB: '1980-01-02',
        DOBDataQuality: '1',
      },
      {
        PersonalID: '2',
        FirstName: 'Bo',
        LastName: 'Kim',
        NameSuffix: 'III',
        NameDataQuality: '1',
        DOB: '1981-01-02',
        DOBDataQuality: '1',
      },
      {
        PersonalID: '3',
        FirstName: 'Cy',
        LastName: 'Ray',
        NameSuffix: 'UNKNOWN',
        NameDataQuality: '1',
        DOB: '1982-01-02',
        DOBDataQuality: '1',
      },
    ];
    const { records, issues } = await collect(readClients(rows, { today: '2026-01-01' }));
    expect(records.map((r) => r.nameSuffix)).toEqual(['II', 'III', undefined]);
    expect(issues.map((i) => [i.line, i.field, i.code])).toEqual([[4, 'NameSuffix', 'NAME_PLACEHOLDER']]);
  });
});
