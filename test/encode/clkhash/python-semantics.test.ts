import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePythonFullmatch } from '../../../src/encode/clkhash/python-regex.js';
import { parsePythonFloat, parsePythonInt, pyRound } from '../../../src/encode/clkhash/python-text.js';
import { compileStrptime, formatYmd } from '../../../src/encode/clkhash/strptime.js';

interface Semantics {
  dates: { format: string; value: string; ymd: string | null }[];
  ints: { text: string; value: string | null }[];
  floats: { text: string; repr: string | null }[];
  rounds: { x: number; rounded: number }[];
  regexes: { pattern: string; value: string; fullmatch: boolean }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/python-semantics.json', import.meta.url), 'utf8'),
) as Semantics;

const fromRepr = (repr: string): number =>
  repr === 'inf' ? Number.POSITIVE_INFINITY : repr === '-inf' ? Number.NEGATIVE_INFINITY : Number(repr);

describe('agreement with CPython (fixtures/python-semantics.json)', () => {
  it(`datetime.strptime: ${fixture.dates.length} format/value pairs`, () => {
    const got = fixture.dates.map(({ format, value }) => {
      const d = compileStrptime(format).parse(value);
      return d === undefined ? null : formatYmd(d);
    });
    expect(got).toEqual(fixture.dates.map((d) => d.ymd));
  });

  it(`int(s, 10): ${fixture.ints.length} texts`, () => {
    expect(fixture.ints.map(({ text }) => parsePythonInt(text)?.toString() ?? null)).toEqual(
      fixture.ints.map((i) => i.value),
    );
  });

  it(`float(s): ${fixture.floats.length} texts`, () => {
    for (const { text, repr } of fixture.floats) {
      const got = parsePythonFloat(text);
      if (repr === null) expect(got, text).toBeUndefined();
      else expect(Object.is(got, fromRepr(repr)) || (Number.isNaN(got) && repr === 'nan'), text).toBe(true);
    }
  });

  it(`round(x): ${fixture.rounds.length} values`, () => {
    expect(fixture.rounds.map(({ x }) => pyRound(x))).toEqual(fixture.rounds.map((r) => r.rounded));
  });

  it(`re.fullmatch: ${fixture.regexes.length} pattern/value pairs`, () => {
    const got = fixture.regexes.map(({ pattern, value }) => compilePythonFullmatch(pattern).test(value));
    expect(got).toEqual(fixture.regexes.map((r) => r.fullmatch));
  });
});
