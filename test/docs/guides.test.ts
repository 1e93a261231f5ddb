/**
 * The getting-started guides stay true to the code: every relative link (and #anchor) resolves, and
 * every `bloomlink …` command they show names a real command with options it declares. The
 * notebooks, which run the same steps, are executed by scripts/run-notebooks.sh.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const guideDir = join(root, 'docs', 'guides');
const files = [
  ...readdirSync(guideDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(guideDir, f)),
  join(root, 'examples', 'notebooks', 'README.md'),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    out.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return out;
}

/** Markdown without its fenced code blocks, and the code blocks' lines (continuations joined). */
function split(markdown: string): { prose: string; commands: string[] } {
  const prose: string[] = [];
  const code: string[] = [];
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    else (inCode ? code : prose).push(line);
  }
  const joined = code.join('\n').replace(/\\\n\s*/g, ' ');
  return { prose: prose.join('\n'), commands: joined.split('\n') };
}

/** `bloomlink <command> <args…>` invocations in a shell line (after `$ `, `(`, `;` or `&&`). */
function invocations(line: string): string[][] {
  const out: string[][] = [];
  for (const m of line.matchAll(/(?:^|[;(&]\s*|^\$\s+)bloomlink\s+([^;)&|>#]*)/g)) {
    const args = [...m[1]!.matchAll(/"[^"]*"|'[^']*'|\S+/g)].map((a) => a[0]);
    out.push(args);
  }
  return out;
}

/** Problems with the `bloomlink` invocations of some shell lines: unknown commands and options. */
function commandProblems(lines: readonly string[], known: ReadonlyMap<string, Command>): string[] {
  const problems: string[] = [];
  for (const line of lines) {
    for (const [name, ...args] of invocations(line.trim())) {
      // `bloomlink --help`, and program output such as "bloomlink 0.1.0" or "bloomlink <command>".
      if (name === undefined || !/^[a-z][a-z-]*$/.test(name)) continue;
      const cmd = known.get(name);
      if (!cmd) {
        problems.push(`unknown command '${name}'`);
        continue;
      }
      for (const a of args) {
        if (!a.startsWith('--') || a === '--help') continue;
        const opt = a.slice(2).split('=')[0]!;
        if (!(opt in cmd.options)) problems.push(`${name}: unknown option --${opt}`);
      }
    }
  }
  return problems;
}

async function loadCommands(): Promise<Map<string, Command>> {
  const dir = join(root, 'src', 'cli', 'commands');
  const commands = new Map<string, Command>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const mod = (await import(join(dir, f))) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      const c = v as Partial<Command> | null;
      if (
        c &&
        typeof c === 'object' &&
        typeof c.name === 'string' &&
        typeof c.run === 'function' &&
        c.options
      ) {
        commands.set(c.name, c as Command);
      }
    }
  }
  return commands;
}

describe('the command check', () => {
  it('finds invocations after a prompt, a parenthesis or a separator, and flags unknown names', async () => {
    const known = await loadCommands();
    expect(invocations('$ bloomlink match --coc a --mcp b')).toEqual([['match', '--coc', 'a', '--mcp', 'b']]);
    expect(invocations('(umask 077; bloomlink keygen > linkage.key)')).toEqual([['keygen']]);
    expect(commandProblems(['bloomlink match --coc a --nope 1', 'bloomlink frobnicate'], known)).toEqual([
      'match: unknown option --nope',
      "unknown command 'frobnicate'",
    ]);
  });
});

describe.each(files.map((f) => [f.slice(root.length), f]))('%s', (_name, file) => {
  const text = readFileSync(file, 'utf8');
  const { prose, commands } = split(text);

  it('has relative links that resolve, anchors included', () => {
    const broken: string[] = [];
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // http(s), mailto
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const resolved = path === '' ? file : resolve(dirname(file), path);
      if (!existsSync(resolved)) {
        broken.push(target);
        continue;
      }
      if (
        anchor !== undefined &&
        resolved.endsWith('.md') &&
        !anchors(readFileSync(resolved, 'utf8')).has(anchor)
      ) {
        broken.push(target);
      }
    }
    expect(broken).toEqual([]);
  });

  it('shows only commands and options the CLI has', async () => {
    expect(commandProblems(commands, await loadCommands())).toEqual([]);
  });

  it('shows at least one command or links somewhere', () => {
    // Guards the parsing above: a guide without either would make both checks vacuous.
    expect(/\]\(/.test(prose) || commands.some((l) => invocations(l.trim()).length > 0)).toBe(true);
  });
});
