/**
 * Runs the TSDoc `@example` of the staged API (`train`, `score`, `decide`, `match`) and of its
 * all-cores form (`matchParallel`, `encodeParallel`) against the built package, as a user's project
 * would: each example is written to a file in a fresh folder whose `node_modules/bloomlink` is this
 * package (its `exports`, so `dist/`), beside the bundled sample lists, a key (`linkage.key`) and the
 * two encoded files (`coc.arrow`, `mcp.arrow`) the examples read. A failing example fails the run.
 *
 * Usage (after `npm run build`): npx tsx scripts/run-doc-examples.ts
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The functions whose example must run, and where they are declared. */
export const RUNNABLE: readonly { readonly name: string; readonly file: string }[] = [
  { name: 'train', file: 'src/match/api.ts' },
  { name: 'score', file: 'src/match/api.ts' },
  { name: 'decide', file: 'src/match/api.ts' },
  { name: 'match', file: 'src/match/api.ts' },
  { name: 'matchParallel', file: 'src/match/api.node.ts' },
  { name: 'encodeParallel', file: 'src/encode/encode.node.ts' },
];

/**
 * The code of the `@example` block in the TSDoc comment right before `export [async] function name`.
 * @example
 * ```ts
 * exampleOf(readFileSync('src/match/api.ts', 'utf8'), 'train');
 * ```
 */
export function exampleOf(source: string, name: string): string {
  const at = source.search(new RegExp(`\\nexport (async )?function\\*? ${name}\\b`));
  if (at < 0) throw new Error(`no exported function ${name}`);
  const start = source.lastIndexOf('/**', at);
  const doc = source.slice(start, at);
  const m = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/.exec(doc);
  if (!m) throw new Error(`${name}: no \`\`\`ts block under @example`);
  return m[1]!
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('build the package first (npm run build)');
  const dir = mkdtempSync(join(tmpdir(), 'bloomlink-doc-examples-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'bloomlink'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
    for (const f of ['clients.csv', 'members.csv', 'programs.csv'])
      copyFileSync(join(root, 'data', 'sample', f), join(dir, f));
    const cli = join(root, 'dist', 'cli.js');
    const run = (args: string[]) =>
      execFileSync(process.execPath, [cli, ...args], { cwd: dir, stdio: 'pipe' });
    writeFileSync(join(dir, 'linkage.key'), run(['keygen']), { mode: 0o600 });
    for (const [list, out] of [
      ['clients.csv', 'coc.arrow'],
      ['members.csv', 'mcp.arrow'],
    ] as const)
      run(['encode', '--in', list, '--key', 'linkage.key', '--out', out, '--quiet']);
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    let failed = 0;
    for (const { name, file } of RUNNABLE) {
      const code = exampleOf(readFileSync(join(root, file), 'utf8'), name);
      const path = join(dir, `${name}.example.ts`);
      writeFileSync(path, `${code}\n`);
      try {
        const out = execFileSync(process.execPath, [tsx, path], {
          cwd: dir,
          stdio: 'pipe',
          encoding: 'utf8',
        });
        console.log(`ok   ${name} (${file}): ${out.trim().split('\n').at(-1) ?? ''}`);
      } catch (e) {
        failed++;
        const err = e as { stderr?: string; stdout?: string };
        console.error(`FAIL ${name} (${file})\n${err.stderr ?? ''}${err.stdout ?? ''}`);
      }
    }
    if (failed > 0) {
      console.error(`${failed} of ${RUNNABLE.length} examples failed`);
      process.exitCode = 1;
    } else console.log(`${RUNNABLE.length} examples ran`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
