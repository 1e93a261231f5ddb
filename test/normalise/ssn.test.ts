import { describe, expect, it } from 'vitest';
import { checkSsn } from '../../src/normalise/ssn.js';

describe('checkSsn', () => {
  it('accepts a valid SSN with or without dashes and spaces', () => {
    const valid = { status: 'valid', ssn: '123456780', last4: '6780' };
    expect(checkSsn('123456780')).toEqual(valid);
    expect(checkSsn('123-45-6780')).toEqual(valid);
    expect(checkSsn(' 123 45 6780 ')).toEqual(valid);
    expect(checkSsn('001-01-0001')).toEqual({ status: 'valid', ssn: '001010001', last4: '0001' });
    expect(checkSsn('899-99-9999')).toEqual({ status: 'valid', ssn: '899999999', last4: '9999' });
  });

  it.each([undefined, '', '   ', 'xxxxxxxxx', 'XXX-XX-XXXX'])('%j is missing', (raw) => {
    expect(checkSsn(raw)).toEqual({ status: 'missing' });
  });

  it.each([
    '000000000',
    '111111111',
    '222-22-2222',
    '888888888',
    '999999999',
    '888888',
    '9999',
    '0000',
    // rotations of 0123456789 cut to nine digits
    '012345678',
    '123456789',
    '234567890',
    '345678901',
    '456789012',
    '567890123',
    '678901234',
    '789012345',
    '890123456',
    '901234567',
    // and their reversals
    '876543210',
    '987654321',
    '098765432',
    '109876543',
    '210987654',
    '321098765',
    '432109876',
    '543210987',
    '654321098',
    '765432109',
    // published numbers
    '078-05-1120',
    '219-09-9999',
  ])('%j is a placeholder', (raw) => {
    expect(checkSsn(raw)).toEqual({ status: 'placeholder' });
  });

  it.each([
    ['000-12-3456', 'area 000'],
    ['666-12-3456', 'area 666'],
    ['900-12-3456', 'area 9xx'],
    ['987-65-4320', 'area 9xx'],
    ['123-00-4567', 'group 00'],
    ['123-45-0000', 'serial 0000'],
    ['12345678', 'eight digits'],
    ['1234567890', 'ten digits'],
    ['123-45-678a', 'letter'],
    ['123.45.6789', 'dots'],
    ['12', 'too short'],
    ['000xx1234', 'partial with area 000'],
    ['9xxxx1234', 'partial with area 9xx'],
    ['xxx00xxxx', 'partial with group 00'],
    ['xxxxx0000', 'partial with serial 0000'],
    ['xxxxx123', 'partial of 8'],
  ])('%j is invalid (%s)', (raw) => {
    expect(checkSsn(raw)).toEqual({ status: 'invalid' });
  });

  it('keeps the known digits of a partial SSN with lower-case x', () => {
    expect(checkSsn('xxx-xx-6780')).toEqual({ status: 'partial', ssn: 'xxxxx6780', last4: '6780' });
    expect(checkSsn('XXXXX6780')).toEqual({ status: 'partial', ssn: 'xxxxx6780', last4: '6780' });
    expect(checkSsn('12345xxxx')).toEqual({ status: 'partial', ssn: '12345xxxx' });
    expect(checkSsn('123-45-67xx')).toEqual({ status: 'partial', ssn: '1234567xx' });
    expect(checkSsn('1x3456780')).toEqual({ status: 'partial', ssn: '1x3456780', last4: '6780' });
  });

  it('reads a bare four-digit value as the last four digits', () => {
    expect(checkSsn('6780')).toEqual({ status: 'partial', ssn: 'xxxxx6780', last4: '6780' });
  });
});
