/**
 * Row assembly for the MCP program list (one row per member per ECM or Community Supports episode).
 */

import type { ProgramRecord } from '../records.js';
import { IdSet } from '../util/id-set.js';
import {
  type AssembleContext,
  type Assembler,
  cell,
  columnAt,
  endDate,
  PROVIDER_MAX,
  parseId,
  parseNpi,
  requiredDate,
} from './fields.js';
import { canonicalProgram } from './programs.js';

type ProgramDraft = { -readonly [K in keyof ProgramRecord]: ProgramRecord[K] };

/**
 * Builds the assembler of program rows for a mapped header. MemberID repeats by design (one row per
 * episode); an episode repeated with the same MemberID, Program and StartDate is rejected
 * (`EPISODE_DUPLICATE`).
 *
 * @example
 * ```ts
 * const assemble = programAssembler(index, { today: '2025-06-01', date: eventDateParser(2025) });
 * const record = assemble(row.fields, row.line, issues);
 * ```
 */
export function programAssembler(
  index: ReadonlyMap<string, number>,
  ctx: AssembleContext,
): Assembler<ProgramRecord> {
  const at = columnAt(index);
  const cId = at('MemberID');
  const cProgram = at('Program');
  const cProvider = at('Provider');
  const cNpi = at('ProviderNPI');
  const cStart = at('StartDate');
  const cEnd = at('EndDate');
  // Episode keys, not IDs: MemberID repeats by design.
  const seen = new IdSet();
  const { date } = ctx;

  return (fields, line, issues) => {
    const id = parseId(cell(fields, cId));
    if (!id.ok) issues.add('MemberID', id.code);

    const programRaw = cell(fields, cProgram);
    const program = programRaw === '' ? undefined : canonicalProgram(programRaw);
    if (programRaw === '') issues.add('Program', 'REQUIRED_MISSING');
    else if (program === undefined) issues.add('Program', 'PROGRAM_UNKNOWN');

    const provider = cell(fields, cProvider);
    if (provider.length > PROVIDER_MAX) issues.add('Provider', 'FIELD_TOO_LONG');
    if (provider === '' || provider.length > PROVIDER_MAX) issues.add('Provider', 'REQUIRED_MISSING');

    const npiRaw = cell(fields, cNpi);
    const npi = npiRaw === '' ? undefined : parseNpi(npiRaw);
    if (npi !== undefined && !npi.ok) issues.add('ProviderNPI', npi.code);

    const start = requiredDate(fields, cStart, 'StartDate', date, issues);
    const end = endDate(fields, cEnd, 'EndDate', start, date, issues);

    // \u0000 cannot occur in a trimmed CSV field of a text file, so the key is unambiguous.
    const key =
      id.ok && program !== undefined && start !== undefined
        ? `${id.value}\u0000${program}\u0000${start}`
        : '';
    if (key !== '' && seen.has(key)) issues.add('*', 'EPISODE_DUPLICATE');

    if (issues.rejected || !id.ok || program === undefined || start === undefined) return undefined;
    seen.addChecked(key);
    const record: ProgramDraft = { line, memberId: id.value, program, provider, startDate: start };
    if (npi?.ok) record.providerNpi = npi.value;
    if (end !== undefined) record.endDate = end;
    return record;
  };
}
