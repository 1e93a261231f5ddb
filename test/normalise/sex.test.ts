import { describe, expect, it } from 'vitest';
import { parseSex, sexFromGenderColumns } from '../../src/normalise/sex.js';

describe('parseSex', () => {
  it.each([
    ['0', 'F'],
    ['1', 'M'],
    ['00', 'F'],
    ['1.0', 'M'],
    [' 0 ', 'F'],
    ['F', 'F'],
    ['f', 'F'],
    ['M', 'M'],
    ['m', 'M'],
    ['Female', 'F'],
    ['FEMALE', 'F'],
    ['male', 'M'],
    ['Woman', 'F'],
    ['MAN', 'M'],
    [' Male ', 'M'],
  ])('%j → %s', (raw, sex) => {
    expect(parseSex(raw)).toEqual({ sex, valid: true });
  });

  it.each([undefined, '', '   ', '8', '9', '99', '99.0', 'U', 'u', 'X', 'x', 'Unknown'])(
    '%j is valid without a sex',
    (raw) => {
      expect(parseSex(raw)).toEqual({ valid: true });
    },
  );

  it.each(['2', '3', '7', '100', '-1', '1.5', 'FM', 'Fem', 'boy', 'N/A', 'yes', 'ＭＡＬＥ', 'Mâle'])(
    '%j is invalid',
    (raw) => {
      expect(parseSex(raw)).toEqual({ valid: false });
    },
  );
});

describe('sexFromGenderColumns', () => {
  it('reads Woman or Man alone', () => {
    expect(sexFromGenderColumns({ Woman: '1', Man: '0' })).toBe('F');
    expect(sexFromGenderColumns({ Woman: '0', Man: '1', NonBinary: '0', Transgender: '0' })).toBe('M');
    expect(sexFromGenderColumns({ Man: ' 1 ' })).toBe('M');
  });

  it('gives no sex for any other combination', () => {
    expect(sexFromGenderColumns({})).toBeUndefined();
    expect(sexFromGenderColumns({ Woman: '1', Man: '1' })).toBeUndefined();
    expect(sexFromGenderColumns({ Woman: '1', Transgender: '1' })).toBeUndefined();
    expect(sexFromGenderColumns({ Man: '1', NonBinary: '1' })).toBeUndefined();
    expect(sexFromGenderColumns({ Man: '1', Questioning: '1' })).toBeUndefined();
    expect(sexFromGenderColumns({ Woman: '1', CulturallySpecific: '1' })).toBeUndefined();
    expect(sexFromGenderColumns({ Woman: '1', DifferentIdentity: '1' })).toBeUndefined();
    expect(sexFromGenderColumns({ NonBinary: '1' })).toBeUndefined();
    expect(sexFromGenderColumns({ GenderNone: '99' })).toBeUndefined();
    expect(sexFromGenderColumns({ Woman: '1', GenderNone: '8' })).toBeUndefined();
    expect(sexFromGenderColumns({ Woman: 'yes' })).toBeUndefined();
  });
});
