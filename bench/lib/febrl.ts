/**
 * Loads the bundled FEBRL 4 data (data/third_party/febrl) as persons to encode, with the true links.
 * Names and date of birth only, as in the reference measurements (docs/benchmarks.md).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PersonToEncode } from '../../src/encode/encoder.js';
import { parseDate } from '../../src/normalise/date.js';

const DIR = fileURLToPath(new URL('../../data/third_party/febrl/', import.meta.url));

function load(file: string): PersonToEncode[] {
  const lines = readFileSync(DIR + file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const col = (n: string) => header.indexOf(n);
  const [id, given, surname, dob] = [col('rec_id'), col('given_name'), col('surname'), col('date_of_birth')];
  return lines.slice(1).map((line) => {
    const f = line.split(',').map((x) => x.trim());
    const d = f[dob] ? parseDate(f[dob]!) : undefined;
    const first = f[given] || undefined;
    const last = f[surname] || undefined;
    return {
      id: f[id]!,
      ...(first ? { firstName: first } : {}),
      ...(last ? { lastName: last } : {}),
      ...(d?.ok ? { dob: d.iso } : {}),
      nameDataQuality: first || last ? 1 : 99,
      dobDataQuality: d?.ok ? 1 : 99,
      ssnDataQuality: 99,
    };
  });
}

/**
 * FEBRL 4a (as the CoC side), 4b (as the plan side) and the 5,000 true links.
 * @example
 * ```ts
 * const { a, b, truth } = loadFebrl4();
 * ```
 */
export function loadFebrl4(): { a: PersonToEncode[]; b: PersonToEncode[]; truth: [string, string][] } {
  const truth = readFileSync(`${DIR}febrl4_true_links.csv`, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map((x) => x.trim()) as [string, string]);
  return { a: load('dataset4a.csv'), b: load('dataset4b.csv'), truth };
}

/**
 * FEBRL 4 as contract lists (CSV text): 4a as the CoC's client list, 4b as the plan's member list,
 * names and DOB only, for runs through the CLI (the bench of small jobs, the pinned digests).
 * @example
 * ```ts
 * const { coc, mcp } = febrl4ContractLists();
 * writeFileSync('clients.csv', coc);
 * ```
 */
export function febrl4ContractLists(): { coc: string; mcp: string } {
  const list = (file: string, side: 'coc' | 'mcp'): string => {
    const lines = readFileSync(DIR + file, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    const header = lines[0]!.split(',').map((h) => h.trim());
    const at = (n: string) => header.indexOf(n);
    const [id, given, surname, dob] = [at('rec_id'), at('given_name'), at('surname'), at('date_of_birth')];
    const out = [
      side === 'coc'
        ? 'PersonalID,FirstName,LastName,NameDataQuality,DOB,DOBDataQuality'
        : 'MemberID,FirstName,LastName,DOB,MCP,CoverageType,EnrollmentStartDate',
    ];
    for (const line of lines.slice(1)) {
      const f = line.split(',').map((x) => x.trim());
      const d = f[dob] ?? '';
      const iso = /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : '';
      const name = `${f[given] ?? ''},${f[surname] ?? ''}`;
      out.push(
        side === 'coc'
          ? `${f[id]},${name},${f[given] || f[surname] ? 1 : 99},${iso},${iso ? 1 : 99}`
          : `${f[id]},${name},${iso},Plan,Medi-Cal,2025-01-01`,
      );
    }
    return `${out.join('\n')}\n`;
  };
  return { coc: list('dataset4a.csv', 'coc'), mcp: list('dataset4b.csv', 'mcp') };
}
