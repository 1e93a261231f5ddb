/**
 * `npm run examples` (after `npm run build`): runs every example in examples/ as a user would, against
 * the built package, and fails when one fails. The TypeScript examples run with tsx and
 * tsconfig.examples.json, which drops tsconfig.json's `paths`, so `bloomlink`, `bloomlink/encode` and
 * `bloomlink/node` resolve through package.json "exports" to dist/ (a missing or wrong export fails
 * here, not in a user's project); the shell examples run with bash.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'examples');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

// Without a build the package's own name resolves to nothing; say so instead of failing on an import.
if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('npm run examples runs the built package: run `npm run build` first');
  process.exit(1);
}

const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') || f.endsWith('.sh'))
  .sort();
if (examples.length === 0) {
  console.error('no examples found in examples/');
  process.exit(1);
}

const failed: string[] = [];
for (const name of examples) {
  const file = join('examples', name);
  console.log(`\n--- ${file}`);
  const started = performance.now();
  const run = name.endsWith('.ts')
    ? spawnSync(tsx, ['--tsconfig', 'tsconfig.examples.json', file], { cwd: root, stdio: 'inherit' })
    : spawnSync('bash', [file], { cwd: root, stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.status === 0) console.log(`--- ${file}: ok (${seconds} s)`);
  else {
    console.error(`--- ${file}: FAILED (exit ${run.status ?? run.signal}, ${seconds} s)`);
    failed.push(file);
  }
}

if (failed.length > 0) {
  console.error(`\n${failed.length} of ${examples.length} examples failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\nall ${examples.length} examples ran`);
