import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { decodeChunks, SNIFF_BYTES, sniffEncoding, type TextEncodingName } from '../../src/read/decode.js';
import { concatBytes } from '../../src/util/bytes.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (number[] | Uint8Array | string)[]) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? utf8(p) : Uint8Array.from(p)));
  return concatBytes(arrays);
};

function utf16(s: string, littleEndian: boolean, bom = true): Uint8Array {
  const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  if (bom) {
    view.setUint16(0, 0xfeff, littleEndian);
    at = 2;
  }
  for (let i = 0; i < s.length; i++, at += 2) view.setUint16(at, s.charCodeAt(i), littleEndian);
  return out;
}

/** Windows-1252 bytes of a string whose characters are ASCII or in the table. */
const CP1252: Record<string, number> = { é: 0xe9, ñ: 0xf1, Ü: 0xdc, ç: 0xe7, '’': 0x92, '€': 0x80 };
function cp1252(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : CP1252[c]!)));
}

function split(b: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(b.subarray(last, p));
    last = p;
  }
  out.push(b.subarray(last));
  return out;
}

async function decode(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: Parameters<typeof decodeChunks>[1] = {},
): Promise<string> {
  let text = '';
  for await (const piece of decodeChunks(chunks, opts)) text += piece;
  return text;
}

async function decodeWithEncodings(chunks: Iterable<Uint8Array>): Promise<[string, TextEncodingName[]]> {
  const seen: TextEncodingName[] = [];
  const text = await decode(chunks, { onEncoding: (e) => seen.push(e) });
  return [text, seen];
}

const PNG = [
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0,
];

describe('sniffEncoding', () => {
  it('detects BOMs', () => {
    expect(sniffEncoding(bytes([0xef, 0xbb, 0xbf], 'a'))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(sniffEncoding(utf16('a,b', true))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(sniffEncoding(utf16('a,b', false))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('tells UTF-8 from Windows-1252 without a BOM', () => {
    expect(sniffEncoding(utf8('Jos\u00e9,Pe\u00f1a'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(sniffEncoding(cp1252('Jos\u00e9,Pe\u00f1a'))).toEqual({ encoding: 'windows-1252', bomLength: 0 });
    expect(sniffEncoding(utf8('plain ascii'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
  });

  it('allows a UTF-8 character cut off at the end of the sample', () => {
    const full = utf8('abc\u20ac'); // € is 3 bytes
    expect(sniffEncoding(full.subarray(0, full.length - 1)).encoding).toBe('utf-8');
  });

  it('rejects overlong forms, surrogates and code points above U+10FFFF as UTF-8', () => {
    for (const bad of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
    ]) {
      expect(sniffEncoding(bytes('a', bad, 'b')).encoding, bad.join(' ')).toBe('windows-1252');
    }
  });

  it('recognises UTF-16 without a BOM', () => {
    expect(sniffEncoding(utf16('PersonalID,DOB\r\n', true, false))).toEqual({
      encoding: 'utf-16le',
      bomLength: 0,
    });
    expect(sniffEncoding(utf16('PersonalID,DOB\r\n', false, false))).toEqual({
      encoding: 'utf-16be',
      bomLength: 0,
    });
  });

  it('fails on 0 bytes with FILE_EMPTY', () => {
    expect(() => sniffEncoding(new Uint8Array(0), 'x.csv')).toThrow(
      expect.objectContaining({ code: 'FILE_EMPTY', message: 'x.csv: file is empty (0 bytes)' }),
    );
  });

  it('fails on binary data with FILE_BINARY', () => {
    expect(() => sniffEncoding(Uint8Array.from(PNG), 'photo.csv')).toThrow(
      expect.objectContaining({
        code: 'FILE_BINARY',
        message: expect.stringMatching(/^photo\.csv: not a text file/),
      }),
    );
    expect(() => sniffEncoding(bytes('ID,Name\r\n1,A', [0], 'B\r\n'))).toThrow(
      expect.objectContaining({ code: 'FILE_BINARY' }),
    );
    const controls = Uint8Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0x01 : 0x41));
    expect(() => sniffEncoding(controls)).toThrow(expect.objectContaining({ code: 'FILE_BINARY' }));
    expect(() => sniffEncoding(bytes([0xff, 0xfe], [0x41, 0, 0, 0, 0x42, 0]))).toThrow(
      expect.objectContaining({ code: 'FILE_BINARY' }),
    );
  });

  it('fails on random bytes with NULs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 512 }), fc.nat(), (random, at) => {
        const b = random.slice();
        b[(at % (b.length - 4)) + 4] = 0; // at least one NUL, not where a BOM would be
        b[3] = 0x80; // and not BOM-less UTF-16 text
        if (b[0]! >= 0xef) b[0] = 0x41; // no byte-order mark either: FE FF + U+0001… is UTF-16 text
        expect(() => sniffEncoding(b)).toThrow(expect.objectContaining({ code: 'FILE_BINARY' }));
      }),
    );
  });

  it('accepts the control bytes text files do contain', () => {
    expect(sniffEncoding(bytes('a\tb\r\nc\fd\n', [0x1a])).encoding).toBe('utf-8');
  });
});

describe('decodeChunks', () => {
  it('decodes UTF-8 with and without a BOM, dropping the BOM', async () => {
    expect(await decode([bytes([0xef, 0xbb, 0xbf], 'Jos\u00e9,\u2019\r\n')])).toBe('Jos\u00e9,\u2019\r\n');
    expect(await decode([utf8('Jos\u00e9,\u2019\r\n')])).toBe('Jos\u00e9,\u2019\r\n');
  });

  it('decodes UTF-16LE and UTF-16BE with a BOM', async () => {
    const text = 'PersonalID,LastName\r\n1,Pe\u00f1a \u2019 \u{1f600}\r\n';
    expect(await decode([utf16(text, true)])).toBe(text);
    expect(await decode([utf16(text, false)])).toBe(text);
  });

  it('decodes Windows-1252 (é = 0xE9, ’ = 0x92)', async () => {
    const b = bytes('LastName\r\nP', [0xe9], 'rez O', [0x92], 'Neil\r\n');
    const [text, seen] = await decodeWithEncodings([b]);
    expect(text).toBe('LastName\r\nP\u00e9rez O\u2019Neil\r\n');
    expect(seen).toEqual(['windows-1252']);
  });

  it('decodes every Windows-1252 byte 0x80-0x9F, however the bytes are passed', async () => {
    const c1 = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    const expected =
      '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
      '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
    expect(await decode([c1])).toBe(expected);
    expect(await decode([bytes('ab', c1).subarray(2)])).toBe(expected);
    expect(await decode([...c1].map((b) => Uint8Array.of(b)))).toBe(expected);
    expect(await decode([utf8('a')], { encoding: 'windows-1252' })).toBe('a');
  });

  it('decodes a character split across chunks and a BOM split across chunks', async () => {
    const b = bytes([0xef, 0xbb, 0xbf], 'a\u20acb\u{1f600}');
    for (let p = 0; p <= b.length; p++) {
      expect(await decode([b.subarray(0, p), b.subarray(p)])).toBe('a\u20acb\u{1f600}');
    }
    expect(await decode([...b].map((x) => Uint8Array.of(x)))).toBe('a\u20acb\u{1f600}');
  });

  it('switches to Windows-1252 without loss when the first non-ASCII byte after 64 KiB is not UTF-8', async () => {
    const ascii = 'x'.repeat(SNIFF_BYTES + 100);
    const b = bytes(ascii, '\r\nJos', [0xe9], '\r\nO', [0x92], 'Neil');
    for (const size of [1000, 4096, 65536, 70000]) {
      const chunks = split(
        b,
        Array.from({ length: Math.ceil(b.length / size) }, (_, i) => i * size),
      );
      const [text, seen] = await decodeWithEncodings(chunks);
      expect(text).toBe(`${ascii}\r\nJos\u00e9\r\nO\u2019Neil`);
      expect(seen).toEqual(['utf-8', 'windows-1252']);
    }
  });

  it('switches too when the bad byte ends the file', async () => {
    expect(await decode([utf8('x'.repeat(SNIFF_BYTES)), bytes('caf', [0xe9])])).toBe(
      `${'x'.repeat(SNIFF_BYTES)}caf\u00e9`,
    );
  });

  it('fails with FILE_ENCODING and the byte offset when UTF-8 and other bytes are mixed', async () => {
    const head = `${'x'.repeat(SNIFF_BYTES)}Jos\u00e9\r\n`;
    const at = utf8(head).length + 3;
    const b = bytes(head, 'Jos', [0xe9], 'abc\r\n');
    await expect(decode(split(b, [1000, SNIFF_BYTES + 1]), { label: 'members.csv' })).rejects.toThrow(
      expect.objectContaining({
        code: 'FILE_ENCODING',
        message: expect.stringMatching(
          new RegExp(`^members\\.csv: not valid UTF-8 at byte ${at}, .*re-save`),
        ),
      }),
    );
  });

  it('fails with FILE_ENCODING when the mix shows within the first 64 KiB', async () => {
    await expect(decode([bytes('Jos\u00e9,Jos', [0xe9], 'x')])).rejects.toMatchObject({
      code: 'FILE_ENCODING',
    });
  });

  it('does not second-guess a BOM or an explicit encoding', async () => {
    const b = bytes([0xef, 0xbb, 0xbf], 'x'.repeat(SNIFF_BYTES), [0xe9], 'x');
    await expect(decode([b])).rejects.toMatchObject({
      code: 'FILE_ENCODING',
      message: expect.stringContaining(`byte ${SNIFF_BYTES + 3}`),
    });
    await expect(decode([bytes('abc', [0xe9], 'd')], { encoding: 'utf-8' })).rejects.toMatchObject({
      code: 'FILE_ENCODING',
    });
  });

  it('uses an explicit encoding and strips only its own BOM', async () => {
    expect(await decode([utf8('Jos\u00e9')], { encoding: 'windows-1252' })).toBe('Jos\u00c3\u00a9');
    expect(await decode([utf16('ab', true)], { encoding: 'utf-16le' })).toBe('ab');
    expect(await decode([bytes([0xef, 0xbb, 0xbf], 'ab')], { encoding: 'utf-8' })).toBe('ab');
  });

  it('fails on a UTF-8 file that ends inside a character', async () => {
    const b = bytes('Jos\u00e9,', utf8('\u20ac').subarray(0, 2));
    await expect(decode([b])).rejects.toMatchObject({
      code: 'FILE_TRUNCATED',
      message: expect.stringContaining('byte 6'),
    });
  });

  it('fails on a UTF-16 file with an odd number of bytes or a lone surrogate', async () => {
    const odd = utf16('ab', true);
    await expect(decode([bytes(odd, [0x41])])).rejects.toMatchObject({ code: 'FILE_TRUNCATED' });
    await expect(decode([bytes([0xff, 0xfe], [0x00, 0xd8, 0x41, 0x00])])).rejects.toMatchObject({
      code: 'FILE_ENCODING',
    });
  });

  it('fails on empty input and binary input', async () => {
    await expect(decode([])).rejects.toMatchObject({ code: 'FILE_EMPTY' });
    await expect(decode([new Uint8Array(0), new Uint8Array(0)])).rejects.toMatchObject({
      code: 'FILE_EMPTY',
    });
    await expect(decode([Uint8Array.from(PNG)])).rejects.toMatchObject({ code: 'FILE_BINARY' });
    await expect(decode([Uint8Array.from(PNG)], { encoding: 'windows-1252' })).rejects.toMatchObject({
      code: 'FILE_BINARY',
    });
  });

  it('yields nothing for a file that is only a BOM', async () => {
    expect(await decode([bytes([0xef, 0xbb, 0xbf])])).toBe('');
  });

  it('copies buffered chunks, so a source may reuse its buffer', async () => {
    const buffer = new Uint8Array(4);
    function* reusing() {
      for (const part of ['ab,c', 'd\r\n1', ',2\r\n']) {
        buffer.set(utf8(part.padEnd(4, ' ')));
        yield buffer.subarray(0, part.length);
      }
    }
    expect(await decode(reusing())).toBe('ab,cd\r\n1,2\r\n');
  });

  it('rejects an unknown encoding name', async () => {
    await expect(decode([utf8('a')], { encoding: 'latin1' as TextEncodingName })).rejects.toThrow(RangeError);
  });

  it('rejects chunks that are not bytes', async () => {
    await expect(decode(['abc' as unknown as Uint8Array])).rejects.toThrow(TypeError);
  });

  it('decodes large chunks in pieces of at most 64 KiB', async () => {
    const pieces: string[] = [];
    for await (const piece of decodeChunks([utf8('y'.repeat(3 * 1024 * 1024 + 5))])) pieces.push(piece);
    expect(pieces.length).toBeGreaterThanOrEqual(48);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(SNIFF_BYTES);
    expect(pieces.join('')).toHaveLength(3 * 1024 * 1024 + 5);
  });
});

describe('decodeChunks properties', () => {
  // Text as it occurs in CSV files: no control characters other than TAB/CR/LF, no leading BOM.
  const text = fc
    .string({ unit: 'binary', minLength: 1, maxLength: 80 })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test removes the control characters the sniffer treats as binary, so it names them
    .map((s) => s.replace(/[\u0000-\u0008\u000b-\u001f\ufeff]/g, 'x'));

  it('gives the same UTF-8 text for any split', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 8 }), async (s, cuts) => {
        expect(await decode(split(utf8(s), cuts))).toBe(s);
      }),
    );
  });

  it('gives the same UTF-16 text for any split', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), async (s, le, cuts) => {
        expect(await decode(split(utf16(s, le), cuts))).toBe(s);
      }),
    );
  });

  it('gives the same Windows-1252 text for any split', async () => {
    const latin = fc
      .array(fc.constantFrom('a', 'Z', ',', '"', '\r\n', ' ', 'é', 'ñ', 'Ü', 'ç'), {
        minLength: 1,
        maxLength: 60,
      })
      .map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(latin, fc.array(fc.nat(), { maxLength: 8 }), async (s, cuts) => {
        expect(await decode(split(cp1252(s), cuts))).toBe(s);
      }),
    );
  });

  it('never throws anything but a BloomlinkError on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (b, cuts) => {
          try {
            await decode(split(b, cuts));
          } catch (e) {
            expect(e).toBeInstanceOf(BloomlinkError);
          }
        },
      ),
    );
  });
});
