import { defineConfig } from 'tsup';

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
  {
    // The CLI and what worker threads start on (src/parallel/entry.node.ts finds dist/worker.js next to
    // the bundle), built together with code splitting: each command the CLI loads on demand
    // (src/cli/registry.ts) and each worker role (src/worker.node.ts) gets its own chunks, shared where
    // they overlap, so a run parses only the code of its command and a worker only its role's. Without
    // splitting esbuild inlines every command and role into one file, and `bloomlink encode` on five
    // records would compile the match, report, HMIS and synth code too (docs/scaling.md, "Small jobs").
    // The banner goes on every file; a hashbang line is valid at the start of any ES module.
    // The runtime dependencies are bundled into these chunks (tree-shaken, still loaded on first use
    // where the source imports them so): importing them from node_modules costs a process 0.25 s of
    // CPU for apache-arrow's ~70 modules and 0.14 s for zod's (locales included), about a tenth of a
    // small job; the library entries above keep them external. Licences: NOTICE.md.
    entry: { cli: 'src/cli/main.ts', worker: 'src/worker.node.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
    banner: { js: '#!/usr/bin/env node' },
    noExternal: ['zod', 'apache-arrow', 'flatbuffers', 'tslib', '@noble/hashes'],
  },
]);
