/**
 * `RecordEncoder.buildSelf` writes an SSN or member-ID entry from the root key alone; the encoder
 * refuses to be built if a source of such a root stops being the key itself. The sources module is
 * replaced here (file-wide) by one whose chosen root derives a source of its own.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { RootSources } from '../../src/encode/sources.js';
import { BloomlinkError } from '../../src/errors.js';

const change = vi.hoisted(() => ({ root: '', what: '' as 'value' | 'part' | 'parts' }));

vi.mock('../../src/encode/sources.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/encode/sources.js')>();
  return {
    ...real,
    rootSources: (
      root: Parameters<typeof real.rootSources>[0],
      key: Parameters<typeof real.rootSources>[1],
    ) => {
      const src = real.rootSources(root, key);
      if (root !== change.root) return src;
      const [name] = Object.keys(src.parts) as (keyof RootSources['parts'])[];
      const value = `${String(key)}0`; // a source derived from the key, not the key itself
      if (change.what === 'value') return { ...src, values: { ...src.values, [root]: value } };
      const parts = change.what === 'part' ? [value] : [String(key), value];
      return { ...src, parts: { ...src.parts, [name!]: parts } };
    },
  };
});

const KEY = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');

describe('RecordEncoder, roots built from their key alone', () => {
  afterEach(() => {
    change.root = '';
  });

  it('builds with the sources as they are', () => {
    expect(() => new RecordEncoder(KEY, { party: 'mcp' })).not.toThrow();
  });

  it.each([
    ['ssn', 'value', "feature 'ssn' of root 'ssn'"],
    ['ssn', 'part', "blocking part 'ssn' of root 'ssn'"],
    ['memberId', 'value', "feature 'memberId' of root 'memberId'"],
    ['memberId', 'parts', "blocking part 'memberId' of root 'memberId'"],
  ] as const)('refuses a %s root whose %s is not the key itself', (root, what, message) => {
    change.root = root;
    change.what = what;
    let error: unknown;
    try {
      new RecordEncoder(KEY, { party: 'mcp' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BloomlinkError);
    expect((error as BloomlinkError).code).toBe('INTERNAL');
    expect((error as BloomlinkError).message).toContain(message);
    expect((error as BloomlinkError).message).toContain('buildSelf');
  });
});
