/**
 * The shape of a CLI command: its options (for `node:util` parseArgs), its help text and its action.
 */
import { parseArgs } from 'node:util';
import { BloomlinkError } from '../errors.js';
import type { OptionRule } from '../util/options.js';

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

/** The brand of every `UsageError`, from any copy of the class (see {@link UsageError}). */
const USAGE_BRAND: unique symbol = Symbol.for('bloomlink.usageError') as never;

/**
 * Thrown for a wrong command line; printed with a pointer to `--help`, exit status 2. The built CLI
 * holds this class twice — in the dispatcher, which prints the error, and in the command's bundle,
 * which may throw it (tsup.config.ts) — so `instanceof` is decided by a brand, as for
 * `BloomlinkError`.
 */
export class UsageError extends Error {
  /** `instanceof` by brand: an error from any copy of the class. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [USAGE_BRAND]?: unknown })[USAGE_BRAND] === true
    );
  }

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
    Object.defineProperty(this, USAGE_BRAND, { value: true });
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
    throw new UsageError(parseArgsMessage(e));
  }
  if (values.help) return 'help';
  const missing = Object.entries(cmd.options)
    .filter(([name, o]) => o.required && values[name] === undefined)
    .map(([name]) => `--${name}`);
  if (missing.length > 0)
    throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return values;
}

/** An option name safe to echo: letters, digits and dashes, as option names are written. */
const OPTION_NAME = /^--?[A-Za-z][A-Za-z0-9-]{0,39}$/;

/**
 * parseArgs' message without the command-line values it can quote: an unexpected argument (a key
 * pasted where a path goes, a value without its option) is never echoed; an unknown option only when
 * it looks like an option name.
 */
function parseArgsMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : '';
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return 'unexpected argument: every value must follow its option (--name VALUE)';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = /'([^']*)'/.exec(message)?.[1];
    return name !== undefined && OPTION_NAME.test(name) ? `unknown option ${name}` : 'unknown option';
  }
  const name = /'(?:-[A-Za-z], )?(--?[A-Za-z][A-Za-z0-9-]*)/.exec(message)?.[1];
  if (name !== undefined && /argument missing|ambiguous/.test(message)) return `${name} needs a value`;
  if (name !== undefined && /does not take an argument/.test(message)) return `${name} takes no value`;
  return 'invalid arguments';
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

/**
 * Reads an optional number option checked against a shared rule (src/util/options.ts), the one the
 * API applies to the same setting.
 */
export function optRule(values: OptionValues, name: string, rule: OptionRule): number | undefined {
  const v = opt(values, name);
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? Number.NaN : Number(v);
  if (!rule.test(n)) throw new UsageError(`--${name} must be ${rule.text}`);
  return n;
}

/** A run of 32 or more hex digits: 128 bits or more, what a key pasted on a command line looks like. */
const SECRET_LIKE = /[0-9A-Fa-f]{32,}/g;

/**
 * Hides anything in a message that looks like a key: a safety net behind the rule that messages name
 * options and files, never values (a key pasted as a path must not reach a terminal or a log).
 */
export function redactSecrets(message: string): string {
  return message.replace(SECRET_LIKE, '[hidden]');
}

/** Formats an error for stderr: one line, no stack, no data values, nothing that looks like a key. */
export function errorLine(e: unknown): string {
  if (e instanceof BloomlinkError) return redactSecrets(`bloomlink: error ${e.code}: ${e.message}`);
  if (e instanceof UsageError) return redactSecrets(`bloomlink: ${e.message} (see --help)`);
  // Anything else is a bug, never a bad input: it still carries a code, so no line lacks one.
  const msg = e instanceof Error ? e.message : String(e);
  return redactSecrets(`bloomlink: error INTERNAL: internal error (please report it): ${msg.split('\n')[0]}`);
}
