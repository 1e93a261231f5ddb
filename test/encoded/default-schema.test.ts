import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA } from '../../src/encoded/default-schema.js';
import { parseLinkageSchema } from '../../src/encoded/schema.js';

const NAME_BLOOM = { tokens: { type: 'qgram', q: 2 }, bits: 256, k: 8 };

describe('DEFAULT_SCHEMA', () => {
  // It is written out already parsed (no zod at module load); the encoded files' metadata holds its
  // JSON, so it must be exactly what parsing gives, key order included.
  it('is what parseLinkageSchema returns for it, key order included', () => {
    expect(JSON.stringify(parseLinkageSchema(DEFAULT_SCHEMA))).toBe(JSON.stringify(DEFAULT_SCHEMA));
  });

  it('is what the schema written with its defaults left out parses to', () => {
    const short = JSON.parse(JSON.stringify(DEFAULT_SCHEMA)) as {
      features: Record<string, unknown>[];
      hardening: unknown;
    };
    // Reorder and shorten: defaults left out, keys in another order; parsing restores both.
    short.features = short.features.map((f) =>
      f.kind === 'bloom'
        ? { name: f.name, kind: f.kind, source: f.source, keyGroup: f.keyGroup, ...NAME_BLOOM }
        : f,
    );
    short.hardening = { diffusion: { t: 3 } };
    expect(JSON.stringify(parseLinkageSchema(short))).toBe(JSON.stringify(DEFAULT_SCHEMA));
  });
});
