import { describe, expect, it } from 'vitest';
import { normaliseName, normaliseNamePart } from '../../src/normalise/names.js';

describe('normaliseNamePart', () => {
  it('folds and keeps words apart', () => {
    expect(normaliseNamePart("  o'Brien-Núñez ")).toBe('OBRIEN NUNEZ');
    expect(normaliseNamePart('Mary Ann')).toBe('MARY ANN');
  });

  it('returns undefined for blanks and placeholders', () => {
    for (const raw of [undefined, '', ' ', '?', 'UNKNOWN', 'N/A', 'Baby Girl', 'XXX', '999']) {
      expect(normaliseNamePart(raw)).toBeUndefined();
    }
  });

  it('keeps DOE and initials', () => {
    expect(normaliseNamePart('Doe')).toBe('DOE');
    expect(normaliseNamePart('j.')).toBe('J');
  });
});

describe('normaliseName', () => {
  it('folds accents, case and apostrophes', () => {
    expect(normaliseName({ firstName: 'José', lastName: "O'Brien" })).toEqual({
      first: 'JOSE',
      last: 'OBRIEN',
      firstParts: ['JOSE'],
      lastParts: ['OBRIEN'],
    });
    expect(normaliseName({ firstName: 'Ærin', lastName: 'Straße' })).toMatchObject({
      first: 'AERIN',
      last: 'STRASSE',
    });
  });

  it('keeps hyphenated and compound surnames whole and lists their parts', () => {
    expect(normaliseName({ lastName: 'García-López' })).toEqual({
      last: 'GARCIALOPEZ',
      firstParts: [],
      lastParts: ['GARCIA', 'LOPEZ'],
    });
    expect(normaliseName({ lastName: 'Garcia Lopez' })).toMatchObject({
      last: 'GARCIALOPEZ',
      lastParts: ['GARCIA', 'LOPEZ'],
    });
  });

  it.each([
    ['de la Cruz', 'DELACRUZ', ['CRUZ']],
    ['De La Cruz-Ramos', 'DELACRUZRAMOS', ['CRUZ', 'RAMOS']],
    ['del Rio', 'DELRIO', ['RIO']],
    ['Van der Berg', 'VANDERBERG', ['BERG']],
    ['von Trapp', 'VONTRAPP', ['TRAPP']],
    ['Di Maggio', 'DIMAGGIO', ['MAGGIO']],
    ['dos Santos', 'DOSSANTOS', ['SANTOS']],
    ['bin Laden', 'BINLADEN', ['LADEN']],
    ['Al-Hassan', 'ALHASSAN', ['HASSAN']],
    ['El Amin', 'ELAMIN', ['AMIN']],
    ['Le Blanc', 'LEBLANC', ['BLANC']],
    ['Garcia y Lopez', 'GARCIALOPEZ', ['GARCIA', 'LOPEZ']],
    ['Silva e Souza', 'SILVASOUZA', ['SILVA', 'SOUZA']],
  ])('attaches particles in %j for the whole form and drops them from the parts', (raw, whole, parts) => {
    expect(normaliseName({ lastName: raw })).toMatchObject({ last: whole, lastParts: parts });
  });

  it('keeps a particle that is the whole surname (LE, DA)', () => {
    expect(normaliseName({ lastName: 'Le' })).toMatchObject({ last: 'LE', lastParts: ['LE'] });
    expect(normaliseName({ lastName: 'Da' })).toMatchObject({ last: 'DA', lastParts: ['DA'] });
  });

  it('does not treat MC, MAC, O or ST as particles but joins them to the next word', () => {
    expect(normaliseName({ lastName: 'Mc Donald' })).toMatchObject({
      last: 'MCDONALD',
      lastParts: ['MCDONALD'],
    });
    expect(normaliseName({ lastName: 'MacArthur' })).toMatchObject({
      last: 'MACARTHUR',
      lastParts: ['MACARTHUR'],
    });
    expect(normaliseName({ lastName: 'O Neil' })).toMatchObject({ last: 'ONEIL', lastParts: ['ONEIL'] });
    expect(normaliseName({ lastName: 'St. John' })).toMatchObject({ last: 'STJOHN', lastParts: ['STJOHN'] });
  });

  it('keeps compound first names whole and lists their words', () => {
    expect(normaliseName({ firstName: 'Mary Ann' })).toMatchObject({
      first: 'MARYANN',
      firstParts: ['MARY', 'ANN'],
    });
    expect(normaliseName({ firstName: 'Jean-Paul' })).toMatchObject({
      first: 'JEANPAUL',
      firstParts: ['JEAN', 'PAUL'],
    });
    expect(normaliseName({ firstName: 'John Paul', middleName: '' })).toMatchObject({
      first: 'JOHNPAUL',
      firstParts: ['JOHN', 'PAUL'],
    });
    expect(normaliseName({ firstName: 'Anna Anna' })).toMatchObject({
      first: 'ANNAANNA',
      firstParts: ['ANNA'],
    });
  });

  it('normalises the middle name without separators', () => {
    expect(normaliseName({ firstName: 'Ana', middleName: 'María José' })).toMatchObject({
      middle: 'MARIAJOSE',
    });
    expect(normaliseName({ middleName: 'Q.' })).toMatchObject({ middle: 'Q' });
  });

  it.each([
    [{ lastName: 'Smith Jr.' }, 'SMITH', 'JR'],
    [{ lastName: 'Smith, Junior' }, 'SMITH', 'JR'],
    [{ lastName: 'Smith Sr' }, 'SMITH', 'SR'],
    [{ lastName: 'Smith II' }, 'SMITH', 'II'],
    [{ lastName: 'Smith 2nd' }, 'SMITH', 'II'],
    [{ lastName: 'Smith III' }, 'SMITH', 'III'],
    [{ lastName: 'Smith 3rd' }, 'SMITH', 'III'],
    [{ lastName: 'Smith IV' }, 'SMITH', 'IV'],
    [{ lastName: 'Smith V' }, 'SMITH', 'V'],
  ])('splits a suffix off the last name: %j', (fields, last, suffix) => {
    expect(normaliseName(fields)).toMatchObject({ last, suffix });
  });

  it('splits a suffix off the first name, but not a lone V (a middle initial)', () => {
    expect(normaliseName({ firstName: 'John Jr', lastName: 'Smith' })).toMatchObject({
      first: 'JOHN',
      firstParts: ['JOHN'],
      suffix: 'JR',
    });
    const v = normaliseName({ firstName: 'John V', lastName: 'Smith' });
    expect(v).toMatchObject({ first: 'JOHNV', firstParts: ['JOHN', 'V'] });
    expect(v.suffix).toBeUndefined();
  });

  it('takes a middle name that is only a suffix as the suffix', () => {
    const n = normaliseName({ firstName: 'John', middleName: 'Jr.', lastName: 'Smith' });
    expect(n).toMatchObject({ first: 'JOHN', last: 'SMITH', suffix: 'JR' });
    expect(n.middle).toBeUndefined();
    expect(normaliseName({ middleName: 'V' })).toMatchObject({ middle: 'V' });
    expect(normaliseName({ firstName: 'John', middleName: 'Paul Jr', lastName: 'Smith' })).toMatchObject({
      middle: 'PAUL',
      suffix: 'JR',
    });
  });

  it('prefers the suffix field and still removes a suffix word from the last name', () => {
    expect(normaliseName({ lastName: 'Smith Jr', nameSuffix: 'III' })).toMatchObject({
      last: 'SMITH',
      suffix: 'III',
    });
    expect(normaliseName({ lastName: 'Smith', nameSuffix: 'junior' })).toMatchObject({
      last: 'SMITH',
      suffix: 'JR',
    });
    expect(normaliseName({ lastName: 'Smith', nameSuffix: 'N/A' }).suffix).toBeUndefined();
  });

  it('does not take a single-word last name for a suffix', () => {
    expect(normaliseName({ lastName: 'V' })).toMatchObject({ last: 'V', lastParts: ['V'] });
    expect(normaliseName({ lastName: 'Junior' })).toMatchObject({ last: 'JUNIOR' });
  });

  it('drops placeholder parts and keeps the others', () => {
    expect(normaliseName({ firstName: 'Unknown', lastName: 'Smith' })).toEqual({
      last: 'SMITH',
      firstParts: [],
      lastParts: ['SMITH'],
    });
    expect(normaliseName({ firstName: 'Maria', middleName: 'NMN', lastName: 'Refused' })).toEqual({
      first: 'MARIA',
      firstParts: ['MARIA'],
      lastParts: [],
    });
    expect(normaliseName({ firstName: 'Baby Girl', lastName: 'Jones' })).toMatchObject({ last: 'JONES' });
    expect(normaliseName({ firstName: 'Baby Girl', lastName: 'Jones' }).first).toBeUndefined();
  });

  it.each([
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'JANE', lastName: 'DOE', middleName: 'Q' },
    { firstName: 'J.', lastName: 'Doe' },
    { firstName: 'Baby', lastName: 'Doe' },
    { firstName: 'Baby Boy', lastName: 'Doe' },
    { firstName: 'Doe', lastName: 'John' },
    { firstName: 'John', lastName: 'Doe Jr' },
  ])('treats JOHN/JANE/BABY DOE as a placeholder for the whole name: %j', (fields) => {
    expect(normaliseName(fields)).toEqual({ firstParts: [], lastParts: [] });
  });

  it('keeps DOE as a surname with any other first name', () => {
    expect(normaliseName({ firstName: 'Richard', lastName: 'Doe' })).toMatchObject({
      first: 'RICHARD',
      last: 'DOE',
    });
    expect(normaliseName({ lastName: 'Doe' })).toMatchObject({ last: 'DOE' });
  });

  it('returns empty parts for an empty name', () => {
    expect(normaliseName({})).toEqual({ firstParts: [], lastParts: [] });
  });

  it('keeps non-Latin names comparable', () => {
    expect(normaliseName({ firstName: '小明', lastName: '王' })).toEqual({
      first: '小明',
      last: '王',
      firstParts: ['小明'],
      lastParts: ['王'],
    });
  });
});
