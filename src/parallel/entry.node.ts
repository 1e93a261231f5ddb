/**
 * Which file a worker thread starts on, so that workers work from the built package as well as from
 * source: from source (`.ts`, under tsx or vitest) the worker module itself, loaded through tsx;
 * from a build, a dedicated `worker.js` next to the bundle when the build has one, else the bundle
 * itself — its copy of worker.node.ts serves the worker, and its own top-level code (the CLI's
 * `main`) is given `--version` and a private stdout, so it prints nowhere and does nothing else.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';
import { WORKER_MARK } from './worker.node.js';

/** The URL of this module's file (ESM, or the CJS build's `__filename`). */
function here(): URL {
  if (typeof __filename === 'string' && __filename.length > 0) return pathToFileURL(__filename);
  return new URL(import.meta.url);
}

/**
 * The worker's file (or, from source, a small ES module that registers tsx and imports it) and
 * options.
 * @example
 * ```ts
 * const { file, options } = workerEntry();
 * const worker = new Worker(file, options);
 * ```
 */
export function workerEntry(): { file: URL | string; options: WorkerOptions } {
  const self = here();
  const workerData = { [WORKER_MARK]: true };
  if (self.pathname.endsWith('.ts')) {
    // Loader flags are not inherited by workers: register tsx inside the worker, then load the module.
    const pkg = createRequire(self).resolve('tsx/package.json');
    const api = pathToFileURL(pkg.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
    const target = new URL('./worker.node.ts', self).href;
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
    return { file: code, options: { eval: true, workerData } };
  }
  const dedicated = new URL('./worker.js', self);
  if (existsSync(fileURLToPath(dedicated))) return { file: dedicated, options: { workerData } };
  return { file: self, options: { workerData, argv: ['--version'], stdout: true } };
}
