import { describe, expect, it } from 'vitest';
import { isPlaceholderName } from '../../src/normalise/placeholders.js';

describe('isPlaceholderName', () => {
  it.each([
    'UNKNOWN',
    'unk',
    'Anonymous',
    'ANON',
    'Refused',
    'none',
    'NA',
    'N/A',
    'n.a.',
    'NULL',
    'Test',
    'Client',
    'Test Client',
    'Unknown Unknown',
    'Client 123',
    'Baby',
    'Baby Boy',
    'BABY GIRL',
    'No Name',
    'FNU',
    'LNU',
    'NMN',
    'xxx',
    'XX',
    'aaaa',
    '?',
    '???',
    '',
    '   ',
    '12345',
    '0',
    'John Doe',
    'Jane Doe',
    'Data not collected',
    "Client doesn't know",
    'Client prefers not to answer',
    'Desconocido',
  ])('%j is a placeholder', (value) => {
    expect(isPlaceholderName(value)).toBe(true);
  });

  it.each([
    'Doe',
    'J',
    'X',
    'Li',
    'Ng',
    'Le',
    'O',
    'Ana',
    'Anna',
    'Nunez',
    'Baby Smith',
    'Testa',
    'Clients',
    'Unknownson',
    'Richard Doe',
    'John',
    'Na Young',
    'R2D2',
    'ДМИТРИИ',
  ])('%j is a real name', (value) => {
    expect(isPlaceholderName(value)).toBe(false);
  });
});
