/**
 * Encoding speed with the default schema on generated plan members (validated first; the timed part
 * is the encoder only, then the whole read → validate → encode pipeline from CSV bytes).
 * Usage: npx tsx bench/encode.bench.ts [records=1000000]
 */
import { RecordEncoder } from '../src/encode/encoder.js';
import { encodeList } from '../src/encode/pipeline.js';
import { parseKey } from '../src/encode/key.js';
import { collect, readMembers } from '../src/read/reader.js';
import { synthesize } from '../src/synth/index.js';
import { CSV_EOL, formatCsvRow } from '../src/util/csv-write.js';

const n = Number(process.argv[2] ?? 1_000_000);
const data = synthesize({ seed: 11, clients: 10, members: n });
const cols = data.columns.members;
const lines = [formatCsvRow(cols)];
for (const row of data.rows('members')) lines.push(formatCsvRow(row));
const csv = new TextEncoder().encode(lines.join(CSV_EOL) + CSV_EOL);
lines.length = 0;
const { records } = await collect(readMembers(csv, { today: '2026-01-01' }));
const persons = records.map((r) => ({ ...r, id: r.memberId }));
const key = parseKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');

const enc = new RecordEncoder(key, { party: 'mcp' });
let t = performance.now();
enc.encodeBatch(persons);
const encMs = performance.now() - t;
console.log(`encoder only: ${persons.length} records in ${(encMs / 1000).toFixed(2)} s = ${Math.round(persons.length / (encMs / 1000)).toLocaleString('en-US')} records/s (1 core)`);

t = performance.now();
const run = await encodeList(csv, key, { today: '2026-01-01' });
let total = 0;
for await (const b of run.batches) total += b.length;
const pipeMs = performance.now() - t;
console.log(`CSV → validate → encode: ${total} records in ${(pipeMs / 1000).toFixed(2)} s = ${Math.round(total / (pipeMs / 1000)).toLocaleString('en-US')} records/s (1 core)`);
console.log('clkhash reference (anchors.md, measured here): 16–30k records/s per core');
