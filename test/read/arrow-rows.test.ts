import { tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
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

describe('damaged Arrow input lists', () => {
  const table = tableFromArrays({
    PersonalID: ['P1', 'P2', 'P3'],
    FirstName: ['Ana', 'Bo', 'Cy'],
    NameDataQuality: Int32Array.from([1, 1, 9]),
  });
  it.each(['stream', 'file'] as const)(
    '%s: bytes inserted, deleted or repeated anywhere give rows or a coded error, in time',
    async (format) => {
      const bytes = tableToIPC(table, format);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: bytes.length - 1 }),
          fc.integer({ min: 0, max: 2 }),
          fc.uint8Array({ minLength: 1, maxLength: 16 }),
          fc.integer({ min: 1, max: 256 }),
          async (at, kind, ins, n) => {
            const bad = new Uint8Array(
              Buffer.concat(
                kind === 0
                  ? [bytes.subarray(0, at), ins, bytes.subarray(at)]
                  : kind === 1
                    ? [bytes.subarray(0, at), bytes.subarray(at + n)]
                    : [bytes.subarray(0, at + n), bytes.subarray(at)],
              ),
            );
            const t0 = performance.now();
            const r = await (async () => {
              const rows: Record<string, string>[] = [];
              for await (const row of arrowRows(once(bad), 'x.arrow')) rows.push(row);
              return rows;
            })().catch((e: unknown) => e);
            expect(performance.now() - t0).toBeLessThan(5_000);
            if (!Array.isArray(r)) {
              expect(r).toBeInstanceOf(BloomlinkError);
              expect((r as BloomlinkError).message).not.toMatch(/Ana|Bo|Cy/);
            }
          },
        ),
        { numRuns: 300, seed: 12 },
      );
    },
  );
});
