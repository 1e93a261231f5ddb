/**
 * The CLI never echoes a key: a key pasted where the key file's path goes, a key left as a stray
 * argument or typed as a command is named by its option (or not at all), never printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLine, parseCommandArgs, redactSecrets, UsageError } from '../../src/cli/command.js';
import { encode } from '../../src/cli/commands/encode.js';
import { generateKeyHex } from '../../src/encode/key.js';
import { BloomlinkError } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bloomlink-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = generateKeyHex();
const clients = join(dir, 'clients.csv');
writeFileSync(
  clients,
  'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\nC1,Ann,Lee,1,1980-02-03,1\n',
);

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('keys are never echoed', () => {
  it('encode --key <hex>: the error names --key, not the value', async () => {
    for (const key of [KEY, `./${KEY}`, `/tmp/${KEY}.key`]) {
      const e = await failure(encode.run({ in: clients, key, out: join(dir, 'out.arrow'), quiet: true }));
      expect(e).toBeInstanceOf(BloomlinkError);
      expect((e as BloomlinkError).code).toBe('KEY_UNREADABLE');
      expect((e as BloomlinkError).message).toMatch(/^--key: /);
      expect((e as BloomlinkError).message).not.toContain(KEY);
      expect(errorLine(e)).not.toContain(KEY);
    }
  });

  it('clkhash mode: a secret given as --key is not echoed either', async () => {
    const vectors = JSON.parse(readFileSync(join(ROOT, 'test', 'vectors', 'clkhash-v3.json'), 'utf8')) as {
      cases: { schema: unknown }[];
    };
    const schema = join(dir, 'clk.json');
    writeFileSync(schema, JSON.stringify(vectors.cases[0]?.schema));
    const secret = 'correct horse battery staple';
    const e = await failure(
      encode.run({ in: clients, key: secret, schema, out: join(dir, 'clks.json'), quiet: true }),
    );
    expect((e as BloomlinkError).code).toBe('KEY_UNREADABLE');
    expect(errorLine(e)).toMatch(/error KEY_UNREADABLE: --key: /);
    expect(errorLine(e)).not.toContain(secret);
  });

  it('a weak key file is refused with KEY_WEAK; --allow-weak-secret is for clkhash mode only', async () => {
    const weak = join(dir, 'weak.key');
    writeFileSync(weak, `${'0123456789abcdef'.repeat(4)}\n`);
    const e = await failure(encode.run({ in: clients, key: weak, out: join(dir, 'o.arrow'), quiet: true }));
    expect((e as BloomlinkError).code).toBe('KEY_WEAK');
    expect((e as BloomlinkError).message).not.toContain('0123456789abcdef');
    const strong = join(dir, 'strong.key');
    writeFileSync(strong, `${KEY}\n`);
    const usage = await failure(
      encode.run({
        in: clients,
        key: strong,
        out: join(dir, 'o.arrow'),
        quiet: true,
        'allow-weak-secret': true,
      }),
    );
    expect(usage).toBeInstanceOf(UsageError);
  });

  it('parse errors never quote a stray value', () => {
    const usage = (argv: string[]) => {
      try {
        parseCommandArgs(encode, argv);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return errorLine(e);
      }
      throw new Error('expected a UsageError');
    };
    const base = ['--in', 'a.csv', '--out', 'b.arrow'];
    expect(usage([...base, '--key', 'k', KEY])).toBe(
      'bloomlink: unexpected argument: every value must follow its option (--name VALUE) (see --help)',
    );
    expect(usage([...base, `--${KEY}`])).toBe('bloomlink: unknown option (see --help)');
    expect(usage([...base, `--key=${KEY}`, '--quiet=yes'])).toBe(
      'bloomlink: --quiet takes no value (see --help)',
    );
    expect(usage([...base, '--key'])).toBe('bloomlink: --key needs a value (see --help)');
    expect(usage([...base, '--key', '--quiet'])).toBe('bloomlink: --key needs a value (see --help)');
    expect(usage([...base, '--kye', 'x'])).toBe('bloomlink: unknown option --kye (see --help)');
  });

  it('errorLine hides anything that looks like a key, whatever the error', () => {
    expect(redactSecrets(`a ${KEY} b`)).toBe('a [hidden] b');
    expect(redactSecrets('clients-2026-01-01.csv, key check 0123456789abcdef')).toBe(
      'clients-2026-01-01.csv, key check 0123456789abcdef',
    );
    expect(errorLine(new Error(`ENOENT: open '${KEY}'`))).not.toContain(KEY);
    expect(errorLine(new BloomlinkError('FILE_NOT_FOUND', `${KEY}.csv: not found`))).not.toContain(KEY);
    expect(errorLine(new UsageError(`bad ${KEY.toUpperCase()}`))).not.toContain(KEY.toUpperCase());
  });

  it('every error line carries a code: anything not a BloomlinkError or usage error is INTERNAL', () => {
    expect(errorLine(new TypeError('x is undefined\nat stack'))).toBe(
      'bloomlink: error INTERNAL: internal error (please report it): x is undefined',
    );
    expect(errorLine('thrown string')).toMatch(/^bloomlink: error INTERNAL: /);
    expect(errorLine(new BloomlinkError('FILE_EMPTY', 'a.csv: the file is empty'))).toBe(
      'bloomlink: error FILE_EMPTY: a.csv: the file is empty',
    );
  });

  it('a usage error from another copy of the class (the built CLI holds two) is still a usage error', async () => {
    const copy = (await import(
      /* @vite-ignore */ `../../src/cli/command.js?${'second-copy'}`
    )) as typeof import('../../src/cli/command.js');
    expect(copy.UsageError).not.toBe(UsageError);
    const other = new copy.UsageError('--format must be one of the listed');
    expect(other).toBeInstanceOf(UsageError);
    expect(errorLine(other)).toBe('bloomlink: --format must be one of the listed (see --help)');
    expect(new Error('--format')).not.toBeInstanceOf(UsageError);
    expect(new BloomlinkError('FILE_EMPTY', 'a.csv: the file is empty')).not.toBeInstanceOf(copy.UsageError);
  });

  it('bloomlink <key>: the unknown command is not echoed', () => {
    const run = (arg: string) => {
      try {
        execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), arg], {
          cwd: ROOT,
          stdio: 'pipe',
        });
      } catch (e) {
        const err = e as { status: number; stderr: Buffer };
        return { status: err.status, stderr: err.stderr.toString() };
      }
      throw new Error('expected a failure');
    };
    const pasted = run('s3cr3t-passphrase-not-hex');
    expect(pasted).toEqual({ status: 2, stderr: 'bloomlink: unknown command (see --help)\n' });
    expect(run('mtach').stderr).toBe("bloomlink: unknown command 'mtach' (see --help)\n");
    expect(run(KEY).stderr).not.toContain(KEY);
  }, 60_000);
});
