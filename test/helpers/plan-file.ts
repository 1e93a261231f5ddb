import { sampleDataset } from '../../bench/lib/eval.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch, EncodedMeta } from '../../src/encoded/batch.js';
import { type EncodedFormat, writeEncoded } from '../../src/encoded/file.js';
import { sliceBatch } from '../../src/encoded/slice.js';
import { concatBytes } from '../../src/util/bytes.js';

/** `plan` written as an encoded file (Arrow unless `format` says) of record batches of `per` records. */
export async function planFileBytes(
  meta: EncodedMeta,
  plan: EncodedBatch,
  per: number,
  format: EncodedFormat = 'arrow',
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const batches: EncodedBatch[] = [];
  for (let from = 0; from < plan.length; from += per)
    batches.push(sliceBatch(plan, from, Math.min(plan.length, from + per)));
  await writeEncoded(format, meta, batches, (c) => {
    parts.push(c.slice());
  });
  return concatBytes(parts);
}

/** The streaming tests' lists: the bundled sample's first 800 clients and 2,500 members, encoded. */
export async function sampleLists(): Promise<{
  coc: EncodedBatch;
  cocMeta: EncodedMeta;
  mcp: EncodedBatch;
  mcpMeta: EncodedMeta;
}> {
  const ds = await sampleDataset();
  const key = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  const enc = new RecordEncoder(key, { party: 'coc' });
  const menc = new RecordEncoder(key, { party: 'mcp' });
  const coc = enc.encodeBatch(ds.coc.slice(0, 800));
  const mcp = menc.encodeBatch(ds.mcp.slice(0, 2500));
  return { coc, cocMeta: enc.meta, mcp, mcpMeta: menc.meta };
}
