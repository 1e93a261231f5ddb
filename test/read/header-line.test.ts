/**
 * A header problem names the header's own line (line 1, or the line the header is on after blank
 * lines), never a data row's line: through the list readers and the multi-threaded encoder (which
 * parses the header itself), and row issues keep the rows' own lines.
 */
import { describe, expect, it } from 'vitest';
import { encodeParallel } from '../../src/encode/encode.node.js';
import { parseKey } from '../../src/encode/key.js';
import { BloomlinkError } from '../../src/errors.js';
import { collect, readClients, readList, readMembers } from '../../src/read/reader.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const ROW = '1,Ana,Ruiz,1,1980-01-01,1\n';
const KEY = parseKey('00112233445566778899aabbccddeeff');

async function failure(run: () => Promise<unknown>): Promise<BloomlinkError> {
  const e = await run().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BloomlinkError);
  return e as BloomlinkError;
}

const headerCases: [string, string, string][] = [
  ['a missing column', `PersonalID,FirstName,NameDataQuality,DOB,DOBDataQuality\n${ROW}`, 'COLUMN_MISSING'],
  [
    'a duplicate column',
    `PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality,dob\n${ROW}`,
    'COLUMN_DUPLICATE',
  ],
  [
    'a duplicate through an alias',
    `PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality,DateOfBirth\n${ROW}`,
    'COLUMN_DUPLICATE',
  ],
  ['another list', 'MemberID,Program,Provider,StartDate\nM1,ECM,A,2024-01-01\n', 'LAYOUT_UNKNOWN'],
];

describe('header problems name the header line', () => {
  it.each(headerCases)(
    '%s: line 1 (header), in the reader and the parallel encoder',
    async (_w, text, code) => {
      for (const run of [
        () => readClients(utf8(text)),
        () => encodeParallel(utf8(text), KEY.slice(), { threads: 2 }),
      ]) {
        const e = await failure(run);
        expect(e.code).toBe(code);
        expect(e.message).toContain('line 1 (header)');
        expect(e.message).not.toMatch(/line [2-9]/);
      }
    },
  );

  it.each(headerCases)('%s after two blank lines: line 3 (header)', async (_w, text, code) => {
    const e = await failure(() => readClients(utf8(`\n\n${text}`)));
    expect(e.code).toBe(code);
    expect(e.message).toContain('line 3 (header)');
  });

  it('no recognisable header, kind detected: LAYOUT_UNKNOWN at line 1 (header)', async () => {
    for (const run of [
      () => readList(utf8(ROW.repeat(3))),
      () => encodeParallel(utf8(ROW.repeat(3)), KEY.slice(), { threads: 2 }),
    ]) {
      const e = await failure(run);
      expect(e.code).toBe('LAYOUT_UNKNOWN');
      expect(e.message).toContain('line 1 (header)');
    }
  });

  it('a member list missing columns: line 1 (header), detected by readList too', async () => {
    const text = 'MemberID,FirstName,LastName,DOB,CoverageType\nM1,A,B,1980-01-01,Medi-Cal\n';
    for (const run of [() => readMembers(utf8(text)), () => readList(utf8(text))]) {
      const e = await failure(run);
      expect(e.code).toBe('COLUMN_MISSING');
      expect(e.message).toContain('line 1 (header)');
    }
  });

  it('an unclosed quote or an endless first record in the header: line 1', async () => {
    const quote = await failure(async () =>
      collect(readClients(utf8(`PersonalID,"FirstName,LastName,NameDataQuality,DOB,DOBDataQuality\n${ROW}`))),
    );
    expect(quote.code).toBe('FILE_TRUNCATED');
    expect(quote.message).toContain('line 1:');
    const long = await failure(async () =>
      collect(readClients(utf8(`PersonalID,FirstName,${'x'.repeat(1_100_000)}\n${ROW}`))),
    );
    expect(long.code).toBe('CSV_MALFORMED');
    expect(long.message).toContain('line 1:');
  });

  it('a BOM, quoted names, spaces and an empty header cell are no problem; rows keep their lines', async () => {
    const text = `\uFEFF"PersonalID", FirstName ,LastName,,NameDataQuality,DOB,DOBDataQuality\n1,Ana,Ruiz,x,1,1980-01-01,1\n2,Bo,Kim,,1,1980-01-01,1,extra\n`;
    const { records, issues } = await collect(readClients(utf8(text), { today: '2025-06-01' }));
    expect(records.map((r) => [r.line, r.personalId])).toEqual([
      [2, '1'],
      [3, '2'],
    ]);
    expect(issues.map((i) => [i.line, i.code])).toEqual([[3, 'ROW_LONG']]);
  });
});

describe('spellings people write, end to end (issue #15)', () => {
  it('reads Date of Birth, First Name … and a last-four SSN as HUD partial xxxxx + 4 digits', async () => {
    const text =
      'Member ID,First Name,Last Name,Date of Birth,MCP,Coverage Type,Enrollment Start Date,Last 4 SSN\n' +
      'M1,Ana,Ruiz,1980-02-03,Plan,Medi-Cal,2024-01-01,1234\n';
    const { records, issues } = await collect(readMembers(utf8(text), { today: '2025-06-01' }));
    expect(records[0]).toMatchObject({
      memberId: 'M1',
      dob: '1980-02-03',
      ssn: 'xxxxx1234',
      ssnDataQuality: 2,
    });
    expect(issues.map((i) => [i.line, i.field, i.code])).toEqual([[2, 'SSN', 'SSN_PARTIAL']]);
    const objects = await collect(
      readMembers(
        [
          {
            'Member ID': 'M1',
            first_name: 'Ana',
            LastName: 'Ruiz',
            DOB: '1980-02-03',
            MCP: 'Plan',
            CoverageType: 'Medi-Cal',
            EnrollmentStartDate: '2024-01-01',
            SSN4: '1234',
          },
        ],
        { today: '2025-06-01' },
      ),
    );
    expect(objects.records[0]).toMatchObject({ memberId: 'M1', firstName: 'Ana', ssn: 'xxxxx1234' });
  });

  it('an object with both SSN and SSN4 keeps its SSN', async () => {
    const { records } = await collect(
      readClients(
        [
          {
            PersonalID: '1',
            FirstName: 'Ana',
            LastName: 'Ruiz',
            NameDataQuality: 1,
            DOB: '1980-02-03',
            DOBDataQuality: 1,
            SSN4: '9999',
            SSN: '524-71-3896',
          },
        ],
        { today: '2025-06-01' },
      ),
    );
    expect(records[0]?.ssn).toBe('524713896');
  });
});
