/**
 * Header row → column positions: finds the columns a layout needs, however the exporting system
 * spelled their case, and fails with one clear line when some are missing.
 * @module
 */
import { BloomlinkError } from '../errors.js';
import type { CsvRow } from './csv.js';

/**
 * The columns a layout reads. Names are the canonical spelling used as keys of the result.
 *
 * @example
 * ```ts
 * const exitSpec: HeaderSpec = {
 *   required: ['ExitID', 'PersonalID'],
 *   optional: ['WorkplaceViolenceThreats'],
 *   aliases: { WorkplaceViolenceThreats: ['WorkPlaceViolenceThreats'] },
 * };
 * ```
 */
export interface HeaderSpec {
  /** Columns that must be present (a blank value is the validator's business, not the header's). */
  readonly required: readonly string[];
  /** Columns read when present. */
  readonly optional?: readonly string[];
  /**
   * Other spellings accepted for a canonical column, e.g.
   * `{ WorkplaceViolenceThreats: ['WorkPlaceViolenceThreats'] }` (Green River's spelling of HUD's name).
   */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
  /**
   * Spellings accepted for a canonical column only when the header has none of its own or alias
   * spellings (then a file carrying both is not refused as a duplicate), e.g. `{ SSN: ['SSN4'] }`.
   */
  readonly fallbacks?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Where each known column is, and which header cells were not recognised.
 *
 * @example
 * ```ts
 * const map: HeaderMap = mapHeader(headerRow.fields, spec, 'Client.csv');
 * const dob = row.fields[map.index.get('DOB')!];
 * ```
 */
export interface HeaderMap {
  /** Canonical column name → 0-based field index; only columns present in the file. */
  readonly index: ReadonlyMap<string, number>;
  /** Header cells (cleaned as for matching, original case) that are not in the spec, in file order. */
  readonly extra: readonly string[];
}

/**
 * Maps a header row to the spec's columns. Matching ignores case, spaces and underscores (`Date of
 * Birth`, `date_of_birth` and `DateOfBirth` are one spelling), a BOM and surrounding double quotes,
 * as files from Excel and hand-edited exports have them. A missing column's message lists the
 * spellings accepted for it.
 *
 * Note that `extra` echoes header cells: when a file has no header, its first data row ends up there,
 * so do not log `extra` without need.
 *
 * @param header - the first row's fields
 * @param spec - {@link HeaderSpec}
 * @param label - file name for error messages (default `input`)
 * @throws BloomlinkError `COLUMN_MISSING` naming every missing required column, `COLUMN_DUPLICATE`
 *   when a known column appears twice
 * @throws TypeError when the spec names a column twice
 * @example
 * ```ts
 * const map = mapHeader([' personalid', 'DOB', 'Notes'], { required: ['PersonalID', 'DOB'], optional: ['SSN'] });
 * map.index.get('PersonalID'); // 0
 * map.extra; // ['Notes']
 * ```
 */
export function mapHeader(header: readonly string[], spec: HeaderSpec, label = 'input'): HeaderMap {
  const lookup = specLookup(spec);
  const fallback = fallbackLookup(spec, lookup);
  const keys = header.map((h) => headerKey(h ?? ''));
  const present = new Set(keys.map((k) => lookup.get(k)));
  const index = new Map<string, number>();
  const extra: string[] = [];
  for (let i = 0; i < header.length; i++) {
    const cell = cleanHeaderCell(header[i] ?? '');
    const key = keys[i] as string;
    let canonical = lookup.get(key);
    // A fallback spelling counts only when the column's own spellings are all absent.
    if (canonical === undefined && !present.has(fallback.get(key))) canonical = fallback.get(key);
    if (canonical === undefined) {
      extra.push(cell);
      continue;
    }
    const first = index.get(canonical);
    if (first !== undefined) {
      throw new BloomlinkError(
        'COLUMN_DUPLICATE',
        `${label}: column '${canonical}' appears twice (columns ${first + 1} and ${i + 1})`,
      );
    }
    index.set(canonical, i);
  }
  const missing = spec.required.filter((name) => !index.has(name));
  if (missing.length > 0) {
    const list = missing.map((name) => `'${name}'`).join(', ');
    const noun = missing.length === 1 ? 'column' : 'columns';
    throw new BloomlinkError(
      'COLUMN_MISSING',
      `${label}: missing required ${noun} ${list} (${acceptedSpellings(missing, spec)})`,
    );
  }
  return { index, extra };
}

/**
 * The spellings accepted for each column, for a COLUMN_MISSING message (one line).
 *
 * @example
 * ```ts
 * acceptedSpellings(['DOB'], { required: ['DOB'], aliases: { DOB: ['DateOfBirth'] } });
 * // 'DOB may also be written DateOfBirth; case, spaces and underscores are ignored'
 * ```
 */
export function acceptedSpellings(columns: readonly string[], spec: HeaderSpec): string {
  const parts = columns.flatMap((c) => {
    const other = [...(spec.aliases?.[c] ?? []), ...(spec.fallbacks?.[c] ?? [])];
    return other.length === 0 ? [] : [`${c} may also be written ${other.join(', ')}`];
  });
  return [...parts, 'case, spaces and underscores are ignored'].join('; ');
}

/**
 * A header cell as matched: cleaned ({@link cleanHeaderCell}), lower case, without spaces and
 * underscores.
 *
 * @example
 * ```ts
 * headerKey(' Date of_Birth '); // 'dateofbirth'
 * ```
 */
export function headerKey(cell: string): string {
  return cleanHeaderCell(cell)
    .toLowerCase()
    .replace(/[\s_]+/g, '');
}

/**
 * A row's known fields by canonical column name; `undefined` when the row is shorter than the header.
 *
 * @example
 * ```ts
 * const map = mapHeader(['PersonalID', 'DOB'], { required: ['PersonalID', 'DOB'] });
 * rowObject({ line: 2, fields: ['17', '1980-01-02'] }, map); // { PersonalID: '17', DOB: '1980-01-02' }
 * ```
 */
export function rowObject(row: CsvRow, map: HeaderMap): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, i] of map.index) out[name] = row.fields[i];
  return out;
}

/**
 * A header cell as compared: without BOM, surrounding whitespace and surrounding double quotes (which
 * survive parsing when a quoted name is preceded by a space, as in `a, "DOB"`).
 *
 * @example
 * ```ts
 * cleanHeaderCell('\uFEFF "PersonalID" '); // 'PersonalID'
 * ```
 */
export function cleanHeaderCell(cell: string): string {
  let s = cell.replace(/^\uFEFF/, '').trim();
  while (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).trim();
  return s;
}

/** Fallback spelling's key → canonical name. */
function fallbackLookup(spec: HeaderSpec, lookup: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [canonical, spellings] of Object.entries(spec.fallbacks ?? {})) {
    if (![...spec.required, ...(spec.optional ?? [])].includes(canonical))
      throw new TypeError(`spec: fallback target '${canonical}' is not a column`);
    for (const spelling of spellings) {
      const key = headerKey(spelling);
      if (lookup.has(key)) throw new TypeError(`spec: fallback '${spelling}' is also a column or alias`);
      out.set(key, canonical);
    }
  }
  return out;
}

/** Matched spelling ({@link headerKey}) → canonical name, over required, optional and alias spellings. */
function specLookup(spec: HeaderSpec): Map<string, string> {
  const lookup = new Map<string, string>();
  const columns = [...spec.required, ...(spec.optional ?? [])];
  for (const name of columns) {
    const key = headerKey(name);
    if (lookup.has(key)) throw new TypeError(`spec: column '${name}' is listed twice`);
    lookup.set(key, name);
  }
  for (const [canonical, spellings] of Object.entries(spec.aliases ?? {})) {
    if (!columns.includes(canonical))
      throw new TypeError(`spec: alias target '${canonical}' is not a column`);
    for (const spelling of spellings) {
      const key = headerKey(spelling);
      const seen = lookup.get(key);
      if (seen !== undefined && seen !== canonical) {
        throw new TypeError(`spec: '${spelling}' names both '${seen}' and '${canonical}'`);
      }
      lookup.set(key, canonical);
    }
  }
  return lookup;
}
