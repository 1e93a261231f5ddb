/**
 * Writes schemas/linkage-schema.v1.json (the JSON Schema of bloomlink's linkage schema) and
 * schemas/default-linkage-schema.json (the built-in default schema). `--check` exits 1 when the
 * committed files are out of date (run by the tests).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SCHEMA } from '../src/encoded/default-schema.js';
import { linkageSchemaJsonSchema } from '../src/encoded/schema.js';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
const files: Record<string, string> = {
  'linkage-schema.v1.json': `${JSON.stringify(linkageSchemaJsonSchema(), null, 2)}\n`,
  'default-linkage-schema.json': `${JSON.stringify(DEFAULT_SCHEMA, null, 2)}\n`,
};
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, text] of Object.entries(files)) {
  if (check) {
    let current = '';
    try {
      current = readFileSync(dir + name, 'utf8');
    } catch {}
    if (current !== text) {
      console.error(`schemas/${name} is out of date: run npx tsx scripts/gen-json-schema.ts`);
      stale++;
    }
  } else writeFileSync(dir + name, text);
}
process.exitCode = stale > 0 ? 1 : 0;
