/**
 * Fuzzing the CSV reader: a client list damaged at random (flipped bits, cut, bytes inserted or
 * deleted, a line repeated), fed in random chunks, is read with every row accepted or rejected and
 * counted, or refused with a coded `BloomlinkError`: never another exception. A CSV has no checksum,
 * so a damaged value can be a different valid value; a repeated line, though, changes nothing but a
 * rejected duplicate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { collect, readClients } from '../../src/read/reader.js';

const TODAY = '2025-06-01';
const lines = [
  'PersonalID,FirstName,MiddleName,LastName,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality',
  ...Array.from(
    { length: 30 },
    (_, i) =>
      `P${i},${['Ann', '"Mary, Jo"', 'José', ''][i % 4]},${i % 5 === 0 ? 'Q' : ''},${['Lee', 'Nguyen-Tran', "O'Neil"][i % 3]},${i % 4 === 3 ? 99 : 1},${i % 2 ? `5${String(i).padStart(2, '0')}-12-3456` : ''},${i % 2 ? 1 : 99},19${50 + i}-0${1 + (i % 9)}-1${i % 9},1`,
  ),
];
const text = `${lines.join('\r\n')}\r\n`;
const bytes = new TextEncoder().encode(text);

/** A record without its line number (a repeated line moves the later ones down by one). */
const withoutLine = (r: object): object =>
  Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'line'));

function chunks(b: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

describe('fuzzing the CSV reader', () => {
  it('counts every row of a damaged list or refuses it with a code', async () => {
    const at = fc.nat({ max: bytes.length - 1 });
    const cat = (...p: Uint8Array[]) => new Uint8Array(Buffer.concat(p));
    const mutation = fc.oneof(
      fc.tuple(at, fc.nat({ max: 7 })).map(([i, bit]) => {
        const b = bytes.slice();
        b[i] = (b[i] as number) ^ (1 << bit);
        return b;
      }),
      at.map((n) => bytes.slice(0, n)),
      fc
        .tuple(at, fc.uint8Array({ minLength: 1, maxLength: 6 }))
        .map(([i, ins]) => cat(bytes.subarray(0, i), ins, bytes.subarray(i))),
      fc
        .tuple(at, fc.integer({ min: 1, max: 6 }))
        .map(([i, n]) => cat(bytes.subarray(0, i), bytes.subarray(i + n))),
    );
    await fc.assert(
      fc.asyncProperty(mutation, fc.integer({ min: 1, max: 300 }), async (bad, size) => {
        try {
          const r = await collect(readClients(chunks(bad, size), { today: TODAY }));
          expect(r.summary.rowsRead).toBe(r.summary.accepted + r.summary.rejected);
          expect(r.records.length).toBe(r.summary.accepted);
        } catch (e) {
          if (!(e instanceof BloomlinkError)) throw e;
        }
      }),
      { numRuns: 150, seed: 14 },
    );
  });

  it('reads a repeated data line as the same list plus one rejected duplicate', async () => {
    const good = await collect(readClients(bytes, { today: TODAY }));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: lines.length - 1 }),
        fc.integer({ min: 1, max: 300 }),
        async (k, size) => {
          const copy = [...lines.slice(0, k + 1), lines[k] as string, ...lines.slice(k + 1)];
          const r = await collect(
            readClients(chunks(new TextEncoder().encode(`${copy.join('\r\n')}\r\n`), size), { today: TODAY }),
          );
          expect(r.records.map(withoutLine)).toEqual(good.records.map(withoutLine));
          expect(r.issues.filter((i) => i.code === 'ID_DUPLICATE').map((i) => i.line)).toEqual([k + 2]);
        },
      ),
      { numRuns: 30, seed: 14 },
    );
  });
});
