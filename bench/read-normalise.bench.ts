/**
 * Reading + validating + normalising generated CoC client rows (the issue "Foundation" benchmark).
 * Usage: npx tsx bench/read-normalise.bench.ts [rows=1000000]
 */

import { normaliseName } from '../src/normalise/names.js';
import { canonicalFirstName } from '../src/normalise/nicknames.js';
import { readClients } from '../src/read/reader.js';
import { synthesize } from '../src/synth/index.js';
import { CSV_EOL, formatCsvRow } from '../src/util/csv-write.js';

const n = Number(process.argv[2] ?? 1_000_000);
const data = synthesize({ seed: 5, clients: n, members: n, dateFormat: 'mixed' });
const parts: string[] = [formatCsvRow(data.columns.clients)];
for (const row of data.rows('clients')) parts.push(formatCsvRow(row));
const bytes = new TextEncoder().encode(parts.join(CSV_EOL) + CSV_EOL);
parts.length = 0;
console.log(
  `generated ${n.toLocaleString('en-US')} CoC client rows (${(bytes.length / 2 ** 20).toFixed(0)} MiB, dirty: nicknames, placeholders, mixed date formats)`,
);

const t = performance.now();
const reader = await readClients(bytes, { today: '2026-01-01', onIssue: () => {} });
let normalised = 0;
for await (const c of reader) {
  const name = normaliseName(c);
  if (name.first) canonicalFirstName(name.first);
  normalised++;
}
const secs = (performance.now() - t) / 1000;
const s = reader.summary;
console.log(
  `read + validate + normalise: ${s.rowsRead.toLocaleString('en-US')} rows in ${secs.toFixed(2)} s = ${Math.round(s.rowsRead / secs).toLocaleString('en-US')} rows/s (1 core); accepted ${s.accepted}, rejected ${s.rejected}, warnings ${s.warnings}; normalised ${normalised}`,
);
