import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compact, dateTime, esc, fixed, int, pct, prob, sci, signed } from '../../src/report/format.js';

describe('report text formats', () => {
  it('escapes every markup character, and only those', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = esc(s);
        expect(e).not.toMatch(/[<>"']/);
        expect(e.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        const back = e
          .replaceAll('&lt;', '<')
          .replaceAll('&gt;', '>')
          .replaceAll('&quot;', '"')
          .replaceAll('&#39;', "'")
          .replaceAll('&amp;', '&');
        expect(back).toBe(s);
      }),
    );
  });

  it('groups thousands and keeps the value', () => {
    expect(int(0)).toBe('0');
    expect(int(999)).toBe('999');
    expect(int(1000)).toBe('1,000');
    expect(int(-1234567)).toBe('−1,234,567');
    expect(int(Number.NaN)).toBe('—');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const s = int(n);
        expect(s).toMatch(/^\d{1,3}(,\d{3})*$/);
        expect(Number(s.replaceAll(',', ''))).toBe(n);
      }),
    );
  });

  it('writes signs, percentages and probabilities for people', () => {
    expect(fixed(-2.345, 1)).toBe('−2.3');
    expect(fixed(-0.04, 1)).toBe('0.0');
    expect(signed(3.06)).toBe('+3.1');
    expect(signed(0.04)).toBe('0.0');
    expect(signed(-13.84)).toBe('−13.8');
    expect(pct(0.98765)).toBe('98.8%');
    expect(pct(1, 0)).toBe('100%');
    expect(prob(0.42)).toBe('0.420');
    expect(prob(0.99995)).toBe('> 0.999');
    expect(prob(1)).toBe('1.000');
    expect(prob(0.0001)).toBe('< 0.001');
    expect(prob(0)).toBe('0.000');
  });

  it('writes small probabilities with powers of ten, carrying a rounded mantissa', () => {
    expect(sci(0.25)).toBe('0.250');
    expect(sci(0)).toBe('0');
    expect(sci(5.0199e-7)).toBe('5.02 × 10⁻⁷');
    expect(sci(9.9996e-5)).toBe('1.00 × 10⁻⁴');
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.000999, noNaN: true }), (x) => {
        const m = /^(\d\.\d\d) × 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(sci(x));
        expect(m).not.toBeNull();
        const exp = Number(
          [...m![2]!]
            .map((c) => ('⁻⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c) === 0 ? '-' : String('⁻⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c) - 1)))
            .join(''),
        );
        const value = Number(m![1]) * 10 ** exp;
        expect(Math.abs(value - x) / x).toBeLessThan(0.006);
      }),
    );
  });

  it('abbreviates axis labels', () => {
    expect(compact(950)).toBe('950');
    expect(compact(12_345)).toBe('12k');
    expect(compact(1_234_567)).toBe('1.2M');
    expect(compact(-1500)).toBe('−1.5k');
    expect(compact(0.5)).toBe('0.5');
  });

  it('writes times for people, in UTC', () => {
    expect(dateTime('2026-01-01T09:30:00.000Z')).toBe('1 January 2026, 09:30 UTC');
    expect(dateTime('2026-07-04T23:05:00-02:00')).toBe('5 July 2026, 01:05 UTC');
    expect(dateTime('not a date')).toBe('not a date');
  });
});
