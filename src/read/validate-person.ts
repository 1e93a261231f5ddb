/**
 * The identifying fields CoC clients and plan members share: names, DOB, SSN, sex and their HUD
 * data-quality codes, validated together because the codes are judged against the values.
 *
 * Data-quality rules (docs/error-codes.md):
 * - an invalid code, or a blank one next to a value → `DQ_INVALID`, read as 99 (a blank code next to
 *   a blank value is read as 99 silently);
 * - a usable value with 8/9/99 (or an invalid code) → the value is kept and its data quality set to
 *   2 "approximate". HUD reads 8/9/99 as "no reliable value", but in practice these codes are the
 *   untouched default of a form on which the worker then typed the value; dropping real values loses
 *   true matches, while data quality 2 lets the matcher weigh a disagreement as weak evidence;
 * - 1/2 with a blank value → `DQ_INCONSISTENT`, read as 99; when the value was given but unusable
 *   (a placeholder, an impossible date …) the value's own issue explains it and the code silently
 *   becomes 99;
 * - no data-quality column (plan lists), or the cell not given at all → 1 when a usable value is
 *   present, 99 otherwise.
 */

import type { IssueCode } from '../issue-codes.js';
import { commonDateKey } from '../normalise/date.js';
import { isUnknownDq, parseDataQuality } from '../normalise/dq.js';
import { normaliseName, normaliseNamePart } from '../normalise/names.js';
import { isPlaceholderAlnum, isPlaceholderName } from '../normalise/placeholders.js';
import { parseSex, sexFromGenderColumns } from '../normalise/sex.js';
import { checkSsnCompact } from '../normalise/ssn.js';
import { normaliseSuffix } from '../normalise/suffix.js';
import type { DataQuality, PersonFields, Sex } from '../records.js';
import { CommonDates } from './common-dates.js';
import { cell, columnAt, dobAfter, dobIssue, type Fields, NAME_MAX, parseDob } from './fields.js';
import { GENDER_COLUMNS } from './layouts.js';
import { memo } from './memo.js';
import type { IssueCollector } from './row-issues.js';

/** Mutable form of the person fields while a row is assembled. */
export type PersonDraft = { -readonly [K in keyof PersonFields]: PersonFields[K] };

/**
 * Validates the person fields of one row into `out`, adding issues to `issues`. Returns whether the
 * row has anything to match on; when not, `NOTHING_TO_MATCH` has been added.
 */
export type PersonReader = (
  fields: Fields,
  issues: IssueCollector,
  informationDate: string | undefined,
  out: PersonDraft,
) => boolean;

// Distinct names and DOBs kept per file; beyond this the memo starts over (see memo.ts).
const MEMO_SIZE = 200_000;

// What a name cell is, for the name rules; see `nameKind` below.
const USABLE = 0;
const USABLE_DOE = 1;
const PLACEHOLDER = 2;

/**
 * Builds the person-field reader for a mapped header and the run's day. Plain names and dates in
 * the common layouts are judged on char codes (faster than any cache lookup); each reader memoises
 * the folding and parsing of the other values for its own file.
 *
 * @example
 * ```ts
 * const read = personReader(index, '2025-06-01');
 * const out = {} as PersonDraft;
 * read(row.fields, issues, undefined, out); // true when there is something to match on
 * ```
 */
export function personReader(index: ReadonlyMap<string, number>, today: string): PersonReader {
  const at = columnAt(index);
  const cFirst = at('FirstName');
  const cMiddle = at('MiddleName');
  const cLast = at('LastName');
  const cSuffix = at('NameSuffix');
  const cNameDq = at('NameDataQuality');
  const cDob = at('DOB');
  const cDobDq = at('DOBDataQuality');
  const cSsn = at('SSN');
  const cSsnDq = at('SSNDataQuality');
  const cSex = at('Sex');
  const genders = GENDER_COLUMNS.map((g) => [g, at(g)] as const).filter(([, i]) => i >= 0);
  const namePart = memo(normaliseNamePart, MEMO_SIZE);
  // A suffix is a placeholder only when it is not a real suffix (II and III look like repeated letters).
  const suffixPlaceholder = memo(
    (s: string) => normaliseSuffix(s) === undefined && isPlaceholderName(s),
    MEMO_SIZE,
  );
  const dobOf = memo((raw: string) => parseDob(raw, today), MEMO_SIZE);
  // Reference year one before today's, as in parseDob.
  const dobs = new CommonDates(Number(today.slice(0, 4)) - 1);
  const todayKey = commonDateKey(today, 0);

  /**
   * Whether a non-empty name cell normalises to a name, and whether that name is DOE (JOHN DOE & co.
   * depend on the other part). Most cells are letters only and are judged in one scan: a cache
   * lookup of a fresh string costs more than that; the others are folded once per distinct value.
   */
  const nameKind = (raw: string): number => {
    const placeholder = isPlaceholderAlnum(raw);
    if (placeholder === false) return raw.length === 3 && raw.toUpperCase() === 'DOE' ? USABLE_DOE : USABLE;
    if (placeholder === true) return PLACEHOLDER;
    const n = namePart(raw);
    return n === undefined ? PLACEHOLDER : n === 'DOE' ? USABLE_DOE : USABLE;
  };

  /** A name cell's kind, or -1 (with its issue added) when it is not usable. */
  const name = (raw: string, column: string, issues: IssueCollector): number => {
    if (raw.length > NAME_MAX) {
      issues.add(column, 'FIELD_TOO_LONG');
      return -1;
    }
    const kind = nameKind(raw);
    if (kind === PLACEHOLDER) {
      issues.add(column, 'NAME_PLACEHOLDER');
      return -1;
    }
    return kind;
  };

  return (fields, issues, informationDate, out) => {
    // Names.
    const firstRaw = cell(fields, cFirst);
    const middleRaw = cell(fields, cMiddle);
    const lastRaw = cell(fields, cLast);
    const firstKind = firstRaw === '' ? -1 : name(firstRaw, 'FirstName', issues);
    const middle = middleRaw === '' || name(middleRaw, 'MiddleName', issues) < 0 ? undefined : middleRaw;
    const lastKind = lastRaw === '' ? -1 : name(lastRaw, 'LastName', issues);
    let first = firstKind < 0 ? undefined : firstRaw;
    let last = lastKind < 0 ? undefined : lastRaw;
    // JOHN/JANE DOE & co. are placeholders only as a pair: the name normaliser decides.
    if (first !== undefined && last !== undefined && (lastKind === USABLE_DOE || firstKind === USABLE_DOE)) {
      const n = normaliseName({ firstName: first, lastName: last });
      if (n.first === undefined) {
        issues.add('FirstName', 'NAME_PLACEHOLDER');
        first = undefined;
      }
      if (n.last === undefined) {
        issues.add('LastName', 'NAME_PLACEHOLDER');
        last = undefined;
      }
    }
    if (first !== undefined) out.firstName = first;
    if (middle !== undefined) out.middleName = middle;
    if (last !== undefined) out.lastName = last;
    const suffix = cell(fields, cSuffix);
    if (suffix !== '') {
      if (suffix.length > NAME_MAX) issues.add('NameSuffix', 'FIELD_TOO_LONG');
      else if (suffixPlaceholder(suffix)) issues.add('NameSuffix', 'NAME_PLACEHOLDER');
      else out.nameSuffix = suffix;
    }
    const nameGiven = firstRaw !== '' || middleRaw !== '' || lastRaw !== '';
    const nameUsable = first !== undefined || middle !== undefined || last !== undefined;
    out.nameDataQuality = dataQuality(fields, cNameDq, 'NameDataQuality', nameGiven, nameUsable, issues);

    // Date of birth.
    const dobRaw = cell(fields, cDob);
    let dob: string | undefined;
    if (dobRaw !== '') {
      // The common layouts are parsed faster than a string-keyed cache lookup; the memo serves the rest.
      let code: IssueCode | undefined;
      const key = dobs.key(dobRaw);
      if (key >= 0) {
        code = dobIssue(key, todayKey);
        dob = code === undefined || code === 'DATE_BEFORE_1915' ? dobs.iso(key, dobRaw) : undefined;
      } else {
        const r = dobOf(dobRaw);
        dob = r.dob;
        code = r.code;
      }
      if (dob !== undefined && dobAfter(dob, informationDate)) {
        issues.add('DOB', 'DATE_AFTER_INFORMATION_DATE');
        dob = undefined;
      } else if (code !== undefined) issues.add('DOB', code);
      if (dob !== undefined) out.dob = dob;
    }
    out.dobDataQuality = dataQuality(
      fields,
      cDobDq,
      'DOBDataQuality',
      dobRaw !== '',
      dob !== undefined,
      issues,
    );

    // SSN.
    // The SSN, or why there is none (see checkSsnCompact).
    const checked = checkSsnCompact(cell(fields, cSsn));
    if (checked === 'invalid') issues.add('SSN', 'SSN_INVALID');
    else if (checked === 'placeholder') issues.add('SSN', 'SSN_PLACEHOLDER');
    const ssn =
      checked === 'missing' || checked === 'invalid' || checked === 'placeholder' ? undefined : checked;
    // `xxxxxxxxx` is HUD's spelling of "no SSN": treated like a blank cell.
    let ssnDq = dataQuality(
      fields,
      cSsnDq,
      'SSNDataQuality',
      checked !== 'missing',
      ssn !== undefined,
      issues,
    );
    if (ssn !== undefined) {
      out.ssn = ssn;
      if (ssnDq === 1 && ssn.indexOf('x') >= 0) {
        issues.add('SSN', 'SSN_PARTIAL');
        ssnDq = 2;
      }
    }
    out.ssnDataQuality = ssnDq;

    const sex = readSex(fields, cSex, genders, issues);
    if (sex !== undefined) out.sex = sex;

    if (nameUsable || dob !== undefined || ssn !== undefined) return true;
    issues.add('*', 'NOTHING_TO_MATCH');
    return false;
  };
}

function readSex(
  fields: Fields,
  cSex: number,
  genders: ReadonlyArray<readonly [(typeof GENDER_COLUMNS)[number], number]>,
  issues: IssueCollector,
): Sex | undefined {
  const raw = cSex < 0 ? undefined : fields[cSex];
  if (raw !== undefined) {
    const parsed = parseSex(raw);
    if (!parsed.valid) issues.add('Sex', 'SEX_INVALID');
    return parsed.sex;
  }
  if (genders.length === 0) return undefined;
  const g: Partial<Record<(typeof GENDER_COLUMNS)[number], string>> = {};
  for (const [name, i] of genders) {
    const v = fields[i];
    if (v !== undefined) g[name] = v;
  }
  return sexFromGenderColumns(g);
}

/** The effective data-quality code of one field (rules in the module comment). */
function dataQuality(
  fields: Fields,
  column: number,
  name: string,
  given: boolean,
  usable: boolean,
  issues: IssueCollector,
): DataQuality {
  const raw = column < 0 ? undefined : fields[column];
  if (raw === undefined) return usable ? 1 : 99;
  const dq = parseDataQuality(raw);
  if (dq === undefined) {
    // A blank code next to a blank value changes nothing (both read as 99): not worth a warning.
    if (given || raw.trim() !== '') issues.add(name, 'DQ_INVALID');
    return usable ? 2 : 99;
  }
  if (usable) {
    if (!isUnknownDq(dq)) return dq;
    issues.add(name, 'DQ_INCONSISTENT');
    return 2;
  }
  if (isUnknownDq(dq)) return dq;
  if (!given) issues.add(name, 'DQ_INCONSISTENT');
  return 99;
}
