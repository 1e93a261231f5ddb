/**
 * The CLI build's checks (scripts/build-plugins.ts, used by tsup.config.ts): non-ASCII characters
 * are escaped only where they are in comments, and the lazy `node:worker_threads` stub provides
 * every name a bundle reads.
 */
import * as workerThreads from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  asciiOnlyComments,
  WORKER_THREADS_NAMES,
  workerThreadsStub,
  workerThreadsUses,
} from '../../scripts/build-plugins.js';

describe('asciiOnlyComments', () => {
  it('escapes non-ASCII characters held in comments, and leaves ASCII code alone', () => {
    const code = '#!/usr/bin/env node\n// café ≥ 1\n/**\n * naïve — “quoted”\n */\nconst x = "a";\n';
    const out = asciiOnlyComments(code, 'c.js');
    expect(out).toBe(
      '#!/usr/bin/env node\n// caf\\u00e9 \\u2265 1\n/**\n * na\\u00efve \\u2014 \\u201cquoted\\u201d\n */\nconst x = "a";\n',
    );
    expect(/[\u0080-\uffff]/.test(out ?? '')).toBe(false);
    expect(asciiOnlyComments('const x = 1;\n', 'c.js')).toBeUndefined();
  });

  it('fails on a non-ASCII character outside a comment, even on a line that looks like one', () => {
    const outside = [
      // Template lines that start as comment lines do: an escape would change String.raw's text.
      'const t = String.raw`\n* é\n`;\n',
      'const t = tag`\n// é\n`;\n',
      'const r = /é/;\n',
    ];
    for (const code of outside)
      expect(() => asciiOnlyComments(code, 'c.js'), code).toThrow(/outside a comment/);
    // In a string (also on a line that starts with `*`) or an untagged template the escape leaves
    // the value as it was.
    expect(asciiOnlyComments('const t = `\n// é\n`;\n', 'c.js')).toBe('const t = `\n// \\u00e9\n`;\n');
    expect(asciiOnlyComments('const n = 2\n* "é".length;\n', 'c.js')).toBe(
      'const n = 2\n* "\\u00e9".length;\n',
    );
  });
});

describe('the lazy worker_threads stub', () => {
  it('provides each listed name from Node’s module, loaded on the first read', () => {
    const module = { exports: {} as Record<string, unknown> };
    let loads = 0;
    const require = (id: string) => {
      loads++;
      expect(id).toBe('node:worker_threads');
      return workerThreads;
    };
    new Function('module', 'require', workerThreadsStub(WORKER_THREADS_NAMES))(module, require);
    expect(loads).toBe(0);
    for (const name of WORKER_THREADS_NAMES) {
      expect(module.exports[name], name).toBeDefined();
      expect(module.exports[name]).toBe((workerThreads as Record<string, unknown>)[name]);
    }
    expect(loads).toBe(1);
    expect(Object.keys(module.exports)).toEqual([...WORKER_THREADS_NAMES]);
  });

  it('fails a bundle that reads a name the stub does not provide, or uses the module otherwise', () => {
    const bundle = (use: string) =>
      [
        '// lazy-worker-threads:worker_threads',
        'var import_node_worker_threads, WorkerPool;',
        'import_node_worker_threads = __toESM(require_worker_threads());',
        'var import_node_worker_threads2 = __toESM(require_worker_threads());',
        use,
      ].join('\n');
    expect(
      workerThreadsUses(bundle('new import_node_worker_threads2.Worker(f);'), 'b.cjs', ['Worker']),
    ).toEqual(['Worker']);
    expect(() =>
      workerThreadsUses(bundle('import_node_worker_threads.isMainThread && go();'), 'b.cjs', ['Worker']),
    ).toThrow(/reads worker_threads\.isMainThread, which the lazy stub does not provide/);
    expect(() => workerThreadsUses(bundle('use(import_node_worker_threads);'), 'b.cjs', ['Worker'])).toThrow(
      /other than by reading a name/,
    );
    expect(() => workerThreadsUses(bundle(''), 'b.cjs', ['Worker'])).toThrow(/no read of it was found/);
    expect(workerThreadsUses('const x = 1;', 'keygen.cjs', ['Worker'])).toEqual([]);
  });
});
