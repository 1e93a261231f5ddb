import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoDate, parseDate } from '../../src/normalise/date.js';
import { normaliseName, normaliseNamePart } from '../../src/normalise/names.js';
import { checkSsn } from '../../src/normalise/ssn.js';
import { normaliseSuffix } from '../../src/normalise/suffix.js';
import { foldText } from '../../src/normalise/text.js';

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), codeUnits);

/** Name-like text built from the words and separators the rules care about. */
const WORDS = [
  'de',
  'LA',
  'del',
  'van',
  'der',
  'y',
  'e',
  'al',
  'Le',
  'Mc',
  'mac',
  'O',
  'St',
  'Jr',
  'jr.',
  'III',
  'V',
  'iv',
  '2nd',
  'Junior',
  'John',
  'Jane',
  'Doe',
  'J',
  'Baby',
  'Boy',
  'Unknown',
  'N',
  'A',
  'NA',
  'Test',
  'Client',
  'x',
  'XX',
  '9',
  '123',
  'García',
  'López',
  "O'Brien",
  'Straße',
  'Æsir',
  'Дмитрий',
  '王',
  'Mary',
  'Ann',
  'ǰ',
  'ΐ',
];
const SEPARATORS = [' ', '-', ', ', '.', "'", '’', '  ', '\t', '/'];
const nameText = fc.oneof(
  fc
    .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { maxLength: 5 })
    .map((parts) => parts.map(([w, s]) => w + s).join('')),
  anyText,
);
const nameFields = fc.record(
  { firstName: nameText, middleName: nameText, lastName: nameText, nameSuffix: nameText },
  { requiredKeys: [] },
);

describe('foldText properties', () => {
  it('never throws, is idempotent, and yields trimmed single-spaced text without ASCII lower case', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, nameText), (s) => {
        const f = foldText(s);
        expect(foldText(f)).toBe(f);
        expect(f).toBe(f.trim());
        expect(f).not.toMatch(/ {2}|[a-z'`]/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('normaliseNamePart properties', () => {
  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, nameText), (s) => {
        const p = normaliseNamePart(s);
        if (p !== undefined) expect(normaliseNamePart(p)).toBe(p);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('normaliseSuffix properties', () => {
  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(nameText, (s) => {
        const p = normaliseSuffix(s);
        if (p !== undefined) expect(normaliseSuffix(p)).toBe(p);
      }),
    );
  });
});

describe('normaliseName properties', () => {
  it('never throws and is idempotent on first, middle, last and suffix', () => {
    fc.assert(
      fc.property(nameFields, (fields) => {
        const n = normaliseName(fields);
        const again = normaliseName({
          firstName: n.first,
          middleName: n.middle,
          lastName: n.last,
          nameSuffix: n.suffix,
        });
        expect({ first: again.first, middle: again.middle, last: again.last, suffix: again.suffix }).toEqual({
          first: n.first,
          middle: n.middle,
          last: n.last,
          suffix: n.suffix,
        });
      }),
      { numRuns: 5000 },
    );
  });

  it('gives whole forms without separators and parts exactly when the part is present', () => {
    fc.assert(
      fc.property(nameFields, (fields) => {
        const n = normaliseName(fields);
        for (const v of [n.first, n.middle, n.last, n.suffix]) {
          if (v !== undefined) expect(v).not.toMatch(/[\s-]|^$/);
        }
        expect(n.firstParts.length > 0).toBe(n.first !== undefined);
        expect(n.lastParts.length > 0).toBe(n.last !== undefined);
        for (const p of [...n.firstParts, ...n.lastParts]) expect(p).not.toMatch(/[\s-]|^$/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseDate properties', () => {
  it('never throws and only returns calendar dates', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText, fc.stringMatching(/^[0-9]{1,4}[-/ ][0-9A-Za-z]{1,9}[-/ ][0-9]{1,4}$/)),
        (s) => {
          const r = parseDate(s, { referenceYear: 2025 });
          if (r.ok) expect(isIsoDate(r.iso)).toBe(true);
          else expect(['unparseable', 'impossible']).toContain(r.reason);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('round-trips every layout of any calendar date', () => {
    const MON = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(1927, 0, 1)),
          max: new Date(Date.UTC(2026, 11, 31)),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-') as [string, string, string];
          const yy = y.slice(2);
          const layouts = [
            iso,
            `${iso} 08:30:00`,
            `${y}/${m}/${day}`,
            `${y}${m}${day}`,
            `${m}/${day}/${y}`,
            `${Number(m)}/${Number(day)}/${yy}`,
            `${m}-${day}-${y}`,
            `${m}-${day}-${yy}`,
            `${day}-${MON[Number(m) - 1]}-${yy}`,
            `${day}-${MON[Number(m) - 1]!.toLowerCase()}-${y}`,
          ];
          for (const raw of layouts)
            expect(parseDate(raw, { referenceYear: 2025 })).toMatchObject({ ok: true, iso });
        },
      ),
    );
  });
});

describe('checkSsn properties', () => {
  it('never throws and returns well-formed values', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.stringMatching(/^[0-9xX -]{0,12}$/)), (s) => {
        const r = checkSsn(s);
        if (r.status === 'valid') expect(r.ssn).toMatch(/^[0-9]{9}$/);
        if (r.status === 'partial') expect(r.ssn).toMatch(/^(?=.*x)(?=.*[0-9])[0-9x]{9}$/);
        if (r.status !== 'valid' && r.status !== 'partial') expect(r.ssn).toBeUndefined();
        if (r.last4 !== undefined) expect(r.ssn?.slice(5)).toBe(r.last4);
      }),
      { numRuns: 3000 },
    );
  });
});
