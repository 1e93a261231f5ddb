/**
 * The shape of a CLI command: its options (for `node:util` parseArgs), its help text and its action.
 */
import { parseArgs } from 'node:util';
import { BloomlinkError } from '../errors.js';

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder shown in help, e.g. `FILE`. */
  readonly arg?: string;
  readonly help: string;
  readonly required?: boolean;
}

/** Parsed option values. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A CLI command. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Extra help text after the options (examples, notes). */
  readonly details?: string;
  run(values: OptionValues): Promise<number>;
}

/** Thrown for a wrong command line; printed with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Renders `--help` for a command. */
export function commandHelp(cmd: Command): string {
  const lines = [`bloomlink ${cmd.name} — ${cmd.summary}`, '', 'Options:'];
  const options = Object.entries(cmd.options).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '    ';
    return { o, label: `  ${short}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}` };
  });
  const width = Math.max(...options.map(({ label }) => label.length), 20) + 2;
  for (const { o, label } of options) {
    lines.push(`${label.padEnd(width)}${o.help}${o.required ? ' (required)' : ''}`);
  }
  lines.push(`${'  -h, --help'.padEnd(width)}show this help`);
  if (cmd.details) lines.push('', cmd.details.trimEnd());
  return `${lines.join('\n')}\n`;
}

/** Parses argv for a command; validates required options. */
export function parseCommandArgs(cmd: Command, argv: readonly string[]): OptionValues | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, o] of Object.entries(cmd.options)) {
    options[name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let values: OptionValues;
  try {
    values = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true })
      .values as OptionValues;
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  if (values.help) return 'help';
  const missing = Object.entries(cmd.options)
    .filter(([name, o]) => o.required && values[name] === undefined)
    .map(([name]) => `--${name}`);
  if (missing.length > 0)
    throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return values;
}

/** Reads a string option that parseCommandArgs has already checked as required. */
export function req(values: OptionValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} needs a value`);
  return v;
}

/** Reads an optional string option. */
export function opt(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads an optional integer option. */
export function optInt(values: OptionValues, name: string, min = 0): number | undefined {
  const v = opt(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
  return n;
}

/** Formats an error for stderr: one line, no stack, no data values. */
export function errorLine(e: unknown): string {
  if (e instanceof BloomlinkError) return `bloomlink: error ${e.code}: ${e.message}`;
  if (e instanceof UsageError) return `bloomlink: ${e.message} (see --help)`;
  const msg = e instanceof Error ? e.message : String(e);
  return `bloomlink: internal error: ${msg.split('\n')[0]}`;
}
