import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BloomlinkError } from '../../src/errors.js';
import { collect } from '../../src/read/reader.js';
import {
  readClientsFile,
  readListFile,
  readMembersFile,
  readProgramsFile,
} from '../../src/read/reader.node.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/read/${name}`, import.meta.url));

async function code(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (e) {
    if (e instanceof BloomlinkError) return { code: e.code, message: e.message };
    throw e;
  }
  return { code: 'none', message: '' };
}

describe('file readers', () => {
  it('read each list kind from a path', async () => {
    const clients = await collect(
      readClientsFile(fixture('hmis-fy2026-Client.csv'), { today: '2025-06-01' }),
    );
    expect(clients.summary).toMatchObject({ rowsRead: 11, accepted: 7 });
    const members = await collect(
      readMembersFile(fixture('members-windows-1252.csv'), { today: '2025-06-01' }),
    );
    expect(members.summary).toMatchObject({ rowsRead: 8, accepted: 4, members: 3 });
    const programs = await collect(readProgramsFile(fixture('programs-utf16le.csv')));
    expect(programs.summary).toMatchObject({ rowsRead: 8, accepted: 4 });
    const any = await readListFile(fixture('hmis-fy2024-Client.csv'));
    expect([any.kind, any.layout, any.label]).toEqual(['coc', 'hmis-fy2024', 'hmis-fy2024-Client.csv']);
    await any.close();
  });

  it('use the file name in messages', async () => {
    const e = await code(() => readProgramsFile(fixture('hmis-fy2026-Client.csv')));
    expect(e.code).toBe('LAYOUT_UNKNOWN');
    expect(e.message.startsWith('hmis-fy2026-Client.csv: ')).toBe(true);
  });

  it('FILE_NOT_FOUND, FILE_UNREADABLE for a directory, FILE_EMPTY for 0 bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bloomlink-read-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    expect((await code(() => readClientsFile(join(dir, 'missing.csv')))).code).toBe('FILE_NOT_FOUND');
    expect((await code(() => readListFile(dir))).code).toBe('FILE_UNREADABLE');
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect((await code(() => readListFile(empty))).code).toBe('FILE_EMPTY');
    const headerOnly = join(dir, 'header.csv');
    writeFileSync(headerOnly, 'MemberID,Program,Provider,StartDate\r\n');
    expect((await collect(readListFile(headerOnly))).summary.rowsRead).toBe(0);
  });

  it('check the path argument', async () => {
    await expect(readClientsFile('')).rejects.toThrow(TypeError);
  });
});

describe('readList on a file chunk stream (as the CLI passes it)', () => {
  it('a 0-byte file is FILE_EMPTY, not an empty object list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bloomlink-read-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const { fileBytes } = await import('../../src/read/source.node.js');
    const { readList } = await import('../../src/read/reader.js');
    expect((await code(() => readList(fileBytes(empty)))).code).toBe('FILE_EMPTY');
  });
});
