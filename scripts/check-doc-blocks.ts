/**
 * Every fenced code block of README.md and docs/**\/*.md, checked as a reader would use it: in a
 * fresh project made with a default `npm init -y`, which installs this package from the tarball
 * `npm pack` makes (never ../src), beside the bundled sample lists.
 *
 * - Blocks are chosen by their info string: `ts`/`typescript`/`js`/`javascript` (TypeScript and
 *   JavaScript), `sh`/`bash`/`shell` (a POSIX shell), `powershell`/`pwsh`/`ps1`. A block without a
 *   language (a terminal transcript, a file's first lines, a diagram) is not code and is left alone.
 * - Flags after the language: `fragment` marks an illustrative piece (names from the surrounding
 *   text, a browser worker's globals): it is type-checked with "cannot find name" errors tolerated,
 *   or, for a shell block, parsed (`bash -n`), and never run. `norun` marks complete code that the
 *   check does not run (installing the package, commands for a repository clone): type-checked in
 *   full, or parsed. `pwsh` on a shell block says it works in PowerShell as it is (the page says so):
 *   it is checked as PowerShell too (below). Everything else in README.md and docs/guides/ is **run**, block after block in
 *   the order of the page, in one folder per page holding what a reader starts with: the sample
 *   lists as `Client.csv` (HMIS FY2026), `clients.csv`, `members.csv`, `programs.csv`, `truth.csv`
 *   and the environment variable `SAMPLE` pointing at the installed package's `data/sample`.
 *   Blocks of other pages are checked but not run.
 * - TypeScript and JavaScript blocks are saved as `.mts`/`.mjs` files (ECMAScript modules, where top-level
 *   `await` works; a `.ts` file in a default `npm init -y` project is CommonJS and would stop on it,
 *   which is why the docs say to save examples as `.mts`), type-checked together with the project's
 *   `tsc` settings below (strict, `module: nodenext`) against the installed package's types, and run
 *   with tsx. Shell blocks run with `bash -eo pipefail`, the package's `bloomlink` command on PATH
 *   (as after the guides' install step). PowerShell blocks run with `pwsh` when it is installed
 *   (a Windows runner); otherwise the summary says they were not run.
 * - Windows, without `pwsh` (checkWindows, scripts/check-powershell.ts): `powershell` blocks and shell
 *   blocks flagged `pwsh` parse with the real PowerShell grammar, use known cmdlets with real
 *   parameters and allowed programs only, and nothing Windows PowerShell 5.1 refuses; every bloomlink
 *   command line of a shell or PowerShell block parses with the CLI's option parser; a `powershell`
 *   block makes the same bloomlink calls as the shell block before it; and each shell block of a
 *   page that is run is flagged `pwsh` or followed by its `powershell` block.
 *
 * Usage (after `npm run build`): npx tsx scripts/check-doc-blocks.ts [--no-run] [--keep] [FILE.md ...]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callShape, checkBloomlinkCall, checkPowerShell, shellBloomlinkCalls } from './check-powershell.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** One fenced block of a Markdown page. */
export interface DocBlock {
  /** Page, relative to the repository. */
  readonly doc: string;
  /** Line of the opening fence (1-based). */
  readonly line: number;
  readonly lang: 'ts' | 'js' | 'sh' | 'powershell';
  readonly flags: ReadonlySet<string>;
  readonly code: string;
}

const LANGS: Readonly<Record<string, DocBlock['lang']>> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
  powershell: 'powershell',
  pwsh: 'powershell',
  ps1: 'powershell',
};
const FLAGS = new Set(['fragment', 'norun', 'pwsh']);

/**
 * The code blocks of one page, in order. Indented fences (inside list items) are read with their
 * indentation removed; a fence of another language, or none, is skipped.
 * @example
 * ```ts
 * extractBlocks('# T\n```ts fragment\nfoo();\n```\n', 'README.md'); // [{ lang: 'ts', line: 2, … }]
 * ```
 */
export function extractBlocks(markdown: string, doc: string): DocBlock[] {
  const lines = markdown.split(/\r?\n/);
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', info = '', rest = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      const t = l.trim();
      if (t.length >= fence.length && t === fence[0]!.repeat(t.length)) break;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
    }
    const lang = LANGS[info.toLowerCase()];
    if (lang !== undefined) {
      const flags = new Set(rest.split(/\s+/).filter(Boolean));
      for (const f of flags)
        if (!FLAGS.has(f))
          throw new Error(`${doc}:${i + 1}: unknown code-block flag '${f}' (fragment, norun, pwsh)`);
      out.push({ doc, line: i + 1, lang, flags, code: body.join('\n') });
    }
    i = j;
  }
  return out;
}

/** README.md and every page under docs/ but the generated API reference. */
export function docPages(): string[] {
  const pages = ['README.md'];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (rel !== 'docs/api') walk(rel);
      } else if (e.name.endsWith('.md')) pages.push(rel);
    }
  };
  walk('docs');
  return pages;
}

/** Whether a page's unflagged blocks are run (the pages a new user follows literally). */
export function isRunPage(doc: string): boolean {
  return doc === 'README.md' || doc.startsWith('docs/guides/');
}

/**
 * Whether a block is run: on a page that is run, and flagged neither `fragment` nor `norun` (`pwsh`
 * adds the PowerShell check, and the block still runs).
 * @example
 * ```ts
 * isRunBlock(extractBlocks('```sh pwsh\nbloomlink keygen --out k\n```\n', 'README.md')[0]!); // true
 * ```
 */
export function isRunBlock(b: DocBlock): boolean {
  return isRunPage(b.doc) && !b.flags.has('fragment') && !b.flags.has('norun');
}

/** TypeScript errors a fragment may have: names its surrounding text defines. */
const FRAGMENT_TOLERATED = new Set(['TS2304', 'TS2552', 'TS2583']);

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    types: ['node'],
  },
  include: ['blocks/*'],
};

function slug(doc: string): string {
  return doc.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
}

function fileName(b: DocBlock): string {
  return `${slug(b.doc)}-L${b.line}.${b.lang === 'ts' ? 'mts' : 'mjs'}`;
}

function sh(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: env ?? process.env });
}

/** The fresh project: `npm init -y`, then `npm install <tarball>`. */
function makeProject(dir: string): string {
  const packed = join(dir, 'pack');
  mkdirSync(packed);
  sh('npm', ['pack', '--silent', '--pack-destination', packed], root);
  const tarball = readdirSync(packed).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack made no tarball');
  const project = join(dir, 'project');
  mkdirSync(project);
  sh('npm', ['init', '-y'], project);
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(packed, tarball)], project);
  // A TypeScript user adds @types/node; take this repository's instead of downloading it.
  if (!existsSync(join(project, 'node_modules/@types/node'))) {
    mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'), 'dir');
  }
  return project;
}

/** A problem found, at `page:line`. */
export interface Failure {
  readonly where: string;
  readonly message: string;
}

function typeCheck(project: string, blocks: readonly DocBlock[]): Failure[] {
  const dir = join(project, 'blocks');
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, DocBlock>();
  for (const b of blocks) {
    // `export {}`: every block is a module of its own (no clashes between blocks' names).
    writeFileSync(join(dir, fileName(b)), `${b.code}\nexport {};\n`);
    byFile.set(fileName(b), b);
  }
  writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], {
    cwd: project,
    encoding: 'utf8',
  });
  const failures: Failure[] = [];
  for (const line of `${r.stdout}${r.stderr}`.split('\n')) {
    const m = /^blocks\/([^(]+)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim());
    if (!m) {
      if (/error TS/.test(line)) failures.push({ where: 'tsc', message: line.trim() });
      continue;
    }
    const b = byFile.get(m[1]!);
    if (!b) continue;
    if (b.flags.has('fragment') && FRAGMENT_TOLERATED.has(m[4]!)) continue;
    failures.push({ where: `${b.doc}:${b.line + Number(m[2])}`, message: `${m[4]}: ${m[5]}` });
  }
  return failures;
}

function parseShell(blocks: readonly DocBlock[], dir: string): Failure[] {
  const failures: Failure[] = [];
  for (const b of blocks.filter((x) => x.lang === 'sh')) {
    const file = join(dir, `${slug(b.doc)}-L${b.line}.sh`);
    writeFileSync(file, `${b.code}\n`);
    const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    if (r.status !== 0) failures.push({ where: `${b.doc}:${b.line}`, message: r.stderr.trim() });
  }
  return failures;
}

/** A page's folder: what a reader of the guides starts with. */
function workspace(project: string, doc: string): string {
  const dir = join(project, 'run', slug(doc));
  mkdirSync(dir, { recursive: true });
  const sample = join(project, 'node_modules/bloomlink/data/sample');
  copyFileSync(join(sample, 'hmis-fy2026/Client.csv'), join(dir, 'Client.csv'));
  for (const f of ['clients.csv', 'members.csv', 'programs.csv', 'truth.csv'])
    copyFileSync(join(sample, f), join(dir, f));
  return dir;
}

function runBlocks(project: string, blocks: readonly DocBlock[], pwsh: boolean): Failure[] {
  const failures: Failure[] = [];
  const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
  const env = {
    ...process.env,
    PATH: `${join(project, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
    SAMPLE: join(project, 'node_modules/bloomlink/data/sample'),
    NO_COLOR: '1',
  };
  const pages = [...new Set(blocks.map((b) => b.doc))];
  for (const doc of pages) {
    const dir = workspace(project, doc);
    for (const b of blocks.filter((x) => x.doc === doc)) {
      const started = performance.now();
      let r: ReturnType<typeof spawnSync>;
      if (b.lang === 'sh') r = spawnSync('bash', ['-eo', 'pipefail', '-c', b.code], { cwd: dir, env });
      else if (b.lang === 'powershell') {
        if (!pwsh) continue;
        r = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command', b.code], { cwd: dir, env });
      } else {
        const file = join(dir, fileName(b));
        writeFileSync(file, `${b.code}\n`);
        r = spawnSync(process.execPath, [tsx, file], { cwd: dir, env });
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (r.status === 0) console.log(`ok   run ${b.doc}:${b.line} (${b.lang}, ${seconds} s)`);
      else {
        const text = `${String(r.stderr ?? '')}${String(r.stdout ?? '')}`
          .trim()
          .split('\n')
          .slice(-15)
          .join('\n');
        failures.push({ where: `${b.doc}:${b.line}`, message: `exit ${r.status ?? r.signal}\n${text}` });
        console.error(`FAIL run ${b.doc}:${b.line} (${b.lang}, ${seconds} s)`);
      }
    }
  }
  return failures;
}

/**
 * The PowerShell a Windows reader follows, proven as far as a machine without `pwsh` can
 * (scripts/check-powershell.ts): every `powershell` block, and every shell block flagged `pwsh` (the
 * page says it works in PowerShell as it is), parses with the PowerShell grammar, runs only known
 * cmdlets (with real parameters) and allowed programs, and is Windows PowerShell 5.1; every
 * bloomlink command line of any shell or PowerShell block parses with the CLI's own option parser; a
 * `powershell` block makes the same bloomlink calls (command and options, in order) as the shell
 * block before it, which it mirrors; and on the pages that are run, every shell block is either
 * flagged `pwsh` or followed by the `powershell` block that mirrors it.
 * @example
 * ```ts
 * await checkWindows(extractBlocks('```powershell\nbloomlink keygen --outt k\n```\n', 'README.md'));
 * // [{ where: 'README.md:2', message: 'keygen: unknown option --outt' }]
 * ```
 */
export async function checkWindows(blocks: readonly DocBlock[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  const shellLike = blocks.filter((b) => b.lang === 'sh' || b.lang === 'powershell');
  for (const [i, b] of shellLike.entries()) {
    const where = (line: number): string => `${b.doc}:${b.line + line}`;
    const checkCalls = async (calls: readonly { line: number; args: readonly string[] }[]): Promise<void> => {
      for (const c of calls) {
        const problem = await checkBloomlinkCall(c.args);
        if (problem) failures.push({ where: where(c.line), message: problem });
      }
    };
    if (b.lang === 'sh') await checkCalls(shellBloomlinkCalls(b.code));
    if (b.lang === 'powershell' || b.flags.has('pwsh')) {
      const { problems, calls } = await checkPowerShell(b.code);
      for (const p of problems) failures.push({ where: where(p.line), message: `PowerShell: ${p.message}` });
      if (b.lang === 'powershell') await checkCalls(calls);
      if (b.lang === 'powershell') {
        const mirrored = shellLike.slice(0, i).findLast((x) => x.doc === b.doc && x.lang === 'sh');
        const mine = calls.map((c) => callShape(c.args));
        const theirs = mirrored ? shellBloomlinkCalls(mirrored.code).map((c) => callShape(c.args)) : [];
        if (mine.join('\n') !== theirs.join('\n'))
          failures.push({
            where: where(0),
            message:
              `PowerShell block's bloomlink calls [${mine.join('; ')}] differ from those of the shell block it mirrors` +
              `${mirrored ? ` (line ${mirrored.line})` : ' (none before it)'}: [${theirs.join('; ')}]`,
          });
      }
    }
    const next = shellLike[i + 1];
    if (
      b.lang === 'sh' &&
      isRunPage(b.doc) &&
      !b.flags.has('pwsh') &&
      !(next && next.doc === b.doc && next.lang === 'powershell')
    )
      failures.push({
        where: where(0),
        message:
          'a shell block on a page readers follow has no PowerShell equivalent: flag it `pwsh` if it works in PowerShell as it is, or follow it with a `powershell` block',
      });
  }
  return failures;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const noRun = args.includes('--no-run');
  const keep = args.includes('--keep');
  const only = args.filter((a) => !a.startsWith('--'));
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('build the package first (npm run build)');
  const pages = only.length > 0 ? only.map((p) => relative(root, join(root, p))) : docPages();
  const blocks = pages.flatMap((p) => extractBlocks(readFileSync(join(root, p), 'utf8'), p));
  const code = blocks.filter((b) => b.lang === 'ts' || b.lang === 'js');
  const toRun = blocks.filter(isRunBlock);
  const pwsh = spawnSync('pwsh', ['-Version'], { stdio: 'ignore' }).status === 0;
  console.log(
    `${blocks.length} code blocks in ${pages.length} pages: ${code.length} TypeScript/JavaScript, ` +
      `${blocks.filter((b) => b.lang === 'sh').length} shell, ${blocks.filter((b) => b.lang === 'powershell').length} PowerShell; ` +
      `${toRun.length} to run`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'bloomlink-doc-blocks-'));
  const failures: Failure[] = [];
  try {
    const project = makeProject(dir);
    console.log(`fresh project (npm init -y; npm install ${basename(dir)}/pack/bloomlink-*.tgz): ${project}`);
    failures.push(...typeCheck(project, code));
    console.log(
      `type check of ${code.length} blocks: ${failures.length === 0 ? 'ok' : `${failures.length} errors`}`,
    );
    failures.push(...parseShell(blocks, dir));
    const windows = await checkWindows(blocks);
    failures.push(...windows);
    const ps = blocks.filter((b) => b.lang === 'powershell' || b.flags.has('pwsh'));
    console.log(
      `PowerShell (grammar, cmdlets, Windows PowerShell 5.1, bloomlink options) of ${ps.length} blocks: ` +
        `${windows.length === 0 ? 'ok' : `${windows.length} problems`}`,
    );
    if (!noRun) failures.push(...runBlocks(project, toRun, pwsh));
    const psRun = toRun.filter((b) => b.lang === 'powershell').length;
    if (!noRun && psRun > 0 && !pwsh)
      console.log(`${psRun} PowerShell blocks not run: pwsh is not installed here (checked as above only)`);
  } finally {
    if (keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  for (const f of failures) console.error(`\n${f.where}: ${f.message}`);
  if (failures.length > 0) {
    console.error(`\n${failures.length} problems in the docs' code blocks`);
    process.exitCode = 1;
  } else console.log('every code block checked');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
