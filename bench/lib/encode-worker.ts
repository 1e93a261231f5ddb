/**
 * A benchmark worker for bench/encode.bench.ts: holds its share of the persons (sent before timing
 * starts, as after reading), and on `go` encodes them in batches of 16,384 with the default schema,
 * then reports the time it took. Measures the encoder's throughput per core without the cost of
 * moving records between threads (which the CSV → file rows of that benchmark include).
 */
import { parentPort } from 'node:worker_threads';
import { type PackedPersons, unpackPersons } from '../../src/encode/encode-task.js';
import { RecordEncoder } from '../../src/encode/encoder.js';

const port = parentPort!;
let persons: ReturnType<typeof unpackPersons> = [];
let key: Uint8Array = new Uint8Array(0);
port.on('message', (m: { type: 'data'; key: Uint8Array; packed: PackedPersons } | { type: 'go' }) => {
  if (m.type === 'data') {
    persons = unpackPersons(m.packed);
    key = m.key;
    port.postMessage({ type: 'ready' });
    return;
  }
  const enc = new RecordEncoder(key, { party: 'mcp' });
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < persons.length; i += 16_384) n += enc.encodeMany(persons.slice(i, i + 16_384)).length;
  const ms = performance.now() - t0;
  enc.dispose();
  port.postMessage({ type: 'done', n, ms });
});
