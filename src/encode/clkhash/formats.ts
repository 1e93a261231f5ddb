/**
 * clkhash's feature formats (`clkhash/field_formats.py`): validation of a raw value and the text
 * that is then tokenised — strings as given, integers re-printed (`' +07'` → `'7'`), dates
 * re-printed as `%Y%m%d`, enum values as given. Every check returns a reason that names the rule,
 * never the value.
 */
import { compilePythonFullmatch } from './python-regex.js';
import { codePointLength, parsePythonInt } from './python-text.js';
import type { ClkhashHashedFeature } from './schema-types.js';
import { compileStrptime, formatYmd } from './strptime.js';
import { canEncode } from './text-encoding.js';

/** Why a value was rejected (a description of the rule, free of the value). */
export interface Invalid {
  readonly invalid: string;
}

/** Validates and formats one raw value: the text to tokenise, or why it is invalid. */
export type Formatter = (value: string) => string | Invalid;

const bad = (invalid: string): Invalid => ({ invalid });

/**
 * Builds the formatter of a hashed feature.
 *
 * @example
 * ```ts
 * const fmt = compileFormatter(feature); // a `date` feature with format '%Y/%m/%d'
 * fmt('1985/07/06'); // '19850706'
 * fmt('1985/02/30'); // { invalid: 'not a date in the format "%Y/%m/%d"' }
 * ```
 */
export function compileFormatter(feature: ClkhashHashedFeature): Formatter {
  const { format, encoding } = feature;
  const encodable = (v: string): boolean => canEncode(v, encoding);
  const notEncodable = bad(`not encodable as ${encoding}`);
  switch (format.type) {
    case 'string': {
      const { pattern, minLength, maxLength } = format;
      if (pattern !== undefined) {
        const re = compilePythonFullmatch(pattern);
        const mismatch = bad('does not match the pattern of the format');
        return (v) => (!encodable(v) ? notEncodable : re.test(v) ? v : mismatch);
      }
      const upper = format.case === 'upper';
      const lower = format.case === 'lower';
      return (v) => {
        if (!encodable(v)) return notEncodable;
        if (minLength !== undefined || maxLength !== undefined) {
          const len = codePointLength(v);
          if (minLength !== undefined && len < minLength) return bad(`shorter than minLength ${minLength}`);
          if (maxLength !== undefined && len > maxLength) return bad(`longer than maxLength ${maxLength}`);
        }
        if (upper && v.toUpperCase() !== v) return bad('not upper case');
        if (lower && v.toLowerCase() !== v) return bad('not lower case');
        return v;
      };
    }
    case 'integer': {
      const min = format.minimum === undefined ? undefined : BigInt(format.minimum);
      const max = format.maximum === undefined ? undefined : BigInt(format.maximum);
      return (v) => {
        if (!encodable(v)) return notEncodable;
        const n = parsePythonInt(v);
        if (n === undefined) return bad('not an integer');
        if (min !== undefined && n < min) return bad(`below the minimum ${min}`);
        if (max !== undefined && n > max) return bad(`above the maximum ${max}`);
        return String(n);
      };
    }
    case 'date': {
      const parser = compileStrptime(format.format);
      const notDate = bad(`not a date in the format "${format.format}"`);
      return (v) => {
        if (!encodable(v)) return notEncodable;
        const d = parser.parse(v);
        return d === undefined ? notDate : formatYmd(d);
      };
    }
    case 'enum': {
      const values = new Set(format.values);
      const notListed = bad('not one of the enum values');
      return (v) => (!encodable(v) ? notEncodable : values.has(v) ? v : notListed);
    }
  }
}
