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
