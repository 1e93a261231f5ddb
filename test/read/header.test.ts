import { describe, expect, it } from 'vitest';
import { cleanHeaderCell, mapHeader, rowObject } from '../../src/read/header.js';
import { COC_COLUMNS, MEMBER_COLUMNS } from '../../src/read/layouts.js';

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
        message: "Client.csv: missing required column 'DOB' (case, spaces and underscores are ignored)",
      }),
    );
  });

  it('names all missing required columns in one line', () => {
    expect(() => mapHeader(['PersonalID', 'Notes'], spec, 'Client.csv')).toThrow(
      expect.objectContaining({
        code: 'COLUMN_MISSING',
        message:
          "Client.csv: missing required columns 'FirstName', 'LastName', 'DOB' (case, spaces and underscores are ignored)",
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

describe('the header spellings people write (issue #15)', () => {
  const client = (cells: string[]) => mapHeader(cells, COC_COLUMNS, 'clients.csv');
  const member = (cells: string[]) => mapHeader(cells, MEMBER_COLUMNS, 'members.csv');
  const base = ['PersonalID', 'FirstName', 'LastName', 'NameDataQuality', 'DOB', 'DOBDataQuality'];
  const replace = (cells: string[], from: string, to: string) => cells.map((c) => (c === from ? to : c));

  it.each([
    ['DOB', 'Date of Birth'],
    ['DOB', 'date_of_birth'],
    ['DOB', 'DOB'],
    ['DOB', 'dob'],
    ['DOB', 'Birth Date'],
    ['DOB', 'BirthDate'],
    ['DOB', 'BIRTH_DATE'],
    ['FirstName', 'First Name'],
    ['FirstName', 'first_name'],
    ['LastName', 'Last Name'],
    ['LastName', 'LAST NAME'],
    ['PersonalID', 'Personal ID'],
    ['PersonalID', 'personal_id'],
    ['PersonalID', 'HMIS Client ID'],
    ['NameDataQuality', 'Name Data Quality'],
  ])('%s written as %j', (canonical, written) => {
    expect(client(replace(base, canonical, written)).index.get(canonical)).toBe(base.indexOf(canonical));
  });

  it('Middle Name, Member ID and the last-four-SSN columns', () => {
    expect(client([...base, 'Middle Name']).index.get('MiddleName')).toBe(6);
    const m = member([
      'Member ID',
      'First Name',
      'Last Name',
      'Date of Birth',
      'MCP',
      'Coverage Type',
      'Enrollment Start Date',
    ]);
    expect([...m.index.keys()]).toEqual([
      'MemberID',
      'FirstName',
      'LastName',
      'DOB',
      'MCP',
      'CoverageType',
      'EnrollmentStartDate',
    ]);
    for (const ssn4 of ['SSN4', 'Last 4 SSN', 'last4ssn', 'SSN Last 4', 'Last4OfSSN'])
      expect(client([...base, ssn4]).index.get('SSN'), ssn4).toBe(6);
  });

  it('a last-four column beside a full SSN column is not a duplicate: the full SSN is read', () => {
    const map = client([...base, 'SSN4', 'SSN']);
    expect(map.index.get('SSN')).toBe(7);
    expect(map.extra).toEqual(['SSN4']);
  });

  it('does not take ambiguous spellings: Client ID, ID, Name', () => {
    const map = client([...base, 'Client ID', 'ID', 'Name']);
    expect(map.extra).toEqual(['Client ID', 'ID', 'Name']);
    expect(() =>
      client(['Client ID', 'FirstName', 'LastName', 'NameDataQuality', 'DOB', 'DOBDataQuality']),
    ).toThrow(expect.objectContaining({ code: 'COLUMN_MISSING' }));
  });

  it('COLUMN_MISSING lists the spellings accepted for the missing column, in one line', () => {
    const e = (() => {
      try {
        client(['PersonalID', 'FirstName', 'LastName', 'NameDataQuality', 'DOBDataQuality']);
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e?.message).toBe(
      "clients.csv: missing required column 'DOB' (DOB may also be written DateOfBirth, BirthDate, BirthDt; case, spaces and underscores are ignored)",
    );
    expect(e?.message).not.toContain('\n');
  });

  it('two spellings of one column are a duplicate', () => {
    expect(() => client([...base, 'Date of Birth'])).toThrow(
      expect.objectContaining({ code: 'COLUMN_DUPLICATE' }),
    );
  });
});
