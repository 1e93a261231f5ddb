/**
 * Clear-text mode never reaches a file: its batches carry the normalised names, only the keyless
 * clear-text encoder makes such batches (always with the public key), the writers refuse them and
 * any meta with the public key check, the readers refuse a file with that key check, and the
 * string levels are refused on batches without strings.
 */
import { describe, expect, it } from 'vitest';
import { clearTextComparisons } from '../../src/compare/clear-comparisons.js';
import { checkComparisons } from '../../src/compare/compare.js';
import { clearTextEncoder, clearTextSchema } from '../../src/encode/clear.js';
import { type PersonToEncode, RecordEncoder } from '../../src/encode/encoder.js';
import { keyCheck, parseKey } from '../../src/encode/key.js';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { crc32c, crcHex } from '../../src/encoded/checksum.js';
import { CLEAR_TEXT_KEY_CHECK, hasClearText, withClearTextOf } from '../../src/encoded/clear-text.js';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { type EncodedFormat, writeEncoded } from '../../src/encoded/file.js';
import { checkMeta } from '../../src/encoded/integrity.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';
import { BloomlinkError } from '../../src/errors.js';

const KEY = parseKey('00112233445566778899aabbccddeeff');

const people: PersonToEncode[] = [
  {
    id: 'C1',
    firstName: 'Zelda',
    lastName: 'Quintero-Vargas',
    middleName: 'Maria',
    nameDataQuality: 1,
    dobDataQuality: 99,
    ssnDataQuality: 99,
  },
  {
    id: 'C2',
    firstName: 'Bartholomew',
    lastName: "O'Xylander",
    dob: '1971-04-05',
    nameDataQuality: 1,
    dobDataQuality: 1,
    ssnDataQuality: 99,
  },
  { id: 'C3', lastName: 'Wojcikowski', nameDataQuality: 2, dobDataQuality: 99, ssnDataQuality: 99 },
];
/** Every normalised name above, as a file would have to spell it to leak it. */
const NAMES = ['ZELDA', 'QUINTEROVARGAS', 'MARIA', 'BARTHOLOMEW', 'OXYLANDER', 'WOJCIKOWSKI'];

const mcpPeople = people.map((p) => ({ ...p, id: `M${p.id}` }));

async function write(format: EncodedFormat, meta: EncodedMeta, batch: EncodedBatch): Promise<string> {
  let text = '';
  const dec = new TextDecoder('latin1');
  await writeEncoded(format, meta, [batch], (c) => {
    text += dec.decode(c);
  }).catch((e: unknown) => {
    throw Object.assign(e as Error, { written: text });
  });
  return text;
}

async function refusal(format: EncodedFormat, meta: EncodedMeta, batch: EncodedBatch) {
  try {
    await write(format, meta, batch);
  } catch (e) {
    return { code: (e as BloomlinkError).code, written: (e as { written: string }).written };
  }
  return { code: 'written', written: '' };
}

describe('clear-text batches', () => {
  it('carry the normalised names, and the public key check (recomputed here)', () => {
    expect(CLEAR_TEXT_KEY_CHECK).toBe(keyCheck(new Uint8Array(32)));
    const enc = clearTextEncoder('coc');
    const b = enc.encodeBatch(people);
    expect(enc.meta.keyCheck).toBe(CLEAR_TEXT_KEY_CHECK);
    expect(b.clearText).toEqual({
      firstText: ['ZELDA', 'BARTHOLOMEW', ''],
      middleText: ['MARIA', '', ''],
      lastText: ['QUINTEROVARGAS', 'OXYLANDER', 'WOJCIKOWSKI'],
    });
    expect(b.length).toBe(people.length);
  });

  it('are never made by the keyed encoder, whatever the schema', () => {
    for (const schema of [DEFAULT_SCHEMA, clearTextSchema()]) {
      const b = new RecordEncoder(KEY, { party: 'coc', schema }).encodeBatch(people);
      expect(hasClearText(b)).toBe(false);
      expect(JSON.stringify(Object.keys(b))).not.toContain('clear');
    }
  });

  it('cannot be asked for by a linkage schema file: there is no string feature kind', () => {
    const json = JSON.parse(JSON.stringify(DEFAULT_SCHEMA)) as { features: unknown[] };
    json.features.push({ name: 'firstText', kind: 'text', source: 'first', keyGroup: 'name' });
    expect(() => parseLinkageSchema(json)).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID' }));
  });

  it.each(['arrow', 'jsonl'] as const)(
    'are refused by the %s writer, before any string is written',
    async (format) => {
      const clear = clearTextEncoder('coc');
      const keyed = new RecordEncoder(KEY, { party: 'coc' });
      const keyedBatch = keyed.encodeBatch(people);
      // Clear-text mode as it is.
      const a = await refusal(format, clear.meta, clear.encodeBatch(people));
      // Strings grafted onto a keyed batch (the writer looks at the batch, not only the meta).
      const grafted = withClearTextOf(clear.encodeBatch(people), keyedBatch, [0, 1, 2]);
      expect(hasClearText(grafted)).toBe(true);
      const b = await refusal(format, keyed.meta, grafted);
      // The public key without strings (a RecordEncoder given the all-zero key by hand).
      const zero = new RecordEncoder(new Uint8Array(32), { party: 'coc' });
      const c = await refusal(format, zero.meta, zero.encodeBatch(people));
      for (const r of [a, b, c]) {
        expect(r.code).toBe('CLEAR_TEXT_REFUSED');
        for (const name of NAMES) expect(r.written).not.toContain(name);
      }
      // The same keyed batch without strings is written.
      expect((await write(format, keyed.meta, keyedBatch)).length).toBeGreaterThan(0);
    },
  );

  it('a file made with the public key is refused when read', () => {
    const meta = clearTextEncoder('coc').meta;
    const raw = JSON.stringify(meta);
    const crc = crcHex(crc32c(new TextEncoder().encode(raw)));
    expect(() => checkMeta(raw, crc, crc, 'coc.arrow')).toThrow(
      expect.objectContaining({ code: 'CLEAR_TEXT_REFUSED' }),
    );
    const keyedRaw = JSON.stringify(new RecordEncoder(KEY, { party: 'coc' }).meta);
    const keyedCrc = crcHex(crc32c(new TextEncoder().encode(keyedRaw)));
    expect(checkMeta(keyedRaw, keyedCrc, keyedCrc, 'coc.arrow').keyCheck).toBe(keyCheck(KEY));
  });

  it('their string levels are refused on encoded batches (MODEL_INVALID), and accepted on clear-text ones', () => {
    const specs = clearTextComparisons();
    const coc = new RecordEncoder(KEY, { party: 'coc', schema: clearTextSchema() }).encodeBatch(people);
    const mcp = new RecordEncoder(KEY, { party: 'mcp', schema: clearTextSchema() }).encodeBatch(mcpPeople);
    let err: unknown;
    try {
      checkComparisons(specs, coc, mcp);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BloomlinkError);
    expect((err as BloomlinkError).code).toBe('MODEL_INVALID');
    expect((err as BloomlinkError).message).toContain('clear-text mode only');
    for (const name of NAMES) expect((err as BloomlinkError).message).not.toContain(name);
    expect(() =>
      checkComparisons(
        specs,
        clearTextEncoder('coc').encodeBatch(people),
        clearTextEncoder('mcp').encodeBatch(mcpPeople),
      ),
    ).not.toThrow();
  });
});
