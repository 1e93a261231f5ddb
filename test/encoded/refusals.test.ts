/**
 * Every refusal of the encoded-file readers on crafted files, in both formats: a truncated file is
 * `FILE_TRUNCATED`; damage with the whole length present (bad structure, a failed CRC-32C, records
 * that do not fit the schema) is `FILE_CORRUPT`; repeated IDs `FILE_DUPLICATE_ID`; files of another
 * schema or key `SCHEMA_MISMATCH` / `KEY_MISMATCH`. Each message is one line naming no value.
 */
import { describe, expect, it } from 'vitest';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { type EncodedFormat, readEncoded, writeEncoded } from '../../src/encoded/file.js';
import { BloomlinkError } from '../../src/errors.js';
import { checkCompatible } from '../../src/match/match.js';
import { checkArrowIpc, checkedArrowStream } from '../../src/util/arrow-framing.js';

const KEY = parseKey('8899aabbccddeeff0011223344556677');
const people: PersonToEncode[] = Array.from({ length: 9 }, (_, i) => ({
  id: `SECRETID${i}`,
  firstName: ['Anastasia', 'Luisito', 'Meilin'][i % 3] as string,
  lastName: ['Garciaz', 'Wongsky', 'Okaforo'][i % 3] as string,
  dob: `19${60 + i}-0${1 + i}-1${i}`,
  nameDataQuality: 1,
  dobDataQuality: 1,
  ssnDataQuality: 99,
}));
/** Values no message may hold. */
const VALUES = ['SECRETID', 'Anastasia', 'Garciaz', '1960-01-10'];

async function write(format: EncodedFormat, list = people, enc = new RecordEncoder(KEY, { party: 'mcp' })) {
  const chunks: Uint8Array[] = [];
  await writeEncoded(
    format,
    enc.meta,
    [enc.encodeBatch(list.slice(0, 4)), enc.encodeBatch(list.slice(4))],
    (c) => {
      chunks.push(c.slice());
    },
  );
  return new Uint8Array(Buffer.concat(chunks));
}

/** The refusal's code (one line, no value in it), or 'read' when the file reads. */
async function outcome(bytes: Uint8Array): Promise<string> {
  try {
    await readEncoded(bytes, 'mcp.x');
    return 'read';
  } catch (e) {
    if (!(e instanceof BloomlinkError)) throw e;
    expect(e.message).not.toMatch(/\n/);
    for (const v of VALUES) expect(e.message).not.toContain(v);
    return e.code;
  }
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytesOf = (s: string) => new TextEncoder().encode(s);

describe.each(['arrow', 'jsonl'] as const)(
  'the %s reader refuses crafted files with their code',
  (format) => {
    it('a cut file: FILE_TRUNCATED, at a boundary or inside a record', async () => {
      const good = await write(format);
      expect(await outcome(good)).toBe('read');
      for (const keep of [good.length - 2, good.length - 40, Math.floor(good.length / 2)])
        expect(await outcome(good.subarray(0, keep))).toBe('FILE_TRUNCATED');
      if (format === 'jsonl') {
        // Cut after a whole line: the end line is missing.
        const lines = text(good).split('\n');
        expect(await outcome(bytesOf(`${lines.slice(0, 3).join('\n')}\n`))).toBe('FILE_TRUNCATED');
      }
    });

    it('a record batch or line checksum that fails: FILE_CORRUPT', async () => {
      const good = await write(format);
      let bad: Uint8Array;
      if (format === 'jsonl') {
        // A check line's CRC-32C changed.
        const lines = text(good).split('\n');
        const k = lines.findIndex((l) => l.startsWith('{"check"'));
        expect(k).toBeGreaterThan(0);
        lines[k] = (lines[k] as string).replace(
          /"crc32c":"(.)/,
          (_, c) => `"crc32c":"${c === '0' ? '1' : '0'}`,
        );
        bad = bytesOf(lines.join('\n'));
      } else {
        // A byte in the middle of the first record batch's body: the batch's CRC-32C fails.
        const batch = checkArrowIpc(good, 'x').find((f) => f.headerType === 3 && f.bodyLength > 0);
        if (!batch) throw new Error('no record batch');
        bad = good.slice();
        const at = batch.offset + 8 + batch.metadataLength + Math.floor(batch.bodyLength / 2);
        bad[at] = (bad[at] as number) ^ 0x10;
      }
      expect(await outcome(bad)).toBe('FILE_CORRUPT');
    });

    it('damage with the whole length present is never called truncated', async () => {
      const good = await write(format);
      const codes = new Map<string, number>();
      // Bytes set to another value, the file keeping its length: in Arrow, every other byte of the record
      // batches' metadata (their structure); in JSON Lines, every 7th byte before the last line (a
      // last line that is not JSON reads as one cut short: the two cannot be told apart).
      const places =
        format === 'arrow'
          ? checkArrowIpc(good, 'x')
              .filter((f) => f.headerType === 3)
              .flatMap((f) => Array.from({ length: f.metadataLength / 2 }, (_, k) => f.offset + 8 + 2 * k))
          : Array.from({ length: Math.ceil(good.lastIndexOf(0x0a, good.length - 2) / 7) }, (_, k) => k * 7);
      expect(places.length).toBeGreaterThan(200);
      for (const i of places) {
        const bad = good.slice();
        bad[i] = (bad[i] as number) ^ (format === 'jsonl' ? 0x01 : 0xff);
        let framing = 'ok';
        if (format === 'arrow')
          try {
            for await (const _ of checkedArrowStream(once(bad), 'x'));
          } catch (e) {
            framing = (e as BloomlinkError).code;
          }
        const code = await outcome(bad);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        // A length grown past the end of the stream reads as a cut file: a stream reader cannot tell
        // the two apart (the framing walk says so first).
        if (framing !== 'FILE_TRUNCATED') expect([i, code]).not.toEqual([i, 'FILE_TRUNCATED']);
      }
      expect(codes.get('FILE_CORRUPT')).toBeGreaterThan(0);
    });

    it('repeated IDs: FILE_DUPLICATE_ID, giving no ID', async () => {
      const twice = [...people, { ...people[2], dob: '1999-09-09' } as PersonToEncode];
      expect(await outcome(await write(format, twice))).toBe('FILE_DUPLICATE_ID');
    });

    it('files of another schema or key: SCHEMA_MISMATCH, KEY_MISMATCH', async () => {
      const coc = await readEncoded(
        await write(format, people, new RecordEncoder(KEY, { party: 'coc' })),
        'coc',
      );
      const otherKey = new RecordEncoder(parseKey('00112233445566778899aabbccddeeff'), { party: 'mcp' });
      const schema = { ...DEFAULT_SCHEMA, blocking: DEFAULT_SCHEMA.blocking.slice(1) };
      const otherSchema = new RecordEncoder(KEY, { party: 'mcp', schema });
      for (const [enc, code] of [
        [otherKey, 'KEY_MISMATCH'],
        [otherSchema, 'SCHEMA_MISMATCH'],
      ] as const) {
        const mcp = await readEncoded(await write(format, people, enc), 'mcp');
        let got: unknown;
        try {
          checkCompatible(coc.meta, mcp.meta);
        } catch (e) {
          got = e;
        }
        expect(got).toMatchObject({ code });
        expect((got as Error).message).not.toMatch(/\n/);
      }
    });
  },
);

describe('the jsonl reader', () => {
  it('a record that does not fit the schema, a line that is not an object: FILE_CORRUPT naming the line', async () => {
    const lines = text(await write('jsonl')).split('\n');
    const second = JSON.parse(lines[1] as string) as Record<string, unknown>;
    const firstKey = Object.keys(second).find((k) => k !== 'id') as string;
    const { [firstKey]: _, ...missing } = second;
    for (const replaced of [JSON.stringify(missing), '[1,2]', '{"id":']) {
      const bad = bytesOf([lines[0], replaced, ...lines.slice(2)].join('\n'));
      expect(await outcome(bad)).toBe('FILE_CORRUPT');
    }
  });
});
