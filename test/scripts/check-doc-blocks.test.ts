import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, extractBlocks, isRunPage } from '../../scripts/check-doc-blocks.js';

const root = join(import.meta.dirname, '..', '..');

describe('check-doc-blocks: extracting the code blocks of a page', () => {
  it('reads the language, the flags and indented fences; skips blocks without a language', () => {
    const md = [
      '# Title',
      '```',
      '$ bloomlink --help',
      '```',
      '1. A step:',
      '',
      '   ```sh norun',
      '   npm pack',
      '     indented more',
      '   ```',
      '````ts fragment',
      'const x = `a`;',
      '```',
      'still inside',
      '````',
      '```powershell',
      'Copy-Item a b',
      '```',
    ].join('\n');
    const blocks = extractBlocks(md, 'docs/guides/x.md');
    expect(blocks.map((b) => [b.line, b.lang, [...b.flags].join(' '), b.code])).toEqual([
      [7, 'sh', 'norun', 'npm pack\n  indented more'],
      [11, 'ts', 'fragment', 'const x = `a`;\n```\nstill inside'],
      [16, 'powershell', '', 'Copy-Item a b'],
    ]);
  });

  it('refuses a flag it does not know (a typo would silently run or skip a block)', () => {
    expect(() => extractBlocks('```ts fragmnet\nx\n```\n', 'README.md')).toThrow(/unknown code-block flag/);
  });

  it('runs the blocks of README.md and the guides only', () => {
    expect(isRunPage('README.md')).toBe(true);
    expect(isRunPage('docs/guides/coc-administrator.md')).toBe(true);
    expect(isRunPage('docs/privacy.md')).toBe(false);
  });
});

describe("the docs' code blocks", () => {
  const blocks = docPages().flatMap((p) => extractBlocks(readFileSync(join(root, p), 'utf8'), p));

  it('are found in README.md and the guides, and every flag is known', () => {
    const pages = new Set(blocks.map((b) => b.doc));
    for (const p of ['README.md', 'docs/guides/coc-administrator.md', 'docs/guides/hmis-vendor.md'])
      expect(pages.has(p), p).toBe(true);
    expect(blocks.some((b) => b.lang === 'ts' && b.flags.size === 0 && isRunPage(b.doc))).toBe(true);
  });

  it('never install bloomlink from the registry (it is not published: the tarball from npm pack)', () => {
    for (const b of blocks.filter((x) => x.lang === 'sh' || x.lang === 'powershell'))
      for (const line of b.code.split('\n'))
        if (/\bnpm (install|i)\b/.test(line) && /bloomlink/.test(line))
          expect(line, `${b.doc}:${b.line}`).toMatch(/\.tgz\b/);
  });

  it('TypeScript blocks that run do not rely on top-level await in a CommonJS file (they are saved as .mts)', () => {
    // The pages that show runnable TypeScript say how to save it.
    for (const doc of new Set(
      blocks.filter((b) => b.lang === 'ts' && isRunPage(b.doc) && b.flags.size === 0).map((b) => b.doc),
    ))
      expect(readFileSync(join(root, doc), 'utf8'), doc).toMatch(/\.mts\b/);
  });
});
