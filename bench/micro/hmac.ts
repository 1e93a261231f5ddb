/**
 * HMAC kernel micro-benchmarks: HMAC-SHA256 of short messages (the encoder's tokens: q-grams,
 * names, dates) under one key — the WebAssembly kernel one digest at a time and in batches of
 * HMAC_BATCH (four SIMD lanes, and one lane), the JS compression, and `@noble/hashes` and
 * `node:crypto` for reference.
 */
import { createHmac } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { KeyedHash } from '../../src/encode/hmac.js';
import { HMAC_BATCH, HmacKernel } from '../../src/encode/kernel/sha256.js';
import { compress, SHA256_IV } from '../../src/encode/sha256.js';
import type { MicroSuite, MicroTask } from './suite.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const NAMES = ['SMITH', 'GARCIA', 'NGUYEN', 'JOHNSON', 'HERNANDEZ', 'LEE', 'MARTINEZ', 'KIM'];

/** 1,024 messages like the encoder's: bigrams, names, dates. */
function messages(): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < 1024; i++) {
    const name = NAMES[i % NAMES.length]!;
    out.push(name.slice(i % (name.length - 1), (i % (name.length - 1)) + 2));
    out.push(`${name}${i}`);
    out.push(`19${50 + (i % 50)}-0${1 + (i % 9)}-${10 + (i % 18)}`);
    out.push(`first:${name.toLowerCase()}`);
  }
  return out.slice(0, 1024);
}

/** The key's inner and outer pad states (RFC 2104), as the kernel holds them. */
function padStates(): [Int32Array, Int32Array] {
  const state = (pad: number) => {
    const block = new Int32Array(16);
    const byte = (j: number) => (KEY[j] ?? 0) ^ pad;
    for (let i = 0; i < 16; i++)
      block[i] = (byte(4 * i) << 24) | (byte(4 * i + 1) << 16) | (byte(4 * i + 2) << 8) | byte(4 * i + 3);
    const s = Int32Array.from(SHA256_IV);
    compress(s, block);
    return s;
  };
  return [state(0x36), state(0x5c)];
}

/**
 * The HMAC kernel suite.
 * @example
 * ```ts
 * const suite = hmacSuite();
 * ```
 */
export function hmacSuite(): MicroSuite {
  const msgs = messages();
  const bytes = msgs.map((m) => new TextEncoder().encode(m));
  const wasm = new KeyedHash(KEY);
  const js = new KeyedHash(KEY, { kernel: false });
  const tasks: MicroTask[] = [];
  let sink = 0;

  // Every implementation must give the same first words, or the rates compare different work.
  const reference = msgs.map((m) => js.word(m));
  const check = (name: string, got: number[]) => {
    if (got.some((w, i) => w !== reference[i])) throw new Error(`${name} disagrees with the JS HMAC`);
  };
  check(
    'KeyedHash (WebAssembly)',
    msgs.map((m) => wasm.word(m)),
  );
  check(
    '@noble/hashes',
    bytes.map((b) => new DataView(hmac(sha256, KEY, b).buffer).getUint32(0)),
  );

  if (wasm.kernelSlot >= 0) {
    tasks.push({
      name: 'KeyedHash WebAssembly, one at a time',
      fn: () => {
        for (const m of msgs) sink ^= wasm.word(m);
      },
      items: msgs.length,
    });
  }
  tasks.push({
    name: 'KeyedHash JS compression',
    fn: () => {
      for (const m of msgs) sink ^= js.word(m);
    },
    items: msgs.length,
  });

  for (const simd of [true, false]) {
    const kernel = HmacKernel.create({ simd });
    if (!kernel || kernel.simd !== simd) continue;
    const slot = kernel.addState(...padStates());
    const batch = (): number[] => {
      const got: number[] = [];
      for (let at = 0; at < msgs.length; at += HMAC_BATCH) {
        kernel.begin();
        const end = Math.min(msgs.length, at + HMAC_BATCH);
        for (let i = at; i < end; i++) kernel.queue(slot, msgs[i]!);
        kernel.flush();
        for (let k = 0; k < end - at; k++) got.push(kernel.firstWord(k));
      }
      return got;
    };
    const name = `HmacKernel batches of ${HMAC_BATCH}, ${simd ? 'SIMD (4 lanes)' : 'one lane'}`;
    check(name, batch());
    tasks.push({
      name,
      fn: () => {
        for (let at = 0; at < msgs.length; at += HMAC_BATCH) {
          kernel.begin();
          const end = Math.min(msgs.length, at + HMAC_BATCH);
          for (let i = at; i < end; i++) kernel.queue(slot, msgs[i]!);
          kernel.flush();
          sink ^= kernel.firstWord(0);
        }
      },
      items: msgs.length,
    });
  }

  tasks.push(
    {
      name: '@noble/hashes hmac',
      fn: () => {
        for (const b of bytes) sink ^= hmac(sha256, KEY, b)[0]!;
      },
      items: msgs.length,
    },
    {
      name: 'node:crypto createHmac',
      fn: () => {
        for (const m of msgs) sink ^= createHmac('sha256', KEY).update(m).digest()[0]!;
      },
      items: msgs.length,
    },
  );
  void sink;

  const ratios = [
    { faster: 'KeyedHash WebAssembly, one at a time', than: 'KeyedHash JS compression' },
    { faster: `HmacKernel batches of ${HMAC_BATCH}, SIMD (4 lanes)`, than: 'KeyedHash JS compression' },
    {
      faster: `HmacKernel batches of ${HMAC_BATCH}, SIMD (4 lanes)`,
      than: `HmacKernel batches of ${HMAC_BATCH}, one lane`,
    },
    { faster: 'KeyedHash JS compression', than: '@noble/hashes hmac' },
    { faster: 'KeyedHash JS compression', than: 'node:crypto createHmac' },
  ];
  const names = new Set(tasks.map((t) => t.name));
  return {
    name: 'hmac',
    what: `HMAC-SHA256 of ${msgs.length} short messages (q-grams, names, dates) under one 32-byte key`,
    unit: 'digests',
    tasks,
    ratios: ratios.filter((r) => names.has(r.faster) && names.has(r.than)),
  };
}
