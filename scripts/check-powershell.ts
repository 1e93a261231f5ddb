/**
 * What scripts/check-doc-blocks.ts can prove about the docs' PowerShell on a machine without `pwsh`
 * (Debian has no package; the npm `pwsh` package downloads PowerShell when installed):
 *
 * 1. Syntax: each block parses with the real PowerShell grammar (tree-sitter-powershell, the WebAssembly
 *    build in `@vscode/tree-sitter-wasm`); an ERROR or MISSING node fails with its line.
 * 2. Windows PowerShell 5.1, which every Windows has: no `&&`/`||` chains (PowerShell 7 only), no `<`
 *    (reserved), no alias that exists on Windows only (`cp`, `ls`, `cat`, …: write the cmdlet).
 * 3. Commands: each command is a cmdlet or alias of {@link CMDLETS} (parameters checked against the
 *    table, whose rows come from Microsoft's reference pages, URL per cmdlet), or one of the programs
 *    in {@link PROGRAMS}. A cmdlet a new block uses must be added to the table from its page.
 * 4. bloomlink: each invocation's options parse with the CLI's own parser (`parseCommandArgs`), and
 *    an argument with a bare comma (an array in PowerShell, passed as several arguments) fails.
 *
 * Not proven: that the block runs (paths, quoting of values at run time, execution policy, npm's
 * `.ps1` shims). A machine with `pwsh` runs the blocks as well (check-doc-blocks.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Language, Node, Parser } from '@vscode/tree-sitter-wasm';
import { parseCommandArgs, UsageError } from '../src/cli/command.js';
import { COMMANDS } from '../src/cli/registry.js';

/** One finding, at a line of the block (1-based). */
export interface ShellProblem {
  readonly line: number;
  readonly message: string;
}

/** A bloomlink command line found in a block: the arguments after `bloomlink`, as the CLI gets them. */
export interface BloomlinkCall {
  readonly line: number;
  readonly args: readonly string[];
}

/** Common parameters every cmdlet takes (about_CommonParameters), with their aliases. */
const COMMON: Readonly<Record<string, readonly string[]>> = {
  Debug: ['db'],
  ErrorAction: ['ea'],
  ErrorVariable: ['ev'],
  InformationAction: ['infa'],
  InformationVariable: ['iv'],
  OutBuffer: ['ob'],
  OutVariable: ['ov'],
  PipelineVariable: ['pv'],
  Verbose: ['vb'],
  WarningAction: ['wa'],
  WarningVariable: ['wv'],
};
/** Risk-mitigation parameters of cmdlets that change state (SupportsShouldProcess). */
const SHOULD_PROCESS: Readonly<Record<string, readonly string[]>> = { WhatIf: ['wi'], Confirm: ['cf'] };

interface Cmdlet {
  /** Microsoft's reference page the parameters were taken from. */
  readonly source: string;
  /** Parameter name → its aliases, in Windows PowerShell 5.1 (a 7-only parameter is left out). */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly shouldProcess: boolean;
}

const DOCS = 'https://learn.microsoft.com/powershell/module';

/**
 * The cmdlets the guides may use, with their parameters as Microsoft's reference pages list them for
 * Windows PowerShell 5.1 (`?view=powershell-5.1`; 7.x adds parameters, never removes these).
 */
export const CMDLETS: Readonly<Record<string, Cmdlet>> = {
  'Copy-Item': {
    source: `${DOCS}/microsoft.powershell.management/copy-item?view=powershell-5.1`,
    parameters: {
      Path: [],
      LiteralPath: ['PSPath', 'LP'],
      Destination: [],
      Container: [],
      Credential: [],
      Exclude: [],
      Filter: [],
      Force: [],
      FromSession: [],
      Include: [],
      PassThru: [],
      Recurse: [],
      ToSession: [],
    },
    shouldProcess: true,
  },
  'Join-Path': {
    source: `${DOCS}/microsoft.powershell.management/join-path?view=powershell-5.1`,
    parameters: { Path: ['PSPath'], ChildPath: [], Credential: [], Resolve: [] },
    shouldProcess: false,
  },
  'Set-Location': {
    source: `${DOCS}/microsoft.powershell.management/set-location?view=powershell-5.1`,
    parameters: { Path: [], LiteralPath: ['PSPath', 'LP'], PassThru: [], StackName: [] },
    shouldProcess: false,
  },
  'Get-Content': {
    source: `${DOCS}/microsoft.powershell.management/get-content?view=powershell-5.1`,
    parameters: {
      Path: [],
      LiteralPath: ['PSPath', 'LP'],
      ReadCount: [],
      TotalCount: ['First', 'Head'],
      Tail: ['Last'],
      Filter: [],
      Include: [],
      Exclude: [],
      Force: [],
      Credential: [],
      Delimiter: [],
      Wait: [],
      Raw: [],
      Encoding: [],
      Stream: [],
    },
    shouldProcess: false,
  },
  'Test-Path': {
    source: `${DOCS}/microsoft.powershell.management/test-path?view=powershell-5.1`,
    parameters: {
      Path: [],
      LiteralPath: ['PSPath', 'LP'],
      Filter: [],
      Include: [],
      Exclude: [],
      PathType: ['Type'],
      IsValid: [],
      Credential: [],
      OlderThan: [],
      NewerThan: [],
    },
    shouldProcess: false,
  },
  'Remove-Item': {
    source: `${DOCS}/microsoft.powershell.management/remove-item?view=powershell-5.1`,
    parameters: {
      Path: [],
      LiteralPath: ['PSPath', 'LP'],
      Filter: [],
      Include: [],
      Exclude: [],
      Recurse: [],
      Force: [],
      Credential: [],
      Stream: [],
    },
    shouldProcess: true,
  },
  'Write-Output': {
    source: `${DOCS}/microsoft.powershell.utility/write-output?view=powershell-5.1`,
    parameters: { InputObject: [], NoEnumerate: [] },
    shouldProcess: false,
  },
};

/** Aliases defined on every platform (PowerShell 7 on Linux/macOS drops the Unix-named ones). */
const ALIASES: Readonly<Record<string, string>> = {
  cpi: 'Copy-Item',
  cd: 'Set-Location',
  sl: 'Set-Location',
  gc: 'Get-Content',
  ri: 'Remove-Item',
  echo: 'Write-Output',
};
/** Aliases Windows has and PowerShell elsewhere does not (there they run the Unix program). */
const WINDOWS_ONLY_ALIASES: Readonly<Record<string, string>> = {
  cp: 'Copy-Item',
  cat: 'Get-Content',
  ls: 'Get-ChildItem',
  rm: 'Remove-Item',
  mv: 'Move-Item',
  type: 'Get-Content',
  write: 'Write-Output',
};

/** Programs a block may run besides cmdlets: what the guides install or need. */
export const PROGRAMS: ReadonlySet<string> = new Set(['bloomlink', 'npm', 'npx', 'node']);

let parser: Promise<Parser> | undefined;

/** The PowerShell parser (loaded once). */
function powershellParser(): Promise<Parser> {
  parser ??= (async () => {
    const require = createRequire(import.meta.url);
    const main = require.resolve('@vscode/tree-sitter-wasm');
    const ts = require('@vscode/tree-sitter-wasm') as {
      Parser: typeof Parser;
      Language: typeof Language;
    };
    const dir = main.slice(0, main.lastIndexOf('/') + 1);
    await ts.Parser.init({ locateFile: (file: string) => dir + file });
    const lang = await ts.Language.load(readFileSync(`${dir}tree-sitter-powershell.wasm`));
    const p = new ts.Parser();
    p.setLanguage(lang);
    return p;
  })();
  return parser;
}

function* walk(node: Node): Generator<Node> {
  yield node;
  for (const c of node.children) if (c) yield* walk(c);
}

/** An argument's value as the program would get it, or undefined when it is computed at run time. */
function argumentText(node: Node): string | undefined {
  const t = node.text;
  if (node.type === 'generic_token' || node.type === 'command_parameter') return t.replace(/`(.)/g, '$1');
  const lits = [...walk(node)].filter((n) => n.type === 'string_literal' || /_literal$/.test(n.type));
  const first = lits[0];
  if (first?.type === 'string_literal') {
    if (t.startsWith("'")) return t.slice(1, -1).replaceAll("''", "'");
    if (t.startsWith('"') && !t.includes('$')) return t.slice(1, -1);
    return undefined;
  }
  return first ? first.text : undefined;
}

/** The lowercase name → canonical cmdlet name, and why a name is refused. */
function resolveCommand(name: string): { cmdlet?: string; program?: string; problem?: string } {
  const lower = name.toLowerCase();
  const cmdlet = Object.keys(CMDLETS).find((c) => c.toLowerCase() === lower);
  if (cmdlet) return { cmdlet };
  const alias = ALIASES[lower];
  if (alias) return { cmdlet: alias };
  const winOnly = WINDOWS_ONLY_ALIASES[lower];
  if (winOnly)
    return {
      problem: `'${name}' is an alias on Windows only (elsewhere the Unix program): write ${winOnly}`,
    };
  if (PROGRAMS.has(lower)) return { program: lower };
  return {
    problem:
      `'${name}' is neither a cmdlet of the checked table (scripts/check-powershell.ts CMDLETS, from ` +
      `Microsoft's reference) nor an allowed program (${[...PROGRAMS].join(', ')})`,
  };
}

/** Problems with a cmdlet's parameter (`-Name`, `-Name:value`), matched as PowerShell binds them. */
function parameterProblem(cmdletName: string, written: string): string | undefined {
  const c = CMDLETS[cmdletName];
  if (!c) return undefined;
  const name = written.replace(/^-/, '').replace(/:.*$/, '');
  const all = { ...c.parameters, ...COMMON, ...(c.shouldProcess ? SHOULD_PROCESS : {}) };
  const names = Object.entries(all).flatMap(([p, aliases]) => [p, ...aliases].map((n) => [n, p] as const));
  const exact = names.find(([n]) => n.toLowerCase() === name.toLowerCase());
  if (exact) return undefined;
  const prefixed = new Set(
    names.filter(([n]) => n.toLowerCase().startsWith(name.toLowerCase())).map(([, p]) => p),
  );
  if (prefixed.size === 1) return undefined;
  if (prefixed.size > 1) return `${cmdletName} -${name} is ambiguous (${[...prefixed].join(', ')})`;
  return `${cmdletName} has no parameter -${name} (${c.source})`;
}

/**
 * Checks one PowerShell block: syntax, Windows PowerShell 5.1, commands and cmdlet parameters, and
 * returns the bloomlink calls it makes (their options are checked by {@link checkBloomlinkCall}).
 *
 * @example
 * ```ts
 * const { problems } = await checkPowerShell("Copy-Item (Join-Path $S 'a.csv') .");
 * problems; // []
 * ```
 */
export async function checkPowerShell(
  code: string,
): Promise<{ problems: ShellProblem[]; calls: BloomlinkCall[] }> {
  const tree = (await powershellParser()).parse(code);
  if (!tree) throw new Error('the PowerShell parser returned no tree');
  const problems: ShellProblem[] = [];
  const calls: BloomlinkCall[] = [];
  const at = (n: Node): number => n.startPosition.row + 1;
  for (const n of walk(tree.rootNode)) {
    if (n.isError) problems.push({ line: at(n), message: `syntax error: '${n.text.split('\n')[0]}'` });
    else if (n.isMissing) problems.push({ line: at(n), message: `syntax error: missing ${n.type}` });
    else if (n.type === 'pipeline_chain_tail')
      problems.push({
        line: at(n),
        message: `'${n.text.trim()}' chains commands in PowerShell 7 only (Windows PowerShell 5.1 stops): one command a line`,
      });
    else if (n.type === 'file_redirection_operator' && n.text.trim() === '<')
      problems.push({ line: at(n), message: "'<' is reserved in PowerShell: no input redirection" });
    else if (n.type === 'command') {
      const nameNode = n.childForFieldName('command_name');
      if (nameNode?.type !== 'command_name') {
        problems.push({
          line: at(n),
          message: 'a command invoked through an expression (& …) is not checked',
        });
        continue;
      }
      const resolved = resolveCommand(nameNode.text);
      if (resolved.problem) {
        problems.push({ line: at(n), message: resolved.problem });
        continue;
      }
      const elements = (n.childForFieldName('command_elements')?.namedChildren ?? []).filter(
        (e): e is Node => e !== null && e.type !== 'command_argument_sep',
      );
      if (resolved.cmdlet) {
        for (const e of elements)
          if (e.type === 'command_parameter') {
            const p = parameterProblem(resolved.cmdlet, e.text);
            if (p) problems.push({ line: at(e), message: p });
          }
        continue;
      }
      const args: string[] = [];
      for (const e of elements) {
        if (e.type === 'redirection') continue;
        const items = e.type === 'array_literal_expression' ? e.namedChildren : [e];
        if (items.length > 1) {
          problems.push({
            line: at(e),
            message: `'${e.text}': a comma makes an array, passed to ${resolved.program} as separate arguments: quote the value`,
          });
          continue;
        }
        args.push(argumentText(e) ?? '<computed>');
      }
      if (resolved.program === 'bloomlink') calls.push({ line: at(n), args });
      else if (resolved.program === 'npx' && args[0] === 'bloomlink')
        calls.push({ line: at(n), args: args.slice(1) });
    }
  }
  return { problems, calls };
}

/**
 * Whether a bloomlink command line parses with the CLI's own parser: a known command, known options,
 * values where the command wants them, required options present. Undefined when it does.
 *
 * @example
 * ```ts
 * await checkBloomlinkCall(['keygen', '--out', 'linkage.key']); // undefined
 * await checkBloomlinkCall(['keygen', '--outt', 'linkage.key']); // 'keygen: unknown option --outt'
 * ```
 */
export async function checkBloomlinkCall(args: readonly string[]): Promise<string | undefined> {
  const [name, ...rest] = args;
  if (name === undefined) return 'bloomlink without a command';
  if (['--help', '-h', 'help', '--version', '-v'].includes(name)) return undefined;
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) return `unknown command '${name}'`;
  try {
    parseCommandArgs(await entry.load(), rest);
    return undefined;
  } catch (e) {
    if (e instanceof UsageError) return `${name}: ${e.message}`;
    throw e;
  }
}

/**
 * The bloomlink command lines of a POSIX shell block (`bloomlink …`, `npx bloomlink …`), one a line,
 * with `\` continuations joined and quotes removed; enough to compare them with a PowerShell block's.
 *
 * @example
 * ```ts
 * shellBloomlinkCalls('bloomlink keygen --out k  # make a key'); // [{ line: 1, args: ['keygen', '--out', 'k'] }]
 * ```
 */
export function shellBloomlinkCalls(code: string): BloomlinkCall[] {
  const calls: BloomlinkCall[] = [];
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i] ?? '';
    const line = i + 1;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i] ?? ''}`;
    const words = (text.replace(/(^|\s)#.*$/, '').match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((w) =>
      w.replace(/^(['"])(.*)\1$/, '$2'),
    );
    const start = words[0] === 'npx' ? 1 : 0;
    if (words[start] === 'bloomlink') calls.push({ line, args: words.slice(start + 1) });
  }
  return calls;
}

/** The command and option names of a call: what a PowerShell block and the bash block it mirrors share. */
export function callShape(args: readonly string[]): string {
  return [args[0] ?? '', ...args.slice(1).filter((a) => a.startsWith('-'))].join(' ');
}
