import { describe, expect, it } from 'vitest';
import { calibrateDice, diceThresholds, withDiceThresholds } from '../../src/attack/calibrate.js';
import { DEFAULT_COMPARISONS } from '../../src/compare/comparisons.js';

const NAMES =
  `JAMES JOHN ROBERT MICHAEL WILLIAM DAVID RICHARD CHARLES JOSEPH THOMAS CHRISTOPHER DANIEL PAUL MARK
DONALD GEORGE KENNETH STEVEN EDWARD BRIAN RONALD ANTHONY KEVIN JASON MATTHEW GARY TIMOTHY JOSE LARRY JEFFREY
MARY PATRICIA LINDA BARBARA ELIZABETH JENNIFER MARIA SUSAN MARGARET DOROTHY LISA NANCY KAREN BETTY HELEN`.split(
    /\s+/,
  );

describe('calibrateDice', () => {
  const key = new Uint8Array(32).fill(4);
  it('maps thresholds to themselves without hardening', () => {
    const map = calibrateDice({}, NAMES, [0.88, 0.72, 0.5], { key });
    for (const [t, v] of map) expect(Math.abs(v - t)).toBeLessThan(0.05);
  });

  it('raises thresholds for balanced filters, which agree on their complement half', () => {
    const map = calibrateDice({ balance: true }, NAMES, [0.72], { key });
    expect(map.get(0.72)!).toBeGreaterThan(0.8);
  });
});

describe('diceThresholds', () => {
  it('lists the distinct thresholds, highest first', () => {
    const t = diceThresholds(DEFAULT_COMPARISONS);
    expect(t.length).toBeGreaterThan(1);
    expect([...t].sort((a, b) => b - a)).toEqual(t);
    expect(new Set(t).size).toBe(t.length);
  });
});

describe('withDiceThresholds', () => {
  it('replaces Dice thresholds, also inside crossDice, and keeps the rest', () => {
    const [top, ...rest] = diceThresholds(DEFAULT_COMPARISONS);
    const out = withDiceThresholds(DEFAULT_COMPARISONS, new Map([[top!, 0.99]]));
    const mins = (cs: typeof DEFAULT_COMPARISONS) =>
      cs.flatMap((c) =>
        c.levels.flatMap((l) => (l.when.type === 'dice' || l.when.type === 'crossDice' ? [l.when.min] : [])),
      );
    expect(mins(out)).toEqual(mins(DEFAULT_COMPARISONS).map((m) => (m === top ? 0.99 : m)));
    expect(diceThresholds(out)).toEqual([0.99, ...rest]);
    expect(out.find((c) => c.name === 'DOB')).toEqual(DEFAULT_COMPARISONS.find((c) => c.name === 'DOB'));
  });
});
