import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, foldUnicode } from '../../src/normalise/text.js';

describe('foldText', () => {
  it.each([
    ['robert', 'ROBERT'],
    ['  Mary   Ann  ', 'MARY ANN'],
    ['José', 'JOSE'],
    ['Núñez', 'NUNEZ'],
    ['François Müller', 'FRANCOIS MULLER'],
    ['Çağlar Şahin', 'CAGLAR SAHIN'],
    ['Nguyễn Thị Ánh', 'NGUYEN THI ANH'],
    ['Straße', 'STRASSE'],
    ['ẞ', 'SS'],
    ['Ærø', 'AERO'],
    ['Œuvre', 'OEUVRE'],
    ['Søren', 'SOREN'],
    ['Łódź', 'LODZ'],
    ['Đorđe', 'DORDE'],
    ['Þór', 'THOR'],
    ['Guðrún', 'GUDRUN'],
    ['Yıldız', 'YILDIZ'],
    ['İstanbul', 'ISTANBUL'],
    ['ﬁnn', 'FINN'],
    ['Ｊｏｈｎ', 'JOHN'],
  ])('folds letters: %s → %s', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it.each([
    ["O'Brien", 'OBRIEN'],
    ['O’Brien', 'OBRIEN'],
    ['O‘Brien', 'OBRIEN'],
    ['O`Brien', 'OBRIEN'],
    ['O´Brien', 'OBRIEN'],
    ['Hawaiʻi', 'HAWAII'],
    ["D'Angelo-Smith", 'DANGELO SMITH'],
  ])('removes apostrophes without a separator: %s → %s', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it.each([
    ['Garcia-Lopez', 'GARCIA LOPEZ'],
    ['Smith, Jr.', 'SMITH JR'],
    ['St. John', 'ST JOHN'],
    ['a\tb\nc', 'A B C'],
    ['(none)', 'NONE'],
    ['?', ''],
    ['--', ''],
    ['', ''],
    ['John\u00a0Paul', 'JOHN PAUL'],
    ['John\u3000Paul', 'JOHN PAUL'],
    ['R2D2', 'R2D2'],
  ])('turns other punctuation and spaces into one space: %j → %j', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it('drops invisible format characters inside a word', () => {
    expect(foldText('Ro\u00adbert')).toBe('ROBERT');
    expect(foldText('Ro\u200bbert')).toBe('ROBERT');
    expect(foldText('\ufeffRobert')).toBe('ROBERT');
  });

  it('keeps non-Latin letters, upper-cased where the script has case', () => {
    expect(foldText('Дмитрий')).toBe('ДМИТРИИ');
    expect(foldText('Σοφία')).toBe('ΣΟΦΙΑ');
    expect(foldText('王 小明')).toBe('王 小明');
    expect(foldText('محمد')).toBe('محمد');
    // Hangul is decomposed to jamo by NFKD: still one stable form on both sides.
    expect(foldText('김민준')).toBe('김민준'.normalize('NFKD'));
  });

  it('never throws on lone surrogates and control characters', () => {
    expect(foldText('\ud800ab\udc00')).toBe('AB');
    expect(foldText('\u0000a\u0007')).toBe('A');
  });

  it('leaves folded text unchanged', () => {
    for (const s of ['ROBERT', 'MARY ANN', 'ΣΟΦΙΑ', 'R2D2']) expect(foldText(s)).toBe(s);
  });
});

describe('foldText fast paths', () => {
  it('agree with the general Unicode path on every Latin-1 and Latin Extended character', () => {
    for (let cp = 0x80; cp <= 0x24f; cp++) {
      const ch = String.fromCharCode(cp);
      for (const s of [ch, `a${ch}b`, `${ch} ${ch}`, `O${ch}'x-${ch}`])
        expect(foldText(s)).toBe(foldUnicode(s));
    }
  });

  it('agree with the general Unicode path on any string', () => {
    const latin = fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: latin }), fc.string({ unit: 'binary' })), (s) => {
        expect(foldText(s)).toBe(foldUnicode(s));
      }),
      { numRuns: 3000 },
    );
  });
});
