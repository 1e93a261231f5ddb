/**
 * The bundled sample's first CoC clients and plan members, encoded under a fixed test key with the
 * default schema: the small lists the model tests train and count on.
 */
import { sampleDataset } from '../../bench/lib/eval.js';
import { RecordEncoder } from '../../src/encode/encoder.js';
import { parseKey } from '../../src/encode/key.js';
import type { EncodedBatch } from '../../src/encoded/batch.js';

const KEY = parseKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

/** The first `clients` CoC records and `members` plan records of the sample, encoded. */
export async function sampleBatches(
  clients: number,
  members: number,
): Promise<{ coc: EncodedBatch; mcp: EncodedBatch }> {
  const ds = await sampleDataset();
  return {
    coc: new RecordEncoder(KEY, { party: 'coc' }).encodeBatch(ds.coc.slice(0, clients)),
    mcp: new RecordEncoder(KEY, { party: 'mcp' }).encodeBatch(ds.mcp.slice(0, members)),
  };
}
