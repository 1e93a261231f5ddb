/**
 * Builds the browser encoding page into a folder that can be opened as is or put on any static host:
 * `index.html`, `style.css`, `favicon.svg`, `main.js` (the page script with the worker inlined as
 * text) and `third-party-licenses.txt` (the licences of the bundled packages).
 *
 *   npx tsx examples/browser-encode/build.ts [OUT_DIR]      (default: examples/browser-encode/dist)
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, formatMessages, type Message, type Metafile, type Plugin } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const STATIC_FILES = ['index.html', 'style.css', 'favicon.svg'] as const;
const WORKER_MODULE = 'virtual:encode-worker';

/**
 * What {@link buildBrowserEncode} wrote.
 *
 * @example
 * ```ts
 * const { outDir, files } = await buildBrowserEncode('/tmp/page');
 * files['main.js']; // size in bytes
 * ```
 */
export interface BrowserEncodeBuild {
  readonly outDir: string;
  /** File name → size in bytes. */
  readonly files: Readonly<Record<string, number>>;
}

const COMMON: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'browser',
  // A classic script, not a module: module scripts do not load from file:// pages.
  format: 'iife',
  target: ['es2022'],
  minify: true,
  metafile: true,
  write: false,
  legalComments: 'none', // the licences go to third-party-licenses.txt in full instead
  logLevel: 'silent',
};

/**
 * Bundles the worker and the page script and writes the page to `outDir`.
 *
 * @example
 * ```ts
 * import { buildBrowserEncode } from './examples/browser-encode/build.js';
 * await buildBrowserEncode(); // examples/browser-encode/dist/
 * ```
 */
export async function buildBrowserEncode(outDir: string = join(HERE, 'dist')): Promise<BrowserEncodeBuild> {
  const worker = await build({
    ...COMMON,
    entryPoints: [join(HERE, 'src/worker.ts')],
    plugins: [keepSideEffects('csp-safe')],
  });
  await failOnWarnings(worker.warnings);
  const workerJs = worker.outputFiles?.[0]?.text;
  if (workerJs === undefined) throw new Error('esbuild produced no worker bundle');
  const page = await build({
    ...COMMON,
    entryPoints: [join(HERE, 'src/main.ts')],
    plugins: [inlineText(WORKER_MODULE, workerJs)],
    banner: { js: '/* bloomlink browser encoder. Licences: third-party-licenses.txt */' },
  });
  await failOnWarnings(page.warnings);
  const pageJs = page.outputFiles?.[0]?.contents;
  if (pageJs === undefined) throw new Error('esbuild produced no page bundle');

  await mkdir(outDir, { recursive: true });
  const files: Record<string, number> = {};
  await writeFile(join(outDir, 'main.js'), pageJs);
  files['main.js'] = pageJs.length;
  for (const name of STATIC_FILES) {
    await copyFile(join(HERE, name), join(outDir, name));
    files[name] = (await readFile(join(outDir, name))).length;
  }
  const licences = await licenceText([worker.metafile, page.metafile]);
  await writeFile(join(outDir, 'third-party-licenses.txt'), licences);
  files['third-party-licenses.txt'] = Buffer.byteLength(licences);
  return { outDir, files };
}

/** A warning is a defect here (e.g. a dropped side-effect import would silently break the CSP). */
async function failOnWarnings(warnings: readonly Message[]): Promise<void> {
  if (warnings.length === 0) return;
  const text = await formatMessages([...warnings], { kind: 'warning' });
  throw new Error(`esbuild warnings:\n${text.join('\n')}`);
}

/** Resolves `id` to a module whose default export is `text`. */
function inlineText(id: string, text: string): Plugin {
  return {
    name: 'inline-text',
    setup(b) {
      const exact = new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      b.onResolve({ filter: exact }, () => ({ path: id, namespace: 'inline-text' }));
      b.onLoad({ filter: /.*/, namespace: 'inline-text' }, () => ({ contents: text, loader: 'text' }));
    },
  };
}

/**
 * Keeps the bare import of `src/<name>.js`: the repository's package.json declares every module free
 * of side effects (true of the library), so esbuild would otherwise drop an import that exists only
 * for its side effect.
 */
function keepSideEffects(name: string): Plugin {
  return {
    name: 'keep-side-effects',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^\\./${name}\\.js$`) }, (args) => ({
        path: join(args.resolveDir, `${name}.ts`),
        sideEffects: true,
      }));
    },
  };
}

/** bloomlink's licence, then name, version, licence and licence file of every bundled package. */
async function licenceText(metafiles: readonly (Metafile | undefined)[]): Promise<string> {
  const packages = new Set<string>();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta?.inputs ?? {})) {
      // The innermost node_modules segment names the package (nested copies included).
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m?.[1]) packages.add(m[1]);
    }
  }
  const parts = [`bloomlink\n${'='.repeat(9)}\n${await readFile(join(ROOT, 'LICENSE'), 'utf8')}`];
  for (const dir of [...packages].sort()) {
    const pkg = JSON.parse(await readFile(join(ROOT, dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const title = `${pkg.name} ${pkg.version} (${pkg.license ?? 'see below'})`;
    const licenceFiles = (await readdir(join(ROOT, dir))).filter((f) =>
      /^(licen[cs]e|copying|notice)/i.test(f),
    );
    const texts = await Promise.all(licenceFiles.sort().map((f) => readFile(join(ROOT, dir, f), 'utf8')));
    parts.push(`${title}\n${'='.repeat(title.length)}\n${texts.join('\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2] === undefined ? undefined : resolve(process.argv[2]);
  const { outDir, files } = await buildBrowserEncode(out);
  for (const [name, size] of Object.entries(files)) {
    process.stdout.write(`${join(outDir, name)}  ${(size / 1024).toFixed(1)} KiB\n`);
  }
}
