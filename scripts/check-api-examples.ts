/**
 * Type-checks the TSDoc `@example` of every export of the package's entry points (`bloomlink`,
 * `bloomlink/encode`, `bloomlink/synth`, `bloomlink/node`), as a user would paste it into an ES module:
 *
 * - Each ```ts block under an `@example` tag becomes a module of its own. The names it uses that the
 *   package exports, and that the block neither imports nor declares itself, are imported from the
 *   package by name (`import { readClients, type EncodedBatch } from 'bloomlink'`): an example shows
 *   the call, the import line is implied.
 * - A small set of declared fixtures stands for what an example starts from (`bytes`, the two encoded
 *   lists `coc` and `mcp`, a `model`, a `key`...): {@link FIXTURES}. Anything else the example uses
 *   must be written in it, so an example that compiles is one a reader can complete by supplying
 *   those few inputs.
 * - The examples are checked with the repository's compiler settings (strict,
 *   `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`) against the entry points in src/ (the
 *   `paths` of tsconfig.json), in one program that reuses the parsed sources: only the examples'
 *   own diagnostics are reported.
 *
 * The six examples of the staged API are also RUN against the built package by
 * scripts/run-doc-examples.ts. Usage: npx tsx scripts/check-api-examples.ts [--keep] (check-api-docs.ts
 * runs it too).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The package's entry points, import specifier and source, in the order of tsconfig.json's `paths`
 * (the one list that maps `bloomlink`, `bloomlink/encode`, … to src/; the root entry first).
 */
export const ENTRIES: readonly { readonly specifier: string; readonly file: string }[] = Object.entries(
  compilerOptions().paths ?? {},
).flatMap(([specifier, files]) =>
  specifier === 'bloomlink' || specifier.startsWith('bloomlink/')
    ? [{ specifier, file: relative(root, join(root, files[0] ?? '')) }]
    : [],
);

/**
 * What an example may start from without building it: the inputs a reader has in hand (a file's
 * bytes, the two encoded lists, a trained model, the key). Declared, never defined: the check is
 * about types.
 */
export const FIXTURES = `import type * as B from 'bloomlink';
declare global {
  /** A list file's bytes (what fileBytes() or fetch().arrayBuffer() gives). */
  const bytes: Uint8Array;
  /** The CoC's and the plan's encoded lists (readEncoded() of coc.arrow and mcp.arrow). */
  const coc: B.EncodedList;
  const mcp: B.EncodedList;
  /** A trained linkage model (train(), or parseModel() of model.json). */
  const model: B.LinkageModel;
  /** The shared secret key, as the key file holds it (64 hexadecimal digits). */
  const keyHex: string;
  /** The key's bytes (parseKey(keyHex)). */
  const key: Uint8Array;
  /** A path to a file or folder the example reads. */
  const path: string;
}
export {};
`;

/** One example code block. */
export interface ApiExample {
  /** The exported name it documents. */
  readonly name: string;
  /** Source file and 1-based line of the block's first code line. */
  readonly file: string;
  readonly line: number;
  readonly code: string;
  /** The entry it is exported from (its names are imported from there first). */
  readonly specifier: string;
}

/**
 * The ```ts blocks of a TSDoc comment's `@example` tags, with the comment's leading `*` removed.
 * @example
 * ```ts
 * exampleBlocks('/**\n * @example\n * ```ts\n * f(1);\n * ```\n *\/'); // [{ offset: 3, code: 'f(1);' }]
 * ```
 */
export function exampleBlocks(comment: string): { offset: number; code: string }[] {
  const lines = comment.split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ''));
  const out: { offset: number; code: string }[] = [];
  let inExample = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (/^@\w+/.test(l)) inExample = l.startsWith('@example');
    if (!inExample) continue;
    const open = /^(`{3,})(ts|typescript)\s*$/.exec(l.trim());
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && (lines[j] ?? '').trim() !== open[1]; j++) body.push(lines[j] ?? '');
    out.push({ offset: i + 1, code: body.join('\n') });
    i = j;
  }
  return out;
}

/**
 * The identifiers an example uses, and the names it binds itself (imports and top-level
 * declarations), from its syntax tree.
 * @example
 * ```ts
 * namesOf('import { a } from "x"; const b = a(c);'); // { used: {a, b, c}, bound: {a, b} }
 * ```
 */
export function namesOf(code: string): { used: Set<string>; bound: Set<string> } {
  const sf = ts.createSourceFile('example.mts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const used = new Set<string>();
  const bound = new Set<string>();
  const bind = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) bound.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      if (c?.name) bound.add(c.name.text);
      const nb = c?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) bound.add(nb.name.text);
      else if (nb) for (const e of nb.elements) bound.add(e.name.text);
    } else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
    else if (
      (ts.isFunctionDeclaration(s) ||
        ts.isClassDeclaration(s) ||
        ts.isInterfaceDeclaration(s) ||
        ts.isTypeAliasDeclaration(s) ||
        ts.isEnumDeclaration(s)) &&
      s.name
    )
      bound.add(s.name.text);
  }
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { used, bound };
}

/** An entry that exports a name, and whether the name is a type only there. */
export interface ExportedName {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** For each exported name, the entries exporting it, in the order of ENTRIES. */
export type ExportedNames = ReadonlyMap<string, readonly ExportedName[]>;

/**
 * The import lines an example needs: every exported name it uses but neither imports nor declares,
 * from the example's own entry when that exports it (two entries may export different things under
 * one name), else from the first entry that does; grouped by entry.
 * @example
 * ```ts
 * importsFor('readClients(bytes)', new Map([['readClients', [{ specifier: 'bloomlink', typeOnly: false }]]]), 'bloomlink');
 * // "import { readClients } from 'bloomlink';"
 * ```
 */
export function importsFor(code: string, exported: ExportedNames, own: string): string {
  const { used, bound } = namesOf(code);
  const bySpecifier = new Map<string, string[]>();
  for (const name of [...used].sort()) {
    const from = exported.get(name);
    const e = from?.find((x) => x.specifier === own) ?? from?.[0];
    if (!e || bound.has(name)) continue;
    const list = bySpecifier.get(e.specifier) ?? [];
    list.push(e.typeOnly ? `type ${name}` : name);
    bySpecifier.set(e.specifier, list);
  }
  return ENTRIES.filter((e) => bySpecifier.has(e.specifier))
    .map((e) => `import { ${(bySpecifier.get(e.specifier) ?? []).join(', ')} } from '${e.specifier}';`)
    .join('\n');
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, { noEmit: true }, configPath);
  return parsed.options;
}

/** Every exported name of the entry points, and the examples of their declarations (each once). */
export function collectExamples(program: ts.Program): {
  exported: ExportedNames;
  examples: ApiExample[];
} {
  const checker = program.getTypeChecker();
  const exported = new Map<string, ExportedName[]>();
  const examples: ApiExample[] = [];
  const seen = new Set<ts.Node>();
  for (const entry of ENTRIES) {
    const sf = program.getSourceFile(join(root, entry.file));
    const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) throw new Error(`no module for ${entry.file}`);
    for (const sym of checker.getExportsOfModule(moduleSymbol)) {
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      const name = sym.getName();
      const list = exported.get(name) ?? [];
      list.push({
        specifier: entry.specifier,
        typeOnly: (target.flags & ts.SymbolFlags.Value) === 0 || isTypeOnlyExport(sym),
      });
      exported.set(name, list);
      for (const decl of target.getDeclarations() ?? []) {
        // A variable's TSDoc sits on its statement; an overload's on each signature.
        const holder = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
        if (seen.has(holder)) continue;
        seen.add(holder);
        const file = holder.getSourceFile();
        // The TSDoc is the last /** comment before the declaration (what the compiler and TypeDoc read).
        const range = (ts.getLeadingCommentRanges(file.text, holder.getFullStart()) ?? [])
          .filter((r) => file.text.startsWith('/**', r.pos))
          .at(-1);
        if (!range) continue;
        const first = file.getLineAndCharacterOfPosition(range.pos).line;
        for (const b of exampleBlocks(file.text.slice(range.pos, range.end)))
          examples.push({
            name,
            file: relative(root, file.fileName),
            line: first + b.offset + 1,
            code: b.code,
            specifier: entry.specifier,
          });
      }
    }
  }
  return { exported, examples };
}

function isTypeOnlyExport(sym: ts.Symbol): boolean {
  return (
    (sym.getDeclarations() ?? []).every(
      (d) => (ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)) || false,
    ) && (sym.getDeclarations() ?? []).length > 0
  );
}

/** One problem: where (source file and line of the example) and the compiler's message. */
export interface ExampleProblem {
  readonly where: string;
  readonly message: string;
}

/**
 * Type-checks every example; returns the problems (none: all compile) and how many were checked.
 * @example
 * ```ts
 * const { checked, problems } = checkApiExamples();
 * ```
 */
export function checkApiExamples(opts: { keep?: boolean } = {}): {
  checked: number;
  problems: ExampleProblem[];
  dir: string;
} {
  const options = compilerOptions();
  const rootNames = ENTRIES.map((e) => join(root, e.file));
  const host = ts.createCompilerHost(options, true);
  const first = ts.createProgram({ rootNames, options, host });
  const { exported, examples } = collectExamples(first);
  const dir = mkdtempSync(join(tmpdir(), 'bloomlink-api-examples-'));
  try {
    writeFileSync(join(dir, 'fixtures.d.mts'), FIXTURES);
    const byFile = new Map<string, { ex: ApiExample; preamble: number }>();
    examples.forEach((ex, i) => {
      const imports = importsFor(ex.code, exported, ex.specifier);
      const preamble = imports === '' ? 0 : imports.split('\n').length;
      const file = join(dir, `${String(i).padStart(4, '0')}-${ex.name}.mts`);
      writeFileSync(file, `${imports}${imports === '' ? '' : '\n'}${ex.code}\nexport {};\n`);
      byFile.set(file, { ex, preamble });
    });
    const second = ts.createProgram({
      rootNames: [...rootNames, join(dir, 'fixtures.d.mts'), ...byFile.keys()],
      options,
      host,
      oldProgram: first,
    });
    const problems: ExampleProblem[] = [];
    for (const [file, { ex, preamble }] of byFile) {
      const sf = second.getSourceFile(file);
      if (!sf) throw new Error(`example file not in the program: ${file}`);
      for (const d of [...second.getSyntacticDiagnostics(sf), ...second.getSemanticDiagnostics(sf)]) {
        const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line - preamble;
        problems.push({
          where: `${ex.file}:${ex.line + Math.max(0, line)} (${ex.name})`,
          message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        });
      }
    }
    return { checked: examples.length, problems, dir };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const { checked, problems, dir } = checkApiExamples({ keep: process.argv.includes('--keep') });
  for (const p of problems) console.error(`${p.where}: ${p.message}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (process.argv.includes('--keep')) console.log(`kept ${dir}`);
  if (problems.length > 0) {
    console.error(`${problems.length} problems in ${checked} API examples (${seconds} s)`);
    process.exitCode = 1;
  } else console.log(`${checked} API examples type-check (${seconds} s)`);
}
