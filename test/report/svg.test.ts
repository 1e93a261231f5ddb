import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linear, rect, svg, text, ticks } from '../../src/report/svg.js';

describe('report SVG primitives', () => {
  it('maps a domain linearly onto a range', () => {
    const x = linear(0, 10, 40, 540);
    expect(x(0)).toBe(40);
    expect(x(5)).toBe(290);
    expect(x(10)).toBe(540);
    expect(linear(3, 3, 0, 100)(3)).toBe(50);
  });

  it('chooses round, evenly spaced ticks inside the interval', () => {
    expect(ticks(-3.2, 17, 5)).toEqual([0, 5, 10, 15]);
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(2, 2, 5)).toEqual([2]);
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        (lo, span, count) => {
          const hi = lo + span;
          const t = ticks(lo, hi, count);
          expect(t.length).toBeGreaterThanOrEqual(1);
          expect(t.length).toBeLessThanOrEqual(count * 2 + 2);
          const step = t.length > 1 ? t[1]! - t[0]! : 0;
          for (let i = 0; i < t.length; i++) {
            expect(t[i]!).toBeGreaterThanOrEqual(lo);
            expect(t[i]!).toBeLessThanOrEqual(hi);
            if (i > 0)
              expect(Math.abs(t[i]! - t[i - 1]! - step)).toBeLessThanOrEqual(Math.abs(step) * 1e-6 + 1e-9);
          }
        },
      ),
    );
  });

  it('escapes text and titles, and keeps bars visible', () => {
    expect(text(1, 2, '<x>')).toBe('<text x="1" y="2">&lt;x&gt;</text>');
    expect(rect(10, 5, 10, 5, 'c', 'a&b')).toBe(
      '<rect x="10" y="5" width="0.5" height="0.5" class="c"><title>a&amp;b</title></rect>',
    );
    const s = svg('c1', 100, 50, 'T<', 'D>', '');
    expect(s).toContain(
      'width="100" height="50" viewBox="0 0 100 50" role="img" aria-labelledby="c1-t c1-d"',
    );
    expect(s).toContain('<title id="c1-t">T&lt;</title><desc id="c1-d">D&gt;</desc>');
  });
});
