import { describe, expect, it } from 'vitest';
import { cleanHeaderCell, mapHeader, rowObject } from '../../src/read/header.js';

const spec = {
  required: ['PersonalID', 'FirstName', 'LastName', 'DOB'],
  optional: ['SSN', 'WorkplaceViolenceThreats'],
  aliases: { WorkplaceViolenceThreats: ['WorkPlaceViolenceThreats'], PersonalID: ['HMIS Client ID'] },
};

describe('mapHeader', () => {
  it('maps columns by canonical name, ignoring case, whitespace, BOM and quotes', () => {
    const map = mapHeader(['\uFEFFpersonalid', ' FIRSTNAME ', '"LastName"', ' "dob" ', 'Notes'], spec);
    expect(Object.fromEntries(map.index)).toEqual({ PersonalID: 0, FirstName: 1, LastName: 2, DOB: 3 });
    expect(map.extra).toEqual(['Notes']);
  });

  it('lists every unknown column as extra, in file order', () => {
    const map = mapHeader(['PersonalID', 'X', 'FirstName', 'LastName', 'DOB', 'X', ''], spec);
    expect(map.extra).toEqual(['X', 'X', '']);
  });

  it('accepts aliases, keyed by the canonical spelling', () => {
    const map = mapHeader(
      ['HMIS Client ID', 'FirstName', 'LastName', 'DOB', 'workplaceviolencethreats'],
      spec,
    );
    expect(map.index.get('PersonalID')).toBe(0);
    expect(map.index.get('WorkplaceViolenceThreats')).toBe(4);
    const gr = mapHeader(['PersonalID', 'FirstName', 'LastName', 'DOB', 'WorkPlaceViolenceThreats'], spec);
    expect(gr.index.get('WorkplaceViolenceThreats')).toBe(4);
  });

  it('leaves absent optional columns out of the index', () => {
    const map = mapHeader(['PersonalID', 'FirstName', 'LastName', 'DOB'], spec);
    expect(map.index.has('SSN')).toBe(false);
  });

  it('names a missing required column', () => {
    expect(() => mapHeader(['PersonalID', 'FirstName', 'LastName'], spec, 'Client.csv')).toThrow(
      expect.objectContaining({
        code: 'COLUMN_MISSING',
        message: "Client.csv: missing required column 'DOB'",
      }),
    );
  });

  it('names all missing required columns in one line', () => {
    expect(() => mapHeader(['PersonalID', 'Notes'], spec, 'Client.csv')).toThrow(
      expect.objectContaining({
        code: 'COLUMN_MISSING',
        message: "Client.csv: missing required columns 'FirstName', 'LastName', 'DOB'",
      }),
    );
  });

  it('fails on a known column that appears twice, also via an alias', () => {
    expect(() => mapHeader(['PersonalID', 'FirstName', 'LastName', 'DOB', ' dob'], spec, 'a.csv')).toThrow(
      expect.objectContaining({
        code: 'COLUMN_DUPLICATE',
        message: "a.csv: column 'DOB' appears twice (columns 4 and 5)",
      }),
    );
    expect(() => mapHeader(['PersonalID', 'HMIS Client ID', 'FirstName', 'LastName', 'DOB'], spec)).toThrow(
      expect.objectContaining({ code: 'COLUMN_DUPLICATE' }),
    );
  });

  it('rejects a spec that names a column twice or aliases a non-column', () => {
    expect(() => mapHeader(['a'], { required: ['A', 'a'] })).toThrow(TypeError);
    expect(() => mapHeader(['a'], { required: ['A', 'B'], aliases: { A: ['b'] } })).toThrow(TypeError);
    expect(() => mapHeader(['a'], { required: ['A'], aliases: { C: ['c'] } })).toThrow(TypeError);
  });
});

describe('rowObject', () => {
  it('gives known fields by canonical name and undefined past the row end', () => {
    const map = mapHeader(['Notes', 'PersonalID', 'FirstName', 'LastName', 'DOB', 'SSN'], spec);
    expect(rowObject({ line: 2, fields: ['n', '17', 'Ana', 'Pe\u00f1a'] }, map)).toEqual({
      PersonalID: '17',
      FirstName: 'Ana',
      LastName: 'Pe\u00f1a',
      DOB: undefined,
      SSN: undefined,
    });
  });
});

describe('cleanHeaderCell', () => {
  it('strips BOM, whitespace and nested surrounding quotes but keeps inner ones', () => {
    expect(cleanHeaderCell('\uFEFF "PersonalID" ')).toBe('PersonalID');
    expect(cleanHeaderCell('""DOB""')).toBe('DOB');
    expect(cleanHeaderCell('a"b')).toBe('a"b');
    expect(cleanHeaderCell('"')).toBe('"');
  });
});
