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
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    splitting: false,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // What worker threads start on (src/parallel/entry.node.ts finds it next to the bundle). Code splitting
    // puts each role's dynamically imported modules in their own chunks, so a worker loads only the
    // role it serves: without it esbuild would inline every role into this one file.
    entry: { worker: 'src/worker.node.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
  },
]);
