import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowRows, isArrowIpc } from '../../src/read/arrow-rows.js';
import { collect, readClients } from '../../src/read/reader.js';

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

describe('Arrow IPC lists', () => {
  const table = tableFromArrays({
    PersonalID: ['P1', 'P2'],
    FirstName: ['Ana', 'Bo'],
    LastName: ['Ruiz', 'Kim'],
    NameDataQuality: Int32Array.from([1, 1]),
    DOB: [new Date(Date.UTC(1980, 1, 3)), new Date(Date.UTC(1975, 11, 31))],
    DOBDataQuality: Int32Array.from([1, 2]),
  });

  it.each(['stream', 'file'] as const)('reads the %s format into the same records as CSV', async (format) => {
    const bytes = tableToIPC(table, format);
    expect(isArrowIpc(bytes)).toBe(true);
    const { records, summary } = await collect(readClients(arrowRows(once(bytes)), { today: '2026-01-01' }));
    expect(summary).toMatchObject({ rowsRead: 2, accepted: 2, rejected: 0 });
    expect(records.map((r) => [r.personalId, r.firstName, r.dob, r.dobDataQuality])).toEqual([
      ['P1', 'Ana', '1980-02-03', 1],
      ['P2', 'Bo', '1975-12-31', 2],
    ]);
  });

  it('refuses garbage that looks like Arrow', async () => {
    const bad = new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5]);
    await expect(async () => {
      for await (const _ of arrowRows(once(bad), 'x.arrow')) {
        // drain
      }
    }).rejects.toMatchObject({ code: 'FILE_CORRUPT' });
  });

  it('does not take CSV for Arrow', () => {
    expect(isArrowIpc(new TextEncoder().encode('PersonalID,FirstName'))).toBe(false);
  });
});
