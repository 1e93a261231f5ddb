/**
 * The import rules of src/, as data, and a checker over an import graph. Used by
 * architecture.test.ts on the real graph (read from the source files) and on graphs with a
 * deliberately wrong import, to show that the checker catches it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * Where a file belongs: its top folder under src/ (`read`, `encode`, …), `base` for the modules
 * everything may use (errors, version, record types, issue codes), or `entry:<name>` for an entry point.
 */
export type Area = string;

/** Files of src/ that are entry points (what a user imports, the CLI, the worker threads). */
const ENTRIES = new Set(['index.ts', 'encode.ts', 'node.ts', 'synth-entry.ts', 'worker.node.ts']);
const BASE = new Set(['errors.ts', 'version.ts', 'records.ts', 'issue-codes.ts']);

/**
 * Which areas each area may import (besides itself and `base`), lowest layer first. The order of
 * this table is the data flow; an area lists only areas above it in the table, so no lower layer can
 * import a higher one, and only `encode` (the key) is imported from nowhere else but the CLI, the
 * key-taking entry points and the attack simulations (which need a key to play the plan's part).
 */
export const ALLOWED: Readonly<Record<Area, readonly Area[]>> = {
  base: [],
  util: [],
  kernel: ['util'],
  normalise: ['util'],
  parallel: ['util', 'kernel'],
  read: ['util', 'normalise'],
  synth: ['util', 'normalise', 'read'],
  encoded: ['util', 'kernel'],
  encode: ['util', 'kernel', 'normalise', 'parallel', 'read', 'encoded'],
  block: ['util', 'kernel', 'parallel', 'encoded'],
  compare: ['util', 'kernel', 'encoded'],
  model: ['util', 'kernel', 'encoded', 'block', 'compare'],
  decide: ['util'],
  match: ['util', 'kernel', 'parallel', 'encoded', 'block', 'compare', 'model', 'decide'],
  output: ['util', 'normalise', 'read', 'match'],
  report: ['util', 'encoded', 'compare', 'model', 'decide', 'match'],
  attack: ['util', 'kernel', 'normalise', 'read', 'synth', 'encoded', 'encode', 'compare', 'model', 'match'],
  cli: ['*'],
  'entry:index': [
    'util',
    'normalise',
    'read',
    'encoded',
    'block',
    'compare',
    'model',
    'decide',
    'match',
    'output',
    'report',
  ],
  'entry:encode': ['encode', 'encoded'],
  'entry:synth-entry': ['synth'],
  'entry:node': ['*'],
  'entry:worker.node': ['*'],
};

/** Areas that never hold or derive a key: nothing they reach, however indirectly, may take one. */
export const KEYLESS: readonly Area[] = [
  'normalise',
  'read',
  'encoded',
  'block',
  'compare',
  'model',
  'decide',
  'match',
  'output',
  'report',
  'entry:index',
];

/** Areas whose code must run in browsers too: no `node:` import but in `*.node.ts` adapters. */
export const BROWSER_SAFE: readonly Area[] = [
  'base',
  'util',
  'kernel',
  'normalise',
  'read',
  'encoded',
  'encode',
  'block',
  'compare',
  'model',
  'decide',
  'match',
  'output',
  'report',
  'entry:index',
  'entry:encode',
];

/** Package imports that derive or use key material: reaching one is reaching the key. */
export const KEY_PACKAGES: readonly string[] = ['@noble/hashes/hmac', '@noble/hashes/hkdf'];

/** A module and what it imports: relative imports as src-relative paths, packages by name. */
export interface ModuleImports {
  readonly file: string;
  readonly files: readonly string[];
  readonly packages: readonly string[];
}

/**
 * The area of a src-relative path.
 * @example
 * ```ts
 * areaOf('match/api.ts'); // 'match'
 * ```
 */
export function areaOf(file: string): Area {
  const [top, ...rest] = file.split('/');
  if (rest.length > 0) return top!;
  if (BASE.has(top!)) return 'base';
  if (ENTRIES.has(top!)) return `entry:${top!.replace(/\.ts$/, '')}`;
  return `unknown:${top}`;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)(?:\s+type)?[\s\S]*?\sfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm;

/**
 * Every module under `srcDir` with its imports (static, `export … from`, type-only and dynamic).
 * @example
 * ```ts
 * const graph = readImportGraph('src');
 * ```
 */
export function readImportGraph(srcDir: string): ModuleImports[] {
  const out: ModuleImports[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
        const file = relative(srcDir, path).split('\\').join('/');
        const files: string[] = [];
        const packages: string[] = [];
        for (const m of text.matchAll(IMPORT)) {
          const spec = m[1] ?? m[2] ?? m[3]!;
          if (spec.startsWith('.'))
            files.push(
              normalize(join(dirname(file), spec))
                .split('\\')
                .join('/')
                .replace(/\.js$/, '.ts'),
            );
          else packages.push(spec.replace(/\.js$/, ''));
        }
        out.push({ file, files, packages });
      }
    }
  };
  walk(srcDir);
  return out;
}

/**
 * Every broken rule of the graph, one line each (empty when the layout holds):
 * an import an area may not make, a Node built-in in browser-safe code, a keyless area that reaches
 * key-taking code, an unknown area.
 * @example
 * ```ts
 * expect(checkArchitecture(readImportGraph('src'))).toEqual([]);
 * ```
 */
export function checkArchitecture(graph: readonly ModuleImports[]): string[] {
  const problems: string[] = [];
  const byFile = new Map(graph.map((m) => [m.file, m]));
  for (const m of graph) {
    const from = areaOf(m.file);
    const allowed = ALLOWED[from];
    if (!allowed) {
      problems.push(`${m.file}: not in a known area (add its folder to ALLOWED)`);
      continue;
    }
    if (BROWSER_SAFE.includes(from) && !m.file.endsWith('.node.ts'))
      for (const p of m.packages.filter((p) => p.startsWith('node:')))
        problems.push(`${m.file} imports ${p}: ${from} must run in browsers (put it in a .node.ts file)`);
    for (const target of m.files) {
      const to = areaOf(target);
      if (to === from || to === 'base' || allowed.includes('*') || allowed.includes(to)) continue;
      problems.push(`${m.file} imports ${target}: ${from} may not import ${to}`);
    }
  }
  // Reachability: a keyless area must not reach src/encode/ or a key-deriving package.
  const keyed = new Map<string, string | null>();
  const reachesKey = (file: string, seen: Set<string>): string | null => {
    if (keyed.has(file)) return keyed.get(file)!;
    if (areaOf(file) === 'encode') return file;
    const m = byFile.get(file);
    if (!m || seen.has(file)) return null;
    seen.add(file);
    let hit: string | null = m.packages.find((p) => KEY_PACKAGES.includes(p)) ?? null;
    for (const t of m.files) {
      if (hit) break;
      const via = reachesKey(t, seen);
      if (via) hit = via === t ? t : `${t} → ${via}`;
    }
    keyed.set(file, hit);
    return hit;
  };
  for (const m of graph) {
    if (!KEYLESS.includes(areaOf(m.file))) continue;
    const hit = reachesKey(m.file, new Set());
    if (hit) problems.push(`${m.file} (keyless) reaches key-taking code: ${hit}`);
  }
  return problems;
}
