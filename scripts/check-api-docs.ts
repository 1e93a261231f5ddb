/**
 * Checks the public API documentation: every exported function, class and constant of every entry
 * point has a TSDoc summary and an `@example`; every exported interface and type has a summary; and
 * every `@example` type-checks as a user's module importing the package (scripts/check-api-examples.ts).
 * Run by CI after typedoc (npx tsx scripts/check-api-docs.ts). Exit status 1 lists what is missing.
 */
import {
  Application,
  type DeclarationReflection,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
} from 'typedoc';
import { checkApiExamples } from './check-api-examples.js';

const app = await Application.bootstrapWithPlugins({ logLevel: 'Error' }, [
  new TypeDocReader(),
  new TSConfigReader(),
]);
const project = await app.convert();
if (!project) {
  console.error('typedoc could not convert the project');
  process.exit(1);
}
const needExample = ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Variable;
const needSummary = needExample | ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Enum;
const problems: string[] = [];
for (const r of project.getReflectionsByKind(needSummary) as DeclarationReflection[]) {
  // Only the top-level exports of the entry points (children of a module).
  if (!r.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) continue;
  const comments = [r.comment, ...(r.signatures ?? []).map((s) => s.comment)].filter((c) => c !== undefined);
  const where = `${r.getFullName()} (${r.sources?.[0]?.fileName ?? '?'})`;
  if (!comments.some((c) => c.summary.length > 0)) problems.push(`no summary: ${where}`);
  if (r.kindOf(needExample) && !comments.some((c) => c.getTag('@example')))
    problems.push(`no @example: ${where}`);
}
const examples = checkApiExamples();
for (const p of examples.problems) problems.push(`@example does not type-check: ${p.where}: ${p.message}`);
if (problems.length > 0) {
  console.error(
    `${problems.length} API documentation problems:\n${[...new Set(problems)].sort().join('\n')}`,
  );
  process.exit(1);
}
console.log(
  'API docs: every export has a summary, and every function, class and constant an @example; ' +
    `the ${examples.checked} examples type-check`,
);
