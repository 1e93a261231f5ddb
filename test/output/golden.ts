/**
 * Golden-file comparison: byte for byte against test/fixtures/output/golden/. Run the tests with
 * UPDATE_GOLDEN=1 to rewrite the files after an intended change (then review the diff).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'output');
const GOLDEN = join(FIXTURES, 'golden');

/** Compares `text` with the golden file at `rel` (or writes it when UPDATE_GOLDEN=1). */
export function expectGolden(rel: string, text: string): void {
  const path = join(GOLDEN, rel);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  // Compare bytes, not decoded text, so line endings and encoding are checked too.
  const expected = readFileSync(path);
  expect(Buffer.from(text, 'utf8').equals(expected), `${rel} differs from its golden file`).toBe(true);
}

/** A fixture file's bytes. */
export function fixture(rel: string): Uint8Array {
  return readFileSync(join(FIXTURES, rel));
}
