import { isBuiltin } from 'node:module';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';
import {
  asciiOnlyComments,
  WORKER_THREADS_NAMES,
  workerThreadsStub,
  workerThreadsUses,
} from './scripts/build-plugins.js';

type TsupPlugin = NonNullable<Options['plugins']>[number];

/**
 * The CLI's commands: module file (src/cli/commands/<file>.ts, as src/cli/registry.ts imports it)
 * and the name it exports the command under.
 */
const COMMANDS: Readonly<Record<string, string>> = {
  keygen: 'keygen',
  validate: 'validate',
  encode: 'encode',
  match: 'match',
  'review-sheet': 'reviewSheet',
  'return-file': 'returnFile',
  hmis: 'hmis',
  reidentify: 'reidentify',
  synth: 'synth',
};

/**
 * The dispatcher's `import('./commands/<file>.js')` (src/cli/registry.ts) becomes a `require` of
 * the command's own CommonJS bundle, `./cli-<file>.cjs`, next to dist/cli.js, run when the command
 * is asked for.
 */
const commandBundles: Plugin = {
  name: 'command-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
      const file = args.path.slice('./commands/'.length, -'.js'.length);
      if (args.kind !== 'dynamic-import' || COMMANDS[file] === undefined)
        throw new Error(`tsup.config.ts: unexpected import of ${args.path} from ${args.importer}`);
      return { path: file, namespace: 'command-bundle' };
    });
    build.onLoad({ filter: /.*/, namespace: 'command-bundle' }, (args) => ({
      // `process.getBuiltinModule`, not an import of node:module: see `builtinsAtRunTime`.
      contents: `export const ${COMMANDS[args.path]} = process.getBuiltinModule('node:module').createRequire(import.meta.url)('./cli-${args.path}.cjs').${COMMANDS[args.path]};`,
      loader: 'js',
      resolveDir: 'src/cli',
    }));
  },
};

/**
 * The dispatcher's built-in modules (`node:fs`, `node:util`, …) taken with `process.getBuiltinModule`
 * (Node 20.16+) instead of ES imports: Node 20's ES-module loader builds an ES facade of each
 * built-in a module imports (its exports listed and synced), ≈ 10–15 ms of CPU for the dispatcher's
 * six in every run of the CLI (docs/scaling.md, "Small jobs, round seven").
 */
const builtinsAtRunTime: Plugin = {
  name: 'builtins-at-run-time',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      isBuiltin(args.path) ? { path: args.path.replace(/^node:/, ''), namespace: 'builtin' } : undefined,
    );
    // An ES module per built-in: each export (the names of this Node's module) read once, behind a
    // pure call, so esbuild keeps only those the dispatcher uses.
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, async (args) => {
      const specifier = `node:${args.path}`;
      const names = Object.keys(await import(specifier)).filter(
        (n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n),
      );
      return {
        contents: [
          `const m = /* @__PURE__ */ process.getBuiltinModule(${JSON.stringify(specifier)});`,
          'export default m;',
          ...names.map((n) => `export const ${n} = /* @__PURE__ */ (() => m.${n})();`),
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * `node:worker_threads` in the command bundles, required when a command first uses it (to start
 * workers, or to digest a pipe): loading it costs a process ≈ 4–6 ms of CPU, and a small job starts
 * no worker. A CommonJS stub with a getter per name the bundles read (`WORKER_THREADS_NAMES`, a
 * fixed list: not the building Node's exports); the bundle reads each where it is used
 * (`worker_threads.Worker`), so nothing is loaded before, and `workerThreadsUses` fails the build of
 * a bundle that reads a name the stub lacks (it would be undefined at run time).
 */
const lazyWorkerThreads: Plugin = {
  name: 'lazy-worker-threads',
  setup(build) {
    build.onResolve({ filter: /^(node:)?worker_threads$/ }, (args) =>
      args.namespace === 'lazy-worker-threads'
        ? { path: 'node:worker_threads', external: true }
        : { path: 'worker_threads', namespace: 'lazy-worker-threads' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-worker-threads' }, () => ({
      contents: workerThreadsStub(WORKER_THREADS_NAMES),
      loader: 'js',
    }));
  },
};

/** The check of {@link lazyWorkerThreads}' stub against the names a built command bundle reads. */
const workerThreadsChecked: TsupPlugin = {
  name: 'worker-threads-checked',
  renderChunk(code, info) {
    if (/\.cjs$/.test(info.path)) workerThreadsUses(code, info.path, WORKER_THREADS_NAMES);
  },
};

/**
 * A command bundle's `import('apache-arrow')` (src/util/arrow.ts, the one import of it) becomes a
 * `require` of `./cli-apache-arrow.cjs`, apache-arrow bundled once beside the commands, run on first
 * use. Inlined, its ≈ 0.5 MB were read and pre-parsed by every `encode` that never runs them.
 */
const arrowBundle: Plugin = {
  name: 'arrow-bundle',
  setup(build) {
    build.onResolve({ filter: /^apache-arrow$/ }, (args) => {
      if (args.kind !== 'dynamic-import')
        throw new Error(`tsup.config.ts: apache-arrow must be imported on demand (${args.importer})`);
      return { path: 'apache-arrow', namespace: 'arrow-bundle' };
    });
    build.onResolve({ filter: /^\.\/cli-apache-arrow\.cjs$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: 'arrow-bundle' }, () => ({
      contents: "module.exports = require('./cli-apache-arrow.cjs');",
      loader: 'js',
      resolveDir: 'src/util',
    }));
  },
};

/**
 * The CLI's files as ASCII: esbuild escapes non-ASCII characters in code but keeps them in the
 * comments it carries over, and one such character makes Node read the whole file into a two-byte
 * string, which is slower to decode and to parse (`encode`'s bundle: ≈ 10 ms of CPU a process).
 * Each UTF-16 unit becomes a `\uXXXX` escape; only comments may hold one (`asciiOnlyComments`
 * proves it with esbuild, else the build fails).
 */
const asciiOutput: TsupPlugin = {
  name: 'ascii-output',
  renderChunk(code, info) {
    if (!/\.c?js$/.test(info.path)) return;
    const ascii = asciiOnlyComments(code, info.path);
    return ascii === undefined ? undefined : { code: ascii };
  },
};

/** What every CLI file is built with. */
const CLI_BUILD: Options = {
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  noExternal: ['zod', 'apache-arrow', 'flatbuffers', 'tslib', '@noble/hashes'],
  plugins: [asciiOutput],
};

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      encode: 'src/encode.ts',
      synth: 'src/synth-entry.ts',
      node: 'src/node.ts',
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    treeshake: true,
    // The CommonJS build needs `import.meta.url` too: src/parallel/entry.node.ts finds dist/worker.js by it.
    shims: true,
  },
  // The CLI: `dist/cli.js`, the dispatcher (src/cli/main.ts: names, summaries, help, version), and one
  // CommonJS bundle per command, `dist/cli-<command>.cjs`, that the dispatcher requires when the
  // command runs (src/cli/registry.ts; what the command imports on demand — clkhash mode,
  // streaming, reports, apache-arrow — is in its bundle, evaluated on first use only). A small job
  // pays less for one CommonJS file than for ES modules: Node 20's ES-module loader resolves,
  // reads, decodes and links each file apart (one build of every command made ≈ 30 shared chunks
  // a run) and gives each built-in module it imports an ES facade; `require` does neither. In
  // FEBRL 4's `encode`, 0.09 s of CPU a process (docs/scaling.md, "Small jobs, round six").
  // The code the dispatcher and a command both hold (src/cli/command.ts, files.ts) exists twice,
  // so what they share at run time is keyed on the process, not the module: the open outputs
  // (files.ts) and `UsageError`'s brand.
  // The runtime dependencies are bundled (tree-shaken, still loaded on first use where the source
  // imports them so): importing them from node_modules costs a process 0.25 s of CPU for
  // apache-arrow's ~70 modules and 0.14 s for zod's (locales included), about a tenth of a small
  // job; the library entries above keep them external. Licences: NOTICE.md.
  {
    entry: { cli: 'src/cli/main.ts' },
    ...CLI_BUILD,
    format: ['esm'],
    splitting: false,
    banner: { js: '#!/usr/bin/env node' },
    // tsup's own plugin would mark `node:` imports external before `builtinsAtRunTime` saw them.
    removeNodeProtocol: false,
    esbuildPlugins: [commandBundles, builtinsAtRunTime],
  },
  {
    entry: Object.fromEntries(
      Object.keys(COMMANDS).map((file) => [`cli-${file}`, `src/cli/commands/${file}.ts`]),
    ),
    ...CLI_BUILD,
    format: ['cjs'],
    splitting: false,
    // `import.meta.url` (src/parallel/entry.node.ts finds dist/worker.js by it) from the bundle's path.
    shims: true,
    outExtension: () => ({ js: '.cjs' }),
    // tsup's own plugin would mark `node:worker_threads` external before `lazyWorkerThreads` saw it.
    removeNodeProtocol: false,
    esbuildPlugins: [arrowBundle, lazyWorkerThreads],
    plugins: [workerThreadsChecked, asciiOutput],
    // Source maps without the sources' text: each command's bundle repeats much of the others' code,
    // and the library entries' maps carry that text already.
    esbuildOptions: (options) => {
      options.sourcesContent = false;
    },
  },
  {
    // apache-arrow for the command bundles (`arrowBundle`): required when a command first imports it.
    entry: { 'cli-apache-arrow': 'node_modules/apache-arrow/Arrow.node.mjs' },
    ...CLI_BUILD,
    format: ['cjs'],
    splitting: false,
    outExtension: () => ({ js: '.cjs' }),
    esbuildOptions: (options) => {
      options.sourcesContent = false;
    },
  },
  {
    // What worker threads start on (src/parallel/entry.node.ts finds dist/worker.js next to the
    // bundle that starts them): each worker role (src/worker.node.ts) gets its own chunks, so a
    // worker parses only its role's code. The banner goes on every file; a hashbang line is valid
    // at the start of any ES module.
    entry: { worker: 'src/worker.node.ts' },
    ...CLI_BUILD,
    format: ['esm'],
    splitting: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
