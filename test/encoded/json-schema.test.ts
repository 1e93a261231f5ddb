import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { linkageSchemaJsonSchema, parseLinkageSchema } from '../../src/encoded/schema.js';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'));

describe('published schemas', () => {
  it('schemas/linkage-schema.v1.json is the current JSON Schema', () => {
    expect(read('linkage-schema.v1.json')).toEqual(JSON.parse(JSON.stringify(linkageSchemaJsonSchema())));
  });
  it('schemas/default-linkage-schema.json is the built-in default and parses back to it', () => {
    const json = read('default-linkage-schema.json');
    expect(json).toEqual(JSON.parse(JSON.stringify(DEFAULT_SCHEMA)));
    expect(parseLinkageSchema(json)).toEqual(DEFAULT_SCHEMA);
  });
  it('refuses an invalid schema with a one-line reason naming the path', () => {
    const bad = { ...DEFAULT_SCHEMA, features: [{ ...DEFAULT_SCHEMA.features[0]!, bits: 100 }] };
    expect(() => parseLinkageSchema(bad)).toThrow(/^linkage schema: features\.0\.bits: /);
  });
});
