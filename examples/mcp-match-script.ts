/**
 * For an MCP data team: encode the plan's member list and match it against the CoC's encoded file
 * in a script, with the library API instead of the CLI, and print the links and a short summary.
 *
 * Run from the repository: npx tsx examples/mcp-match-script.ts
 * (it encodes the bundled sample's CoC list first, standing in for the file the CoC sends you).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkageMetrics, match, readEncoded } from 'bloomlink';
import { encodeList, generateKeyHex, parseKey, writeEncoded } from 'bloomlink/encode';
import { fileBytes } from 'bloomlink/node';

const dir = mkdtempSync(join(tmpdir(), 'bloomlink-mcp-'));
const keyHex = generateKeyHex(); // in real use: read the key file agreed with the CoC

/** Encodes a list file to an Arrow file (what `bloomlink encode` does). */
async function encodeFile(input: string, output: string): Promise<void> {
  const run = await encodeList(fileBytes(input), parseKey(keyHex), { today: '2026-01-01' });
  const chunks: Uint8Array[] = [];
  await writeEncoded(
    'arrow',
    run.meta,
    run.batches,
    (c) => {
      chunks.push(c.slice());
    },
    { rows: () => run.reader.summary }, // rows read and rejected, for the match report
  );
  writeFileSync(output, Buffer.concat(chunks));
  const s = run.reader.summary;
  console.log(`${input}: ${s.rowsRead} rows, ${s.accepted} encoded, ${s.rejected} rejected`);
}

await encodeFile('data/sample/clients.csv', join(dir, 'coc.arrow')); // done by the CoC
await encodeFile('data/sample/members.csv', join(dir, 'mcp.arrow')); // done by the plan

// Matching needs no key: only the two encoded files.
const coc = await readEncoded(fileBytes(join(dir, 'coc.arrow')), 'coc.arrow');
const mcp = await readEncoded(fileBytes(join(dir, 'mcp.arrow')), 'mcp.arrow');

const result = match(coc, mcp); // refuses files made with a different schema or key

console.log(
  `candidate pairs: ${result.counts.candidatePairs}, matches: ${result.counts.matches}, review: ${result.counts.review}`,
);
console.log(`thresholds: match ≥ ${result.thresholds.match}, review ≥ ${result.thresholds.review}`);
console.log(result.thresholds.rationale);
for (const l of result.links.slice(0, 5))
  console.log(l.personalId, l.memberId, l.probability.toFixed(4), l.status);

// With ground truth (the sample has it), measure quality.
const truth = (await import('node:fs'))
  .readFileSync('data/sample/truth.csv', 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(',') as [string, string]);
const m = linkageMetrics(
  result.links.filter((l) => l.status === 'match').map((l) => [l.personalId, l.memberId] as [string, string]),
  truth,
);
console.log(`precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, F1 ${m.f1.toFixed(4)}`);

// The encoded files were only for this run: remove them.
rmSync(dir, { recursive: true, force: true });
