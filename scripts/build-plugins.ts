/**
 * The checked parts of the CLI build's plugins (tsup.config.ts), apart so tests can run them: the
 * ASCII rewrite of the CLI's files and the lazy `node:worker_threads` stub of the command bundles.
 * Each check fails the build rather than let a built file behave differently from its source.
 */
import { transformSync } from 'esbuild';

const NON_ASCII = /[\u0080-\uffff]/;

/** `code` as esbuild prints it without whitespace and comments (legal ones too), nothing else changed. */
function withoutComments(code: string): string {
  return transformSync(code, { minifyWhitespace: true, legalComments: 'none', logLevel: 'silent' }).code;
}

/**
 * `code` with every non-ASCII UTF-16 unit written as a `\uXXXX` escape, once proved to change the
 * code in its comments only: esbuild prints both texts without whitespace and comments, and the two
 * must be the same. An escape that changes the code's text as esbuild reads it (a template's raw
 * text, which a tag can see; a regular expression's source) fails the check; one in a string or an
 * identifier, which esbuild prints from its value, passes. Undefined when `code` is ASCII.
 * @throws Error naming `label` and the first difference when an escape lies outside a comment.
 * @example
 * ```ts
 * asciiOnlyComments('// café\nx();\n', 'cli.js'); // '// caf\\u00e9\nx();\n'
 * ```
 */
export function asciiOnlyComments(code: string, label: string): string | undefined {
  if (!NON_ASCII.test(code)) return undefined;
  const ascii = code.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const before = withoutComments(code);
  const after = withoutComments(ascii);
  if (before !== after) {
    let at = 0;
    while (at < before.length && before[at] === after[at]) at++;
    throw new Error(
      `tsup.config.ts: non-ASCII outside a comment in ${label}: …${before.slice(Math.max(0, at - 40), at + 20)}…`,
    );
  }
  return ascii;
}

/**
 * The names of `node:worker_threads` the command bundles read: the lazy stub provides these and no
 * other (it does not depend on the building Node's list), and {@link workerThreadsUses} fails the
 * build of a bundle that reads another.
 * @example
 * ```ts
 * WORKER_THREADS_NAMES.includes('Worker'); // true
 * ```
 */
export const WORKER_THREADS_NAMES: readonly string[] = ['Worker'];

/**
 * The CommonJS stub of `node:worker_threads` for the command bundles: a getter per name of `names`
 * that requires the module on first read, so a bundle that never starts a worker never loads it.
 * @example
 * ```ts
 * const contents = workerThreadsStub(WORKER_THREADS_NAMES);
 * ```
 */
export function workerThreadsStub(names: readonly string[]): string {
  return [
    'let loaded;',
    "const load = () => (loaded ??= require('node:worker_threads'));",
    'module.exports = {',
    ...names.map((name) => `  get ${name}() { return load().${name}; },`),
    '};',
  ].join('\n');
}

/** Where esbuild's CommonJS wrapper of the stub starts in a bundle (its namespace and path). */
const STUB_MARK = 'lazy-worker-threads:worker_threads';

/**
 * The names of `node:worker_threads` a built bundle reads through the stub (esbuild names the
 * imported module `import_node_worker_threads`, `import_node_worker_threads2`, …; every read is
 * `.name`), checked against `provided`. Empty for a bundle without the stub.
 * @throws Error naming `label` when the bundle reads a name not in `provided`, uses the module other
 * than by reading a name, or holds the stub but no read of it that this can see.
 * @example
 * ```ts
 * workerThreadsUses('var w = new import_node_worker_threads.Worker(f);', 'x.cjs', ['Worker']); // ['Worker']
 * ```
 */
export function workerThreadsUses(code: string, label: string, provided: readonly string[]): string[] {
  const used = new Set<string>();
  const uses = /(\b(?:var|let)\s+)?\bimport_(?:node_)?worker_threads\d*\b(\.[A-Za-z_$][\w$]*)?(\s*=(?!=))?/g;
  for (const m of code.matchAll(uses)) {
    // The binding itself: declared (`var import_node_worker_threads, …`) or assigned the module.
    if (m[2] === undefined && (m[1] !== undefined || m[3] !== undefined)) continue;
    const name = m[2]?.slice(1);
    if (name === undefined)
      throw new Error(`tsup.config.ts: ${label} uses node:worker_threads other than by reading a name`);
    if (!provided.includes(name))
      throw new Error(
        `tsup.config.ts: ${label} reads worker_threads.${name}, which the lazy stub does not provide (WORKER_THREADS_NAMES)`,
      );
    used.add(name);
  }
  if (used.size === 0 && code.includes(STUB_MARK))
    throw new Error(`tsup.config.ts: ${label} holds the worker_threads stub but no read of it was found`);
  return [...used];
}
