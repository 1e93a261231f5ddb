/**
 * Row assembly for the CoC client list (contract list or HMIS `Client.csv` FY2024/FY2026).
 */

import type { ClientRecord } from '../records.js';
import {
  type AssembleContext,
  type Assembler,
  cell,
  columnAt,
  ID_MAX,
  optionalDate,
  timestampDate,
} from './fields.js';
import { UniqueIds } from './unique-ids.js';
import { personReader } from './validate-person.js';

type ClientDraft = { -readonly [K in keyof ClientRecord]: ClientRecord[K] };

/**
 * Builds the assembler of client rows for a mapped header: validates one row's fields into a record,
 * or returns `undefined` when the row is rejected. Remembers accepted PersonalIDs, so a later row with
 * the same ID is rejected (`ID_DUPLICATE`); rejected rows do not claim their ID.
 *
 * @example
 * ```ts
 * const assemble = clientAssembler(index, { today: '2025-06-01', date: eventDateParser(2025) });
 * const record = assemble(row.fields, row.line, issues);
 * ```
 */
export function clientAssembler(
  index: ReadonlyMap<string, number>,
  ctx: AssembleContext,
): Assembler<ClientRecord> {
  const at = columnAt(index);
  const cMember = at('MCPMemberID');
  const cInfo = at('InformationDate');
  const cUpdated = at('DateUpdated');
  const cCreated = at('DateCreated');
  const cDeleted = at('DateDeleted');
  const ids = new UniqueIds(index, 'PersonalID');
  const readPerson = personReader(index, ctx.today);
  const { date } = ctx;

  return (fields, line, issues) => {
    const id = ids.read(fields, issues);
    if (cell(fields, cDeleted) !== '') issues.add('DateDeleted', 'ROW_DELETED');

    // InformationDate when given and usable; else HMIS DateUpdated, else DateCreated (metadata: no
    // issue when unusable); else none, and the DOB is checked against the run's day only.
    const informationDate =
      optionalDate(fields, cInfo, 'InformationDate', date, issues) ??
      timestampDate(cell(fields, cUpdated), date) ??
      timestampDate(cell(fields, cCreated), date);
    const draft = { line, personalId: id ?? '' } as ClientDraft;
    readPerson(fields, issues, informationDate, draft);

    let mcpMemberId = cell(fields, cMember);
    if (mcpMemberId.length > ID_MAX) {
      issues.add('MCPMemberID', 'FIELD_TOO_LONG');
      mcpMemberId = '';
    }

    if (issues.rejected || id === undefined) return undefined;
    ids.claim(id);
    if (mcpMemberId !== '') draft.mcpMemberId = mcpMemberId;
    if (informationDate !== undefined) draft.informationDate = informationDate;
    return draft;
  };
}
