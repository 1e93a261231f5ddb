import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

/** The CLI's commands by module file (src/cli/commands/<name>.ts), as src/cli/registry.ts loads them. */
const COMMAND_FILES = [
  'keygen',
  'validate',
  'encode',
  'match',
  'review-sheet',
  'return-file',
  'hmis',
  'reidentify',
  'synth',
] as const;

/**
 * The dispatcher's `import('./commands/<name>.js')` (src/cli/registry.ts) becomes an import of the
 * command's own bundle, `./cli-<name>.js`, left to Node at run time.
 */
const commandsByFile: Plugin = {
  name: 'commands-by-file',
  setup(build) {
    build.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
      const name = args.path.slice('./commands/'.length, -'.js'.length);
      if (args.kind !== 'dynamic-import' || !(COMMAND_FILES as readonly string[]).includes(name))
        throw new Error(`tsup.config.ts: unexpected import of ${args.path} from ${args.importer}`);
      return { path: `./cli-${name}.js`, external: true };
    });
  },
};

/** What every CLI file is built with. */
const CLI_BUILD: Options = {
  format: ['esm'],
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  banner: { js: '#!/usr/bin/env node' },
  noExternal: ['zod', 'apache-arrow', 'flatbuffers', 'tslib', '@noble/hashes'],
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
  // bundle per command, `dist/cli-<command>.js`, that the dispatcher imports when the command runs
  // (src/cli/registry.ts). Each command is its own build, so its static code is one file: Node 20's
  // ES-module loader resolves, reads and links each file apart, and the ≈ 30 shared chunks one build
  // of every command made cost a small job ≈ 0.07–0.1 s a process (docs/scaling.md, "Small jobs,
  // round six"). Only what a command imports on demand (clkhash mode, streaming, reports,
  // apache-arrow) is split off into chunks of its own. The code the dispatcher and a command both
  // hold (src/cli/command.ts, files.ts) exists twice, so what they share at run time is keyed on
  // the process, not the module: the open outputs (files.ts) and `UsageError`'s brand.
  // The runtime dependencies are bundled (tree-shaken, still loaded on first use where the source
  // imports them so): importing them from node_modules costs a process 0.25 s of CPU for
  // apache-arrow's ~70 modules and 0.14 s for zod's (locales included), about a tenth of a small
  // job; the library entries above keep them external. Licences: NOTICE.md.
  // The banner goes on every file; a hashbang line is valid at the start of any ES module.
  {
    entry: { cli: 'src/cli/main.ts' },
    ...CLI_BUILD,
    splitting: false,
    esbuildPlugins: [commandsByFile],
  },
  ...COMMAND_FILES.map((name) => ({
    entry: { [`cli-${name}`]: `src/cli/commands/${name}.ts` },
    ...CLI_BUILD,
    splitting: true,
  })),
  {
    // What worker threads start on (src/parallel/entry.node.ts finds dist/worker.js next to the
    // bundle that starts them): each worker role (src/worker.node.ts) gets its own chunks, so a
    // worker parses only its role's code.
    entry: { worker: 'src/worker.node.ts' },
    ...CLI_BUILD,
    splitting: true,
  },
]);
