import { describe, expect, it } from 'vitest';
import { parseKey } from '../../src/encode/key.js';
import { type EncodeProgress, encodeList } from '../../src/encode/pipeline.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const utf8 = (s: string) => new TextEncoder().encode(s);

const MEMBERS = utf8(
  `MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate\n${Array.from(
    { length: 45 },
    (_, i) => `M${i},Ana,Ruiz,1980-01-${String((i % 28) + 1).padStart(2, '0')},Plan,Medi-Cal,2024-01-01`,
  ).join('\n')}\n`,
);
const CLIENTS = utf8(
  `PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\n${Array.from(
    { length: 25 },
    (_, i) => `${i},Ana,Ruiz,1,1980-01-01,1`,
  ).join('\n')}\n`,
);

async function encodeWith(input: Parameters<typeof encodeList>[0], opts: { totalBytes?: number } = {}) {
  const seen: EncodeProgress[] = [];
  const run = await encodeList(input, KEY, {
    today: '2026-01-01',
    progressEvery: 10,
    ...opts,
    onProgress: (p) => seen.push(p),
  });
  for await (const _ of run.batches) {
    // drain
  }
  return seen;
}

/** Phases in order, each with `done` never decreasing and ending at its total. */
function expectPhases(seen: readonly EncodeProgress[], phases: readonly string[], total: number): void {
  expect([...new Set(seen.map((p) => p.phase))]).toEqual(phases);
  for (const phase of phases) {
    const own = seen.filter((p) => p.phase === phase);
    for (let i = 1; i < own.length; i++) expect(own[i]?.done).toBeGreaterThanOrEqual(own[i - 1]?.done ?? 0);
    expect(own.every((p) => p.unit === 'bytes' && p.total === total)).toBe(true);
    expect(own.at(-1)?.done).toBe(total);
  }
  // The phases do not interleave: once `encode` starts, `spans` never comes back.
  const firstEncode = seen.findIndex((p) => p.phase === 'encode');
  expect(seen.slice(firstEncode).every((p) => p.phase === 'encode')).toBe(true);
}

describe('encodeList progress: { phase, done, total } in bytes of the input', () => {
  it("a member list: the first pass as `spans`, then `encode`, each up to the input's size", async () => {
    const seen = await encodeWith(MEMBERS);
    expectPhases(seen, ['spans', 'encode'], MEMBERS.length);
    expect(seen.at(-1)?.encoded).toBe(45);
    expect(seen.filter((p) => p.phase === 'spans').every((p) => p.encoded === 0)).toBe(true);
  });

  it('a CoC list: one `encode` phase', async () => {
    const seen = await encodeWith(CLIENTS);
    expectPhases(seen, ['encode'], CLIENTS.length);
    expect(seen.at(-1)?.rowsRead).toBe(25);
  });

  it('a stream knows no size: `totalBytes` gives it; without, `total` is absent', async () => {
    const stream = async function* () {
      yield CLIENTS.subarray(0, 100);
      yield CLIENTS.subarray(100);
    };
    expectPhases(await encodeWith(stream(), { totalBytes: CLIENTS.length }), ['encode'], CLIENTS.length);
    const unsized = await encodeWith(stream());
    expect(unsized.every((p) => p.total === undefined && p.unit === 'bytes')).toBe(true);
    expect(unsized.at(-1)?.done).toBe(CLIENTS.length);
  });

  it('object input counts rows, without a total', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      PersonalID: String(i),
      FirstName: 'Ana',
      LastName: 'Ruiz',
      NameDataQuality: '1',
      DOB: '1980-01-01',
      DOBDataQuality: '1',
    }));
    const seen = await encodeWith(rows);
    expect(seen.every((p) => p.unit === 'rows' && p.total === undefined && p.phase === 'encode')).toBe(true);
    expect(seen.at(-1)?.done).toBe(12);
  });
});
