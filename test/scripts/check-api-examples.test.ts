import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ENTRIES,
  type ExportedNames,
  exampleBlocks,
  importsFor,
  namesOf,
} from '../../scripts/check-api-examples.js';

const root = join(import.meta.dirname, '..', '..');

describe('check-api-examples: the entry points', () => {
  it("are the package's exports (package.json), the root entry first", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const exported = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => (k === '.' ? 'bloomlink' : `bloomlink/${k.slice(2)}`));
    expect(ENTRIES.map((e) => e.specifier).sort()).toEqual(exported.sort());
    expect(ENTRIES[0]).toEqual({ specifier: 'bloomlink', file: 'src/index.ts' });
  });
});

describe('check-api-examples: the @example blocks of a TSDoc comment', () => {
  it('takes the ts blocks under @example only, without the comment stars, with their offset', () => {
    const comment = [
      '/**',
      ' * Summary with a block that is not an example:',
      ' * ```ts',
      ' * notAnExample();',
      ' * ```',
      ' * @example',
      ' * ```ts',
      ' * const a = f(1);',
      ' *   indented();',
      ' * ```',
      ' * @returns something',
      ' * ```ts',
      ' * notAnExampleEither();',
      ' * ```',
      ' */',
    ].join('\n');
    expect(exampleBlocks(comment)).toEqual([{ offset: 7, code: 'const a = f(1);\n  indented();' }]);
  });
});

describe('check-api-examples: the import lines an example needs', () => {
  const exported: ExportedNames = new Map([
    ['readClients', [{ specifier: 'bloomlink', typeOnly: false }]],
    ['EncodedBatch', [{ specifier: 'bloomlink', typeOnly: true }]],
    ['parseKey', [{ specifier: 'bloomlink/encode', typeOnly: false }]],
    [
      'MEMBER_COLUMNS',
      [
        { specifier: 'bloomlink', typeOnly: false },
        { specifier: 'bloomlink/synth', typeOnly: false },
      ],
    ],
  ]);

  it('finds used names, and names bound by imports and top-level declarations', () => {
    const { used, bound } = namesOf(
      "import { a } from 'x';\nconst { b, c: [d] } = a(e);\nfunction f() {}\nclass G {}\nf(h);",
    );
    expect([...bound].sort()).toEqual(['G', 'a', 'b', 'd', 'f']);
    for (const n of ['a', 'e', 'h', 'f']) expect(used.has(n)).toBe(true);
  });

  it('imports each exported name used, types with `type`, grouped by entry in entry order', () => {
    const code = 'const k = parseKey(keyHex);\nconst r = await readClients(bytes);\nlet b: EncodedBatch;';
    expect(importsFor(code, exported, 'bloomlink')).toBe(
      "import { type EncodedBatch, readClients } from 'bloomlink';\nimport { parseKey } from 'bloomlink/encode';",
    );
  });

  it('leaves out names the example imports or declares itself', () => {
    const code = "import { readClients } from 'bloomlink';\nconst parseKey = 1;\nreadClients(bytes);";
    expect(importsFor(code, exported, 'bloomlink')).toBe('');
  });

  it("prefers the example's own entry when two entries export a name", () => {
    expect(importsFor('MEMBER_COLUMNS;', exported, 'bloomlink/synth')).toBe(
      "import { MEMBER_COLUMNS } from 'bloomlink/synth';",
    );
    expect(importsFor('MEMBER_COLUMNS;', exported, 'bloomlink/node')).toBe(
      "import { MEMBER_COLUMNS } from 'bloomlink';",
    );
  });
});
