/**
 * Small helpers for the example notebooks: a fresh working folder with copies of the sample files,
 * running the `bloomlink` command line in it (shown as a user would type it, with what it printed),
 * reading the CSV files it writes, and showing results as a cell's value. Written against Node's APIs, which the Deno kernel provides, so
 * the same file also type-checks with the repository's TypeScript set-up.
 *
 * The commands run the built package's CLI (`node dist/cli.js`, what `npx bloomlink` runs once the
 * package is installed): build it first with `npm run build` (scripts/run-notebooks.sh does).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root folder (with a trailing slash).
 *
 * @example
 * ```ts
 * join(REPO_ROOT, 'docs', 'error-codes.md');
 * ```
 */
export const REPO_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The bundled synthetic sample (data/sample/): no row describes a real person.
 *
 * @example
 * ```ts
 * readCsv(join(SAMPLE_DIR, 'truth.csv')).length;
 * ```
 */
export const SAMPLE_DIR: string = join(REPO_ROOT, 'data', 'sample');

/** Jupyter kernels (Deno's among them) draw a value that has this method with the MIME bundle it returns. */
const DISPLAY = Symbol.for('Jupyter.display');

/**
 * Something a cell shows as its result. A cell's last expression reaches the notebook with the cell's
 * reply, whereas `console.log` output travels separately and can arrive after the cell has finished
 * (and be dropped by a batch runner such as nbconvert), so the notebooks end cells with one of these.
 *
 * @example
 * ```ts
 * new Output('plain text', '**Markdown**'); // as the last expression of a cell
 * ```
 */
export class Output {
  constructor(
    /** Plain text, for every front end. */
    readonly text: string,
    /** Markdown, for front ends that render it (JupyterLab, VS Code). */
    readonly markdown?: string,
  ) {}

  /** The MIME bundle a Jupyter front end draws. */
  [DISPLAY](): Record<string, string> {
    return this.markdown === undefined
      ? { 'text/plain': this.text }
      : { 'text/plain': this.text, 'text/markdown': this.markdown };
  }

  toString(): string {
    return this.text;
  }
}

/**
 * Lines of text as a cell's result; an object becomes one indented `key: value` line per entry.
 *
 * @example
 * ```ts
 * show('links by status:', countBy(links, 'Status'));
 * ```
 */
export function show(...parts: (string | Readonly<Record<string, unknown>>)[]): Output {
  const lines: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') lines.push(p);
    else for (const [k, v] of Object.entries(p)) lines.push(`  ${k}: ${String(v)}`);
  }
  return new Output(lines.join('\n'));
}

/**
 * Rows of objects as a table (Markdown where the front end renders it, aligned text elsewhere).
 *
 * @example
 * ```ts
 * table(links.slice(0, 3));
 * ```
 */
export function table(rows: readonly Readonly<Record<string, unknown>>[]): Output {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  // Every row has a cell for every column, so row[i] and widths[i] are there.
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ');
  const text = [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
  const md = (values: readonly string[]): string =>
    `| ${values.map((v) => v.replaceAll('|', '\\|')).join(' | ')} |`;
  const markdown = [md(columns), md(columns.map(() => '---')), ...cells.map(md)].join('\n');
  return new Output(text.trimEnd(), markdown);
}

/**
 * What a finished command printed, and how it ended; shown as the command line and its output.
 *
 * @example
 * ```ts
 * const r = ws.bloomlink('--version');
 * r.status; // 0
 * ```
 */
export class CommandResult extends Output {
  constructor(
    /** The command line as typed, starting with `bloomlink`. */
    readonly command: string,
    readonly status: number,
    readonly stdout: string,
    readonly stderr: string,
    /** Whether standard output went to a file (and is left out of the display). */
    redirected: boolean,
  ) {
    const printed = [redirected ? '' : stdout, stderr].join('').trimEnd();
    const exit = status === 0 ? '' : `\n(exit status ${status})`;
    super(`$ ${command}${printed ? `\n${printed}` : ''}${exit}`);
  }
}

/**
 * Options of {@link Workspace.bloomlink}.
 *
 * @example
 * ```ts
 * const opts: RunOptions = { stdoutTo: 'linkage.key' };
 * ```
 */
export interface RunOptions {
  /** Write the command's standard output to this file of the workspace (`> FILE`) instead of showing it. */
  readonly stdoutTo?: string;
  /** Exit status the command is expected to end with (default 0); any other throws. */
  readonly expectStatus?: number;
}

/**
 * Splits a command line on spaces; double quotes group words (`--project-name "Golden State"`).
 * Enough for the notebooks' commands; it is not a shell.
 */
function splitArgs(line: string): string[] {
  const args: string[] = [];
  // One of the two groups matched.
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) args.push(m[1] ?? m[2] ?? '');
  return args;
}

/**
 * Parses CSV text (RFC 4180: quoted fields with doubled quotes, commas and line breaks inside
 * quotes; CRLF or LF line ends) into rows of fields.
 */
function parseCsvText(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Throws when `condition` is false: the notebooks state what they expect, so running them in CI
 * catches a change that breaks the workflow, not only a crash.
 *
 * @example
 * ```ts
 * check(accepted + rejected === rowsRead, 'the counts add up');
 * ```
 */
export function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`expected: ${what}`);
}

/**
 * A CSV file's rows as objects keyed by the header's column names.
 *
 * @example
 * ```ts
 * const links = readCsv('out/demo/links.csv');
 * links.filter((l) => l.Status === 'match').length;
 * ```
 */
export function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = parseCsvText(text);
  if (header === undefined) return [];
  return rows.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ''])));
}

/**
 * Writes rows of objects as CSV (the first row's keys are the header; quotes only where needed; CRLF).
 *
 * @example
 * ```ts
 * writeCsv('programs.csv', [{ MemberID: 'M1', Program: 'ECM', Provider: 'Clinic', StartDate: '2026-02-02' }]);
 * ```
 */
export function writeCsv(path: string, rows: readonly Readonly<Record<string, string>>[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const quote = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))].map((f) =>
    f.map(quote).join(','),
  );
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
}

/**
 * How many rows have each value of `column`, most frequent first.
 *
 * @example
 * ```ts
 * countBy(readCsv('links.csv'), 'Status'); // { match: 800, review: 21 }
 * ```
 */
export function countBy(rows: readonly Record<string, string>[], column: string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = r[column] ?? '';
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}

/**
 * A folder under out/notebooks/ holding copies of sample files, in which the notebook runs the
 * command line exactly as a user would in their own folder.
 *
 * @example
 * ```ts
 * const ws = Workspace.create('01-walkthrough', ['members.csv']);
 * ws.bloomlink('validate --in members.csv');
 * ```
 */
export class Workspace {
  private constructor(readonly dir: string) {}

  /**
   * Creates (or empties) out/notebooks/`name`/ and copies sample files into it.
   *
   * @param files sample files, relative to data/sample/, copied under their base name
   *   (`hmis-fy2026/Client.csv` becomes `Client.csv`).
   * @example
   * ```ts
   * const ws = Workspace.create('01-walkthrough', ['hmis-fy2026/Client.csv', 'members.csv']);
   * ```
   */
  static create(name: string, files: readonly string[] = []): Workspace {
    if (!/^[\w.-]+$/.test(name)) throw new RangeError('name must be a plain folder name');
    const dir = join(REPO_ROOT, 'out', 'notebooks', name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of files) copyFileSync(join(SAMPLE_DIR, f), join(dir, basename(f)));
    return new Workspace(dir);
  }

  /**
   * The absolute path of a file in the workspace.
   *
   * @example
   * ```ts
   * ws.path('links.csv');
   * ```
   */
  path(file: string): string {
    return resolve(this.dir, file);
  }

  /**
   * Runs `bloomlink <commandLine>` in the workspace with the built CLI and returns what it printed,
   * which a cell shows as the command line and its output (the CLI prints counts and file names,
   * never data values). Throws when the exit status is not the expected one.
   *
   * @example
   * ```ts
   * ws.bloomlink('keygen', { stdoutTo: 'linkage.key' });
   * ws.bloomlink('encode --in Client.csv --key linkage.key --out coc.arrow');
   * ```
   */
  bloomlink(commandLine: string, opts: RunOptions = {}): CommandResult {
    const cli = join(REPO_ROOT, 'dist', 'cli.js');
    if (!existsSync(cli))
      throw new Error('dist/cli.js is missing: run `npm run build` in the repository first');
    const args = splitArgs(commandLine);
    const r = spawnSync('node', [cli, ...args], { cwd: this.dir, encoding: 'utf8' });
    if (r.error) throw r.error;
    if (opts.stdoutTo !== undefined) writeFileSync(this.path(opts.stdoutTo), r.stdout, { mode: 0o600 });
    const redirect = opts.stdoutTo === undefined ? '' : ` > ${opts.stdoutTo}`;
    const result = new CommandResult(
      `bloomlink ${commandLine}${redirect}`,
      r.status ?? 1,
      r.stdout,
      r.stderr,
      opts.stdoutTo !== undefined,
    );
    const expected = opts.expectStatus ?? 0;
    if (result.status !== expected) {
      // The CLI's error line names a file, column or code, never a value, so it can be shown.
      const reason = result.stderr.trim().split('\n').pop() ?? '';
      throw new Error(
        `bloomlink ${args[0] ?? ''} ended with exit status ${result.status}, expected ${expected}: ${reason}`,
      );
    }
    return result;
  }

  /**
   * A CSV file of the workspace as objects keyed by column name.
   *
   * @example
   * ```ts
   * const review = ws.csv('review.csv');
   * ```
   */
  csv(file: string): Record<string, string>[] {
    return readCsv(this.path(file));
  }

  /**
   * Writes rows of objects as a CSV file of the workspace (see {@link writeCsv}).
   *
   * @example
   * ```ts
   * ws.writeCsv('programs.csv', programs);
   * ```
   */
  writeCsv(file: string, rows: readonly Readonly<Record<string, string>>[]): void {
    writeCsv(this.path(file), rows);
  }

  /**
   * The files of a folder of the workspace with their data-row counts (lines after the header),
   * for a quick look at what a command wrote.
   *
   * @example
   * ```ts
   * ws.listCsv('hmis-import'); // { 'Enrollment.csv': 800, 'Exit.csv': 95, … }
   * ```
   */
  listCsv(folder = '.'): Record<string, number> {
    const dir = this.path(folder);
    const out: Record<string, number> = {};
    for (const f of readdirSync(dir).sort()) {
      if (f.toLowerCase().endsWith('.csv')) out[f] = readCsv(join(dir, f)).length;
    }
    return out;
  }
}
