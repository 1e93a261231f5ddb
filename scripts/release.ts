/**
 * `npm run release -- <version> [--dry-run]`: prepares a release on a clean working tree. It never
 * publishes, tags, commits or pushes: a person does that after reading what it did.
 *
 * 1. Refuses a dirty tree, a version that is not semver or not above package.json's, and a version
 *    without its own section (`## [<version>] - YYYY-MM-DD`, with entries) in CHANGELOG.md.
 * 2. Runs the pinned-digest test at the current version: outputs are unchanged by the code.
 * 3. Unless --dry-run: writes the version into package.json, package-lock.json and src/version.ts,
 *    and re-pins the digests, which change only because encoded files and HMIS files carry the
 *    library version (step 2 showed the code's outputs were otherwise the same).
 * 4. Runs the checks (lint, type check, generated docs, tests, build, examples, package checks) and
 *    `npm pack --dry-run`. If anything fails after step 3, the files it wrote are restored.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Semantic version (no build metadata: npm ignores it). */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** The parsed command line. */
export interface ReleaseArgs {
  readonly version: string;
  readonly dryRun: boolean;
}

/**
 * Parses `<version> [--dry-run]`; throws on anything else.
 * @example
 * ```ts
 * parseReleaseArgs(['0.2.0', '--dry-run']); // { version: '0.2.0', dryRun: true }
 * ```
 */
export function parseReleaseArgs(argv: readonly string[]): ReleaseArgs {
  const dryRun = argv.includes('--dry-run');
  const rest = argv.filter((a) => a !== '--dry-run');
  const [version, ...extra] = rest;
  if (version === undefined || extra.length > 0 || version.startsWith('-')) {
    throw new Error('usage: npm run release -- <version> [--dry-run]');
  }
  if (!SEMVER.test(version)) throw new Error(`not a semantic version: ${version}`);
  return { version, dryRun };
}

/**
 * Semver precedence: negative when `a` < `b`, 0 when equal, positive when `a` > `b` (a pre-release
 * sorts before its release; pre-release identifiers compare numerically or as text).
 * @example
 * ```ts
 * compareVersions('0.2.0-rc.1', '0.2.0') < 0; // true
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) throw new TypeError('compareVersions: both arguments must be semantic versions');
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  const [ra, rb] = [pa[4], pb[4]];
  if (ra === undefined || rb === undefined) return (ra === undefined ? 1 : 0) - (rb === undefined ? 1 : 0);
  const ia = ra.split('.');
  const ib = rb.split('.');
  for (let i = 0; ; i++) {
    const x = ia[i];
    const y = ib[i];
    // Equal so far: the one with more identifiers sorts higher.
    if (x === undefined || y === undefined) return (x === undefined ? 0 : 1) - (y === undefined ? 0 : 1);
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    // Numeric identifiers sort before alphanumeric ones (semver 2.0.0, rule 11).
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
}

/** One version's section of a Keep a Changelog file. */
export interface ChangelogSection {
  readonly version: string;
  /** The release date, YYYY-MM-DD. */
  readonly date: string;
  /** The section's text below its heading, trimmed. */
  readonly body: string;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The section of `changelog` headed `## [<version>] - YYYY-MM-DD`, up to the next `## ` heading, or
 * undefined when there is none.
 * @example
 * ```ts
 * changelogSection('## [1.0.0] - 2026-01-02\n\n- First.\n', '1.0.0'); // { version: '1.0.0', date: '2026-01-02', body: '- First.' }
 * ```
 */
export function changelogSection(changelog: string, version: string): ChangelogSection | undefined {
  const lines = changelog.split(/\r?\n/);
  const heading = new RegExp(`^## \\[${escapeRegExp(version)}\\](?: - (\\d{4}-\\d{2}-\\d{2}))?\\s*$`);
  let start = -1;
  let date = '';
  for (const [i, line] of lines.entries()) {
    const m = heading.exec(line);
    if (m) {
      start = i;
      date = m[1] ?? '';
      break;
    }
  }
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  // Link reference definitions at the end of the file belong to no section.
  const body = lines
    .slice(start + 1, end)
    .filter((l) => !/^\[[^\]]+\]:\s/.test(l))
    .join('\n')
    .trim();
  return { version, date, body };
}

/**
 * Why `changelog` cannot be released as `version`, or undefined when its section is complete: present,
 * dated with a real calendar date, and with at least one entry.
 * @example
 * ```ts
 * changelogProblem('## [Unreleased]\n\n- New.\n', '0.2.0'); // 'CHANGELOG.md has no section "## [0.2.0] - YYYY-MM-DD" ...'
 * ```
 */
export function changelogProblem(changelog: string, version: string): string | undefined {
  const section = changelogSection(changelog, version);
  if (section === undefined) {
    return `CHANGELOG.md has no section "## [${version}] - YYYY-MM-DD" (rename "Unreleased" to it first)`;
  }
  const d = new Date(`${section.date}T00:00:00Z`);
  if (section.date === '' || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== section.date) {
    return `CHANGELOG.md section ${version} needs a release date: "## [${version}] - YYYY-MM-DD"`;
  }
  if (!/^\s*[-*] \S/m.test(section.body)) return `CHANGELOG.md section ${version} lists no changes`;
  return undefined;
}

/**
 * package.json or package-lock.json text with its version (and the lockfile's root package version)
 * set to `version`, in npm's own layout (two-space indent, final newline).
 * @example
 * ```ts
 * withJsonVersion('{"name":"x","version":"0.1.0"}', '0.2.0'); // '{\n  "name": "x",\n  "version": "0.2.0"\n}\n'
 * ```
 */
export function withJsonVersion(text: string, version: string): string {
  const json = JSON.parse(text) as { version?: unknown; packages?: Record<string, { version?: unknown }> };
  if (typeof json.version !== 'string') throw new Error('no "version" to bump');
  json.version = version;
  const root = json.packages?.[''];
  if (root !== undefined) root.version = version;
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * src/version.ts text with `VERSION` set to `version`; throws when the declaration is not found.
 * @example
 * ```ts
 * withVersionConstant("export const VERSION = '0.1.0';\n", '0.2.0'); // "export const VERSION = '0.2.0';\n"
 * ```
 */
export function withVersionConstant(text: string, version: string): string {
  const declaration = /export const VERSION = '[^']*';/;
  if (!declaration.test(text)) throw new Error('src/version.ts has no "export const VERSION = \'…\';"');
  return text.replace(declaration, `export const VERSION = '${version}';`);
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs a command from the repository root with its output shown; throws when it fails. */
function run(command: string, args: readonly string[]): void {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0)
    throw new Error(`failed (exit ${r.status ?? r.signal}): ${[command, ...args].join(' ')}`);
}

/** The checks a release must pass (CI's, without the browser and notebook steps that need installs). */
const CHECKS: readonly (readonly [string, readonly string[]])[] = [
  ['npx', ['biome', 'ci', '.']],
  ['npm', ['run', 'typecheck']],
  ['npx', ['tsx', 'scripts/gen-scoring-table.ts', '--check']],
  ['npm', ['test']],
  ['npm', ['run', '--if-present', 'test:slow']],
  ['npm', ['run', 'build']],
  ['npm', ['run', 'examples']],
  ['npx', ['publint', '--strict']],
  ['npx', ['attw', '--pack', '.', '--profile', 'node16']],
  ['npm', ['pack', '--dry-run']],
];

const DIGEST_TEST = 'test/pipeline/digests.test.ts';
const BUMPED = ['package.json', 'package-lock.json', 'src/version.ts', DIGEST_TEST];

function main(): void {
  const args = parseReleaseArgs(process.argv.slice(2));
  const read = (f: string) => readFileSync(join(root, f), 'utf8');

  const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
  if (dirty.trim() !== '')
    throw new Error('the working tree has uncommitted changes: commit or stash them first');
  const current = (JSON.parse(read('package.json')) as { version: string }).version;
  if (compareVersions(args.version, current) <= 0) {
    throw new Error(`${args.version} is not above the current version ${current}`);
  }
  const problem = changelogProblem(read('CHANGELOG.md'), args.version);
  if (problem !== undefined) throw new Error(problem);

  console.log(`release ${current} -> ${args.version}${args.dryRun ? ' (dry run: no file is changed)' : ''}`);
  run('npx', ['vitest', 'run', DIGEST_TEST]);

  const originals = new Map(BUMPED.map((f) => [f, read(f)]));
  try {
    if (!args.dryRun) {
      writeFileSync(join(root, 'package.json'), withJsonVersion(read('package.json'), args.version));
      writeFileSync(
        join(root, 'package-lock.json'),
        withJsonVersion(read('package-lock.json'), args.version),
      );
      writeFileSync(join(root, 'src/version.ts'), withVersionConstant(read('src/version.ts'), args.version));
      run('npx', ['vitest', 'run', DIGEST_TEST, '--update']);
    }
    for (const [command, commandArgs] of CHECKS) run(command, commandArgs);
  } catch (e) {
    if (!args.dryRun) {
      for (const [f, text] of originals) writeFileSync(join(root, f), text);
      console.error(`\nrestored ${BUMPED.join(', ')}`);
    }
    throw e;
  }

  console.log(
    args.dryRun
      ? `\nDry run passed: npm run release -- ${args.version} would bump and re-run these checks.`
      : [
          `\nReady: ${BUMPED.join(', ')} now say ${args.version}. Nothing was committed, tagged or published.`,
          'Review the diff (the digest changes come from the version string only), then:',
          `  git commit -am "Release ${args.version}" && git tag v${args.version}`,
          '  npm publish (and git push --follow-tags) when the release is approved',
        ].join('\n'),
  );
}

// Run as a script (not when a test imports the functions above).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (e) {
    console.error(`release: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
