/**
 * Tokenisers for Bloom-filter features: q-grams (padded, optionally positional), the exact value,
 * a numeric neighbourhood, and date parts.
 */
import type { Tokeniser } from '../encoded/schema.js';

/**
 * Splits a normalised value into tokens.
 * @example
 * ```ts
 * tokenise('ANN', { type: 'qgram', q: 2, positional: false, padded: true }); // ['_A', 'AN', 'NN', 'N_']
 * ```
 */
export function tokenise(value: string, t: Tokeniser): string[] {
  switch (t.type) {
    case 'exact':
      return [value];
    case 'qgram': {
      const s = t.padded && t.q > 1 ? `${'_'.repeat(t.q - 1)}${value}${'_'.repeat(t.q - 1)}` : value;
      const out: string[] = [];
      // A scan beats a Set for a name's dozen q-grams; a long value (quadratic scan) takes the Set.
      if (!t.positional && s.length > 64) {
        const seen = new Set<string>();
        for (let i = 0; i + t.q <= s.length; i++) seen.add(s.slice(i, i + t.q));
        return [...seen];
      }
      if (s.length < t.q) return s.length > 0 ? [t.positional ? `0:${s}` : s] : [];
      for (let i = 0; i + t.q <= s.length; i++) {
        const g = s.slice(i, i + t.q);
        if (t.positional) out.push(`${i}:${g}`);
        // First occurrences in order, as a Set keeps them.
        else if (!out.includes(g)) out.push(g);
      }
      return out;
    }
    case 'numeric': {
      const n = Number(value);
      if (!Number.isFinite(n)) return [value];
      const out: string[] = [];
      for (let d = -t.radius; d <= t.radius; d++) out.push(String(n + d * t.step));
      return out;
    }
    case 'dateParts': {
      // value is YYYYMMDD
      const y = value.slice(0, 4);
      const m = value.slice(4, 6);
      const d = value.slice(6, 8);
      return [`Y${y}`, `M${m}`, `D${d}`, `YM${y}${m}`, `MD${m}${d}`];
    }
  }
}
