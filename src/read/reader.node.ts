/**
 * The list readers from a file path (Node only). File errors become `BloomlinkError`s
 * (`FILE_NOT_FOUND`, `FILE_UNREADABLE`); the file name is the default label in messages.
 */
import { basename } from 'node:path';
import type { ClientRecord, ListKind, MemberRecord, ProgramRecord } from '../records.js';
import type { AnyListReader, ListReader, ReadOptions } from './reader.js';
import { openClassified } from './reader.js';
import { fileBytes } from './source.node.js';

function openFile(kind: ListKind | undefined, path: string, opts: ReadOptions): Promise<unknown> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  return openClassified(
    kind,
    { type: 'bytes', bytes: fileBytes(path) },
    { ...opts, label: opts.label ?? basename(path) },
  );
}

/**
 * Opens a CoC client list file. See `readClients`.
 *
 * @throws BloomlinkError `FILE_NOT_FOUND`, `FILE_UNREADABLE`, `FILE_EMPTY`, `COLUMN_MISSING`, …
 * @example
 * ```ts
 * const reader = await readClientsFile('Client.csv', { today: '2025-06-01' });
 * for await (const client of reader) console.log(client.personalId);
 * ```
 */
export async function readClientsFile(
  path: string,
  opts: ReadOptions = {},
): Promise<ListReader<ClientRecord>> {
  return (await openFile('coc', path, opts)) as ListReader<ClientRecord>;
}

/**
 * Opens an MCP member list file. See `readMembers`.
 *
 * @example
 * ```ts
 * const { records, summary } = await collect(readMembersFile('members.csv'));
 * ```
 */
export async function readMembersFile(
  path: string,
  opts: ReadOptions = {},
): Promise<ListReader<MemberRecord>> {
  return (await openFile('members', path, opts)) as ListReader<MemberRecord>;
}

/**
 * Opens an MCP program list file. See `readPrograms`.
 *
 * @example
 * ```ts
 * for await (const episode of await readProgramsFile('programs.csv')) console.log(episode.program);
 * ```
 */
export async function readProgramsFile(
  path: string,
  opts: ReadOptions = {},
): Promise<ListReader<ProgramRecord>> {
  return (await openFile('programs', path, opts)) as ListReader<ProgramRecord>;
}

/**
 * Opens a list file of any kind, detected from its header. See `readList`.
 *
 * @example
 * ```ts
 * const reader = await readListFile(process.argv[2]!);
 * console.log(reader.kind, reader.layout);
 * ```
 */
export async function readListFile(path: string, opts: ReadOptions = {}): Promise<AnyListReader> {
  return (await openFile(undefined, path, opts)) as AnyListReader;
}
