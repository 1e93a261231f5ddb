import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedRowCounts } from '../../src/encoded/batch.js';
import { type EncodedFormat, readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { readEncodedShared } from '../../src/encoded/read-shared.js';
import { BloomlinkError } from '../../src/errors.js';

const KEY = parseKey('00112233445566778899aabbccddeeff');
const people: PersonToEncode[] = Array.from({ length: 40 }, (_, i) => ({
  id: `C${i}`,
  firstName: ['Ann', 'Bob', 'Carla'][i % 3]!,
  lastName: ['Lee', 'Smith'][i % 2]!,
  dob: `19${50 + i}-01-1${i % 10}`,
  nameDataQuality: 1,
  dobDataQuality: 1,
  ssnDataQuality: 99,
}));
const enc = new RecordEncoder(KEY, { party: 'coc' });
const batch = enc.encodeBatch(people);

async function bytes(format: EncodedFormat, rows?: EncodedRowCounts): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let asked = 0;
  await writeEncoded(
    format,
    enc.meta,
    [batch],
    (c) => {
      chunks.push(c.slice());
    },
    rows
      ? {
          rows: () => {
            asked++;
            return rows;
          },
        }
      : {},
  );
  if (rows) expect(asked).toBe(1);
  return Buffer.concat(chunks);
}

const corrupt = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof BloomlinkError ? e.code : String(e)),
  );

describe.each(['arrow', 'jsonl'] as const)('rows read and rejected in the %s end record', (format) => {
  it('travel with the file to readEncoded and readEncodedShared', async () => {
    const b = await bytes(format, { rowsRead: 47, rejected: 7 });
    const plain = await readEncoded(b, 'f');
    expect(plain.rows).toEqual({ rowsRead: 47, rejected: 7 });
    expect(plain.batch.length).toBe(people.length);
    for (const sizeHint of [b.length, undefined]) {
      const shared = await readEncodedShared(b, 'f', { blocks: true, ...(sizeHint ? { sizeHint } : {}) });
      expect(shared.rows).toEqual({ rowsRead: 47, rejected: 7 });
    }
  });

  it('are absent from a file written without them (older files still read)', async () => {
    const b = await bytes(format);
    const r = await readEncoded(b, 'f');
    expect(r.rows).toBeUndefined();
    expect(r.batch.length).toBe(people.length);
  });

  it('are refused when edited into nonsense, and the writer refuses impossible counts', async () => {
    const good = Buffer.from(await bytes(format, { rowsRead: 47, rejected: 7 }));
    const text = good.toString('latin1');
    for (const [from, to] of [
      ['"rejected":7', '"rejected":70'],
      ['"rowsRead":47', '"rowsRead":-1'],
      ['"rejected":7', '"rejected":"7"'],
    ] as const) {
      expect(text.includes(from)).toBe(true);
      const bad = Buffer.from(text.replace(from, to), 'latin1');
      // Arrow stores the end record with its length, so a longer text is refused one way or another.
      expect(await corrupt(readEncoded(bad, 'f'))).toMatch(/^FILE_(CORRUPT|TRUNCATED)$/);
    }
    await expect(bytes(format, { rowsRead: 3, rejected: 4 })).rejects.toThrow(RangeError);
  });
});
