import { describe, expect, it } from 'vitest';
import { classifyInput, objectFields } from '../../src/read/input.js';

describe('classifyInput', () => {
  it('tells bytes from objects, peeking into iterables', async () => {
    expect((await classifyInput(new Uint8Array([65]))).type).toBe('bytes');
    expect((await classifyInput(new ArrayBuffer(1))).type).toBe('bytes');
    expect((await classifyInput(new Blob(['a']))).type).toBe('bytes');
    expect((await classifyInput([new Uint8Array([65])])).type).toBe('bytes');
    const objects = await classifyInput([{ a: 1 }, { a: 2 }]);
    expect(objects.type).toBe('objects');
    if (objects.type === 'objects') {
      expect(objects.first).toEqual({ a: 1 });
      expect(await objects.rest.next()).toEqual({ done: false, value: { a: 2 } });
      expect((await objects.rest.next()).done).toBe(true);
    }
    const empty = await classifyInput([]);
    expect(empty).toMatchObject({ type: 'objects' });
    expect(empty.type === 'objects' && empty.first).toBe(undefined);
  });

  it('keeps the peeked chunk of a byte iterable', async () => {
    const c = await classifyInput([new Uint8Array([1]), new Uint8Array([2, 3])]);
    const chunks: number[][] = [];
    if (c.type === 'bytes') for await (const ch of c.bytes as AsyncIterable<Uint8Array>) chunks.push([...ch]);
    expect(chunks).toEqual([[1], [2, 3]]);
  });

  it('rejects strings and non-iterables', async () => {
    await expect(classifyInput('a,b\n1,2' as never)).rejects.toThrow(TypeError);
    await expect(classifyInput({} as never)).rejects.toThrow(TypeError);
    await expect(classifyInput(null as never)).rejects.toThrow(TypeError);
    await expect(classifyInput([42] as never)).rejects.toThrow('input[0] must be a plain object');
  });
});

describe('objectFields', () => {
  const columns = ['ID', 'DOB', 'N'];
  const at = (k: string) => columns.findIndex((c) => c.toLowerCase() === k.toLowerCase());

  it('maps keys to positions and converts values; absent and null are not given', () => {
    expect(
      objectFields({ id: 12n, dob: new Date('1980-02-03'), other: {}, n: true }, 0, 3, at, columns),
    ).toEqual(['12', '1980-02-03', 'true']);
    expect(objectFields({ ID: null }, 0, 3, at, columns)).toEqual([undefined, undefined, undefined]);
  });

  it('reads local-midnight Dates in local time and invalid Dates as unparseable text', () => {
    expect(objectFields({ dob: new Date(1981, 2, 4) }, 0, 3, at, columns)[1]).toBe('1981-03-04');
    expect(objectFields({ dob: new Date('nope') }, 0, 3, at, columns)[1]).toBe('invalid date');
  });

  it('names position and column of a bad value, never the value', () => {
    expect(() => objectFields({ n: ['secret'] }, 4, 3, at, columns)).toThrow(
      'input[4].N must be a string, number, Date, null or undefined',
    );
    expect(() => objectFields(['secret'], 4, 3, at, columns)).toThrow('input[4] must be a plain object');
  });
});

describe('classifyInput on empty sources', () => {
  it('an empty array is objects, an empty generator is bytes (an empty file)', async () => {
    expect((await classifyInput([])).type).toBe('objects');
    async function* none(): AsyncGenerator<Uint8Array> {}
    expect((await classifyInput(none())).type).toBe('bytes');
    expect((await classifyInput(new Set<Uint8Array>())).type).toBe('bytes');
  });
});
