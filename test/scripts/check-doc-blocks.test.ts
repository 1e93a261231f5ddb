import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkWindows,
  docPages,
  extractBlocks,
  isRunBlock,
  isRunPage,
} from '../../scripts/check-doc-blocks.js';

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

  it('runs a block flagged pwsh (checked as PowerShell too), not one flagged norun or fragment', () => {
    const md =
      '```sh pwsh\nnpm ci\n```\n```sh norun pwsh\nnpm ci\n```\n```ts fragment\nx;\n```\n```sh\nls\n```\n';
    expect(extractBlocks(md, 'README.md').map(isRunBlock)).toEqual([true, false, false, true]);
    expect(extractBlocks(md, 'docs/privacy.md').map(isRunBlock)).toEqual([false, false, false, false]);
  });
});

describe("the docs' code blocks", () => {
  const blocks = docPages().flatMap((p) => extractBlocks(readFileSync(join(root, p), 'utf8'), p));

  it('are found in README.md and the guides, and every flag is known', () => {
    const pages = new Set(blocks.map((b) => b.doc));
    for (const p of ['README.md', 'docs/guides/coc-administrator.md', 'docs/guides/hmis-vendor.md'])
      expect(pages.has(p), p).toBe(true);
    expect(blocks.some((b) => b.lang === 'ts' && isRunBlock(b))).toBe(true);
  });

  it('never install bloomlink from the registry (it is not published: the tarball from npm pack)', () => {
    for (const b of blocks.filter((x) => x.lang === 'sh' || x.lang === 'powershell'))
      for (const line of b.code.split('\n'))
        if (/\bnpm (install|i)\b/.test(line) && /bloomlink/.test(line))
          expect(line, `${b.doc}:${b.line}`).toMatch(/\.tgz\b/);
  });

  it('TypeScript blocks that run do not rely on top-level await in a CommonJS file (they are saved as .mts)', () => {
    // The pages that show runnable TypeScript say how to save it.
    for (const doc of new Set(blocks.filter((b) => b.lang === 'ts' && isRunBlock(b)).map((b) => b.doc)))
      expect(readFileSync(join(root, doc), 'utf8'), doc).toMatch(/\.mts\b/);
  });
});

describe('check-doc-blocks: the PowerShell a Windows reader follows (no pwsh needed)', () => {
  const page = (md: string) => extractBlocks(md, 'docs/guides/example.md');
  const problems = async (md: string) => (await checkWindows(page(md))).map((f) => `${f.where} ${f.message}`);

  it('passes the guides as they are', async () => {
    const blocks = docPages().flatMap((p) => extractBlocks(readFileSync(join(root, p), 'utf8'), p));
    expect(blocks.some((b) => b.lang === 'powershell')).toBe(true);
    expect(await checkWindows(blocks)).toEqual([]);
  });

  it('fails a block that does not parse, at its line', async () => {
    const found = await problems("```powershell\nnpm ci\nCopy-Item (Join-Path $S 'a.csv' .\n```\n");
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/^docs\/guides\/example\.md:3 PowerShell: syntax error/);
  });

  it('fails what Windows PowerShell 5.1 refuses, Windows-only aliases, unknown commands and parameters', async () => {
    const found = await problems(
      [
        '```powershell',
        'npm ci && npm test',
        'cp a.csv b.csv',
        'Copy-Item -Destinaton x a.csv',
        'curl https://example.org',
        'Copy-Item -Dest x -LP a.csv -WhatIf',
        '```',
      ].join('\n'),
    );
    expect(found).toEqual([
      expect.stringMatching(/:2 PowerShell: '&&' chains commands in PowerShell 7 only/),
      expect.stringMatching(/:3 PowerShell: 'cp' is an alias on Windows only/),
      expect.stringMatching(
        /:4 PowerShell: Copy-Item has no parameter -Destinaton \(https:\/\/learn\.microsoft\.com\//,
      ),
      expect.stringMatching(/:5 PowerShell: 'curl' is neither a cmdlet/),
    ]);
  });

  it("checks bloomlink's options with the CLI's parser, and commas that PowerShell turns into arrays", async () => {
    const found = await problems(
      '```powershell\nbloomlink keygen --outt k\nbloomlink match --coc a --mcp b\nbloomlink match --coc a --mcp b --out c --threshold 0.9,0.8\n```\n',
    );
    expect(found).toEqual([
      expect.stringMatching(/:4 PowerShell: '0\.9,0\.8': a comma makes an array/),
      expect.stringMatching(/:2 keygen: unknown option --outt/),
      expect.stringMatching(/:3 match: missing required option --out/),
      expect.stringMatching(/:4 match: --threshold needs a value/),
      expect.stringMatching(/:1 PowerShell block's bloomlink calls .* \(none before it\)/),
    ]);
  });

  it('compares a PowerShell block with the shell block it mirrors', async () => {
    const shell = '```sh\nbloomlink keygen --out k\nbloomlink encode --in a.csv --key k --out a.arrow\n```\n';
    expect(
      await problems(
        `${shell}\n\`\`\`powershell\nbloomlink keygen --out k\nbloomlink encode --in 'a.csv' --key k --out a.arrow\n\`\`\`\n`,
      ),
    ).toEqual([]);
    expect(await problems(`${shell}\n\`\`\`powershell\nbloomlink keygen --out k\n\`\`\`\n`)).toEqual([
      expect.stringMatching(/:6 PowerShell block's bloomlink calls \[keygen --out\] differ .* \(line 1\)/),
    ]);
  });

  it('wants every shell block of a page readers follow flagged pwsh or followed by its PowerShell', async () => {
    expect(await problems('```sh\nnpm ci\n```\n')).toEqual([
      expect.stringMatching(/:1 a shell block on a page readers follow has no PowerShell equivalent/),
    ]);
    expect(await problems('```sh pwsh\nnpm ci\n```\n')).toEqual([]);
    expect(await problems('```sh pwsh\nnpm ci && npm test\n```\n')).toEqual([
      expect.stringMatching(/:2 PowerShell: '&&'/),
    ]);
  });
});
