/**
 * The first pass's cheap member-row test (`memberSpanCheck`) against the member validator on every
 * row of a CSV file: each row the test settles must be one the validator accepts, with the same
 * MemberID and span days; prints how many rows it settled and exits 1 on any disagreement (the
 * line is printed, not the row). Rows it leaves to the validator agree by construction.
 *
 * Usage: npx tsx bench/member-span-check.ts MEMBERS.csv [today=2026-01-01]
 */
import { readFileSync } from 'node:fs';
import { parseCsvTextBatches } from '../src/read/csv.js';
import { spanDay } from '../src/read/member-spans.js';
import { memberValidator } from '../src/read/validate.js';
import { type CheckedSpan, memberSpanCheck } from '../src/read/validate-member.js';
import type { MemberRecord } from '../src/records.js';

const [path, today = '2026-01-01'] = process.argv.slice(2);
if (!path) throw new Error('usage: member-span-check.ts MEMBERS.csv [today]');
let validator: ReturnType<typeof memberValidator> | undefined;
let check: ReturnType<typeof memberSpanCheck> | undefined;
const span: CheckedSpan = { id: '', start: 0, end: 0 };
let rows = 0;
let settled = 0;
let accepted = 0;
let bad = 0;
for (const batch of parseCsvTextBatches(readFileSync(path, 'utf8'))) {
  for (const row of batch) {
    if (validator === undefined || check === undefined) {
      validator = memberValidator(row.fields, { today });
      check = memberSpanCheck(validator.columns, today);
      continue;
    }
    rows++;
    const sure = check(row.fields, span);
    const rec = validator.validate(row).record as MemberRecord | undefined;
    if (rec !== undefined) accepted++;
    if (!sure) continue;
    settled++;
    if (
      rec === undefined ||
      rec.memberId !== span.id ||
      spanDay(rec.enrollmentStartDate) !== span.start ||
      spanDay(rec.enrollmentEndDate) !== span.end
    ) {
      bad++;
      if (bad <= 20) console.log(`disagreement on line ${row.line}`);
    }
  }
}
console.log(
  `${rows} rows, ${accepted} accepted by the validator, ${settled} settled by the check, ${bad} disagreements`,
);
if (bad > 0) process.exit(1);
