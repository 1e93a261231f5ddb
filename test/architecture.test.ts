/**
 * The layout's rules, checked on the real import graph of src/ (see architecture.ts for the table):
 * no lower layer imports a higher one, only the CLI, the key-taking entry points and the attack
 * simulations import src/encode/, and no keyless module (reading, the encoded-file format, matching,
 * outputs, the report, the root entry) reaches code that takes or derives a key.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOWED, areaOf, checkArchitecture, type ModuleImports, readImportGraph } from './architecture.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const graph = readImportGraph(SRC);

/** The real graph with one more import. */
function withImport(file: string, target: string, pkg = false): ModuleImports[] {
  return graph.map((m) =>
    m.file === file
      ? { ...m, ...(pkg ? { packages: [...m.packages, target] } : { files: [...m.files, target] }) }
      : m,
  );
}

describe('architecture', () => {
  it('reads the whole of src/', () => {
    expect(graph.length).toBeGreaterThan(200);
    expect(graph.find((m) => m.file === 'index.ts')?.files).toContain('match/api.ts');
    // Dynamic imports count too (apache-arrow is loaded on first use).
    expect(graph.find((m) => m.file === 'util/arrow.ts')?.packages).toContain('apache-arrow');
  });

  it('holds on the real import graph', () => {
    expect(checkArchitecture(graph)).toEqual([]);
  });

  it('puts every folder of src/ in the table', () => {
    const areas = new Set(graph.map((m) => areaOf(m.file)));
    for (const a of areas) expect(Object.keys(ALLOWED), a).toContain(a);
  });

  it('fails when a keyless module imports the key folder', () => {
    expect(checkArchitecture(withImport('match/api.ts', 'encode/key.ts'))).toEqual(
      expect.arrayContaining([
        'match/api.ts imports encode/key.ts: match may not import encode',
        expect.stringMatching(/^match\/api\.ts \(keyless\) reaches key-taking code/),
        expect.stringMatching(/^index\.ts \(keyless\) reaches key-taking code: match\/api\.ts/),
      ]),
    );
  });

  it('fails when a keyless module reaches HMAC or HKDF through a package', () => {
    const problems = checkArchitecture(withImport('report/html.ts', '@noble/hashes/hmac', true));
    expect(problems).toContain('report/html.ts (keyless) reaches key-taking code: @noble/hashes/hmac');
  });

  it('fails when a lower layer imports a higher one', () => {
    expect(checkArchitecture(withImport('read/csv.ts', 'match/match.ts'))).toContain(
      'read/csv.ts imports match/match.ts: read may not import match',
    );
    expect(checkArchitecture(withImport('records.ts', 'read/csv.ts'))).toContain(
      'records.ts imports read/csv.ts: base may not import read',
    );
  });

  it('fails when browser-safe code imports a Node built-in outside a .node.ts file', () => {
    expect(checkArchitecture(withImport('compare/compare.ts', 'node:fs', true))).toContain(
      'compare/compare.ts imports node:fs: compare must run in browsers (put it in a .node.ts file)',
    );
    expect(checkArchitecture(withImport('read/source.node.ts', 'node:fs', true))).not.toContain(
      expect.stringMatching(/^read\/source\.node\.ts imports node:fs/),
    );
  });

  it('fails on a file outside the known areas', () => {
    const graph2 = [...graph, { file: 'misc/helper.ts', files: [], packages: [] }];
    expect(checkArchitecture(graph2)).toContain(
      'misc/helper.ts: not in a known area (add its folder to ALLOWED)',
    );
  });
});
