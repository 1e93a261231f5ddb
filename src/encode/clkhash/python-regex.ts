/**
 * Translates a Python `re` pattern (as used by clkhash's `textPatternFormat`, matched with
 * `fullmatch`) into an equivalent JavaScript `RegExp`. Python's Unicode-aware `\d`, `\w`, `\s`,
 * its `.`, `^`, `$`, `\A`, `\Z`, `{,n}`, `(?P<name>…)` and leading inline flags are rewritten;
 * constructs without a faithful JavaScript equivalent are refused (the schema is then rejected)
 * rather than approximated silently.
 */
import { at, defined } from '../../util/defined.js';
import { PY_WHITESPACE_CLASS } from './python-text.js';

const ASCII = { d: '0-9', w: 'A-Za-z0-9_', s: ' \\t\\n\\r\\f\\v' } as const;
const UNICODE = { d: '\\p{Nd}', w: '\\p{L}\\p{N}_', s: PY_WHITESPACE_CLASS } as const;
const END = '(?![\\s\\S])';
const START = '(?<![\\s\\S])';

interface Flags {
  ascii: boolean;
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
}

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;

function readFlags(pattern: string): { flags: Flags; start: number } {
  const flags: Flags = { ascii: false, ignoreCase: false, multiline: false, dotAll: false };
  let i = 0;
  // Python 3.11 only accepts global inline flags at the very start of the pattern.
  while (pattern.startsWith('(?', i)) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(pattern.slice(i));
    if (!m) break;
    for (const f of at(m, 1)) {
      if (f === 'a') flags.ascii = true;
      else if (f === 'i') flags.ignoreCase = true;
      else if (f === 'm') flags.multiline = true;
      else if (f === 's') flags.dotAll = true;
      else if (f === 'L' || f === 'x') throw new RangeError(`inline flag (?${f}) is not supported`);
    }
    i += m[0].length;
  }
  return { flags, start: i };
}

/** Translates one escape sequence starting at `pattern[i] === '\\'`; returns text and length. */
function translateEscape(pattern: string, i: number, inClass: boolean, flags: Flags): [string, number] {
  const c = pattern[i + 1];
  if (c === undefined) throw new RangeError('pattern ends with a lone backslash');
  const cls = flags.ascii ? ASCII : UNICODE;
  switch (c) {
    case 'd':
    case 'w':
    case 's':
      return [inClass ? cls[c] : `[${cls[c]}]`, 2];
    case 'D':
      if (!flags.ascii) return ['\\P{Nd}', 2];
      if (inClass) throw new RangeError('\\D inside a character class with the ASCII flag is not supported');
      return ['[^0-9]', 2];
    case 'W':
    case 'S': {
      if (inClass) throw new RangeError(`\\${c} inside a character class is not supported`);
      return [`[^${cls[c.toLowerCase() as 'w' | 's']}]`, 2];
    }
    case 'b':
      return [inClass ? '\\x08' : '\\b', 2];
    case 'B':
      if (inClass) throw new RangeError('bad escape \\B in a character class');
      return ['\\B', 2];
    case 'A':
    case 'Z':
      if (inClass) throw new RangeError(`bad escape \\${c} in a character class`);
      return [c === 'A' ? START : END, 2];
    case 'n':
    case 't':
    case 'r':
    case 'f':
    case 'v':
      return [`\\${c}`, 2];
    case 'a':
      return ['\\x07', 2];
    case 'x': {
      const h = /^[0-9a-fA-F]{2}/.exec(pattern.slice(i + 2));
      if (!h) throw new RangeError('incomplete \\x escape');
      return [hex(Number.parseInt(h[0], 16)), 4];
    }
    case 'u':
    case 'U': {
      const len = c === 'u' ? 4 : 8;
      const h = new RegExp(`^[0-9a-fA-F]{${len}}`).exec(pattern.slice(i + 2));
      if (!h) throw new RangeError(`incomplete \\${c} escape`);
      const cp = Number.parseInt(h[0], 16);
      if (cp > 0x10ffff) throw new RangeError('escape beyond U+10FFFF');
      return [hex(cp), 2 + len];
    }
    default:
      break;
  }
  if (c >= '0' && c <= '9') {
    const oct = /^[0-7]{1,3}/.exec(pattern.slice(i + 1));
    // \0 takes up to two more octal digits; \1 to \7 are octal only with all three digits.
    const octal = c === '0' ? /^0[0-7]{0,2}/.exec(pattern.slice(i + 1)) : oct?.[0].length === 3 ? oct : null;
    if (octal) {
      const digits = octal[0];
      return [hex(Number.parseInt(digits, 8)), 1 + digits.length];
    }
    if (inClass) throw new RangeError('back-reference inside a character class');
    // c is 1 to 9 here, so the match has at least c.
    const ref = /^[1-9][0-9]?/.exec(pattern.slice(i + 1))?.[0] ?? c;
    return [`\\${ref}`, 1 + ref.length];
  }
  if (/[A-Za-z]/.test(c)) throw new RangeError(`bad escape \\${c}`);
  const cp = defined(pattern.codePointAt(i + 1), 'escaped character');
  return [hex(cp), cp > 0xffff ? 3 : 2];
}

/** Translates a character class starting at `pattern[i] === '['`. */
function charClass(pattern: string, i: number, flags: Flags): [string, number] {
  let j = i + 1;
  let out = '[';
  if (pattern[j] === '^') {
    out += '^';
    j++;
  }
  // A ']' right after '[' or '[^' is a literal in Python, an empty class in JavaScript.
  if (pattern[j] === ']') {
    out += '\\]';
    j++;
  }
  while (j < pattern.length && pattern[j] !== ']') {
    const ch = at(pattern, j);
    if (ch === '\\') {
      const [text, len] = translateEscape(pattern, j, true, flags);
      out += text;
      j += len;
    } else {
      out += ch === '[' ? '\\[' : ch;
      j++;
    }
  }
  if (j >= pattern.length) throw new RangeError('unterminated character set');
  return [`${out}]`, j + 1 - i];
}

function group(pattern: string, i: number): [string, number] {
  const rest = pattern.slice(i);
  if (!rest.startsWith('(?')) return ['(', 1];
  const named = /^\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
  if (named) return [`(?<${named[1]}>`, named[0].length];
  const ref = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
  if (ref) return [`\\k<${ref[1]}>`, ref[0].length];
  const comment = /^\(\?#[^)]*\)/.exec(rest);
  if (comment) return ['', comment[0].length];
  for (const opener of ['(?:', '(?=', '(?!', '(?<=', '(?<!'])
    if (rest.startsWith(opener)) return [opener, opener.length];
  throw new RangeError(`group construct ${rest.slice(0, 3)} is not supported`);
}

function quantifier(pattern: string, i: number): [string, number] | undefined {
  const m = /^\{([0-9]*)(,?)([0-9]*)\}/.exec(pattern.slice(i));
  if (!m || (m[1] === '' && m[2] === '' && m[3] === '')) return undefined;
  const lo = m[1] || '0';
  const text = m[2] === '' ? `{${lo}}` : `{${lo},${m[3]}}`;
  return [text, m[0].length];
}

/**
 * Compiles a Python regular expression for `fullmatch` use. Throws `RangeError` with a one-line
 * reason when the pattern is invalid in Python or uses a construct without a faithful translation
 * (`(?x)`, scoped flags, atomic groups, possessive quantifiers, conditionals, `\N{…}`, `\W`/`\S`
 * inside a class).
 *
 * @example
 * ```ts
 * const re = compilePythonFullmatch('(?P<area>\\d{3})-\\d{4}');
 * re.test('555-1234'); // true
 * re.test('555-1234x'); // false
 * ```
 */
export function compilePythonFullmatch(pattern: string): RegExp {
  const { flags, start } = readFlags(pattern);
  let out = '';
  let i = start;
  while (i < pattern.length) {
    const ch = at(pattern, i);
    let text: string;
    let len = 1;
    switch (ch) {
      case '\\':
        [text, len] = translateEscape(pattern, i, false, flags);
        break;
      case '[':
        [text, len] = charClass(pattern, i, flags);
        break;
      case '(':
        [text, len] = group(pattern, i);
        break;
      case '.':
        text = flags.dotAll ? '[\\s\\S]' : '[^\\n]';
        break;
      case '^':
        text = flags.multiline ? `(?:${START}|(?<=\\n))` : START;
        break;
      case '$':
        // Python's '$' also matches just before a final newline (or any newline when multiline).
        text = flags.multiline ? `(?=\\n|${END})` : `(?=\\n?${END})`;
        break;
      case '{': {
        const q = quantifier(pattern, i);
        [text, len] = q ?? ['\\{', 1];
        break;
      }
      case '}':
      case ']':
        text = `\\${ch}`;
        break;
      default:
        text = ch;
    }
    if ((ch === '*' || ch === '+' || ch === '?' || (ch === '{' && len > 1)) && pattern[i + len] === '+') {
      throw new RangeError('possessive quantifiers are not supported');
    }
    out += text;
    i += len;
  }
  try {
    return new RegExp(`^(?:${out})${END}`, flags.ignoreCase ? 'iu' : 'u');
  } catch {
    throw new RangeError('pattern is not a valid regular expression');
  }
}
