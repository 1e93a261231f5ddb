/**
 * Bloom-filter hardening: balancing, XOR-folding, Rule 90, BLIP and the diffusion layer of
 * Armknecht, Heng & Schnell (PoPETs 2023). Each takes and returns bytes in bloomlink's bit order
 * (bit i is bit (7 − i % 8) of byte i / 8, as clkhash/bitarray write it).
 */
import type { KeyedHash } from './hmac.js';

/** Reads bit `i`. */
export function getBit(b: Uint8Array, i: number): number {
  return ((b[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
}

/** Sets bit `i` to 1. */
export function setBit(b: Uint8Array, i: number): void {
  b[i >> 3] = (b[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
}

/** XOR-folds once: the two halves XORed (Schnell et al. 2016). */
export function xorFold(b: Uint8Array): Uint8Array {
  const half = b.length >> 1;
  const out = new Uint8Array(half);
  for (let i = 0; i < half; i++) out[i] = (b[i] ?? 0) ^ (b[i + half] ?? 0);
  return out;
}

/** Rule 90 (Schnell & Borgs 2017): bit i becomes bit i−1 XOR bit i+1, cyclically. */
export function rule90(b: Uint8Array): Uint8Array {
  const n = b.length * 8;
  const out = new Uint8Array(b.length);
  for (let i = 0; i < n; i++) if (getBit(b, (i + n - 1) % n) ^ getBit(b, (i + 1) % n)) setBit(out, i);
  return out;
}

/** A keyed pseudo-random permutation / selection source, deterministic for a key and a label. */
export class KeyedStream {
  private readonly words = new Int32Array(8);
  private pos = 8;
  private counter = 0;
  constructor(
    private readonly hash: KeyedHash,
    private readonly label: string,
  ) {}
  /** Next 32 random bits. */
  next(): number {
    if (this.pos === 8) {
      this.hash.digestWords(`${this.label}#${this.counter++}`, this.words);
      this.pos = 0;
    }
    return (this.words[this.pos++] ?? 0) >>> 0;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    // Rejection sampling keeps the draw unbiased.
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const r = this.next();
      if (r < limit) return r % n;
    }
  }
}

/** A keyed permutation of [0, n) (Fisher–Yates). */
export function keyedPermutation(stream: KeyedStream, n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = stream.below(i + 1);
    const t = p[i] ?? 0;
    p[i] = p[j] ?? 0;
    p[j] = t;
  }
  return p;
}

/** Balanced Bloom filter (Berger et al.): the filter followed by its complement, then permuted. */
export function balance(b: Uint8Array, perm: Uint32Array): Uint8Array {
  const n = b.length * 8;
  const out = new Uint8Array(b.length * 2);
  for (let i = 0; i < 2 * n; i++) {
    const src = perm[i] ?? 0;
    const bit = src < n ? getBit(b, src) : 1 - getBit(b, src - n);
    if (bit) setBit(out, i);
  }
  return out;
}

/**
 * Diffusion layer (Armknecht, Heng & Schnell, "Strengthening privacy-preserving record linkage using
 * diffusion", PoPETs 2023): output bit j is the XOR of the input bits at `taps[j*t .. j*t+t)`, a
 * keyed random choice fixed per feature. Similar inputs keep similar outputs, but a single output
 * bit no longer reveals which q-gram set it.
 */
export function diffuse(b: Uint8Array, taps: Uint32Array, t: number): Uint8Array {
  const n = b.length * 8;
  const out = new Uint8Array(b.length);
  for (let j = 0; j < n; j++) {
    let x = 0;
    for (let s = 0; s < t; s++) x ^= getBit(b, taps[j * t + s] ?? 0);
    if (x) setBit(out, j);
  }
  return out;
}

/**
 * The taps of {@link diffuse} inverted: for each input bit i, the output bits that tap it, as
 * `outputs[starts[i] .. starts[i + 1])`. With them a sparse filter (a name sets a few dozen of its
 * bits) is diffused by flipping, for each set input bit, the outputs it feeds: the same XORs as
 * {@link diffuse} (XOR is linear; a tap listed twice flips twice), a few dozen steps instead of
 * n × t bit reads.
 * @example
 * ```ts
 * const inv = invertTaps(taps, 256, 3);
 * diffuseSparse(bits, inv); // === diffuse(bits, taps, 3), byte for byte
 * ```
 */
export interface InvertedTaps {
  readonly starts: Uint32Array;
  readonly outputs: Uint32Array;
}

/**
 * Inverts the taps of {@link diffuse} over `n` bits, `t` per output bit (see {@link InvertedTaps}).
 * @example
 * ```ts
 * const inv = invertTaps(diffusionTaps(stream, 256, 3), 256, 3);
 * ```
 */
export function invertTaps(taps: Uint32Array, n: number, t: number): InvertedTaps {
  const starts = new Uint32Array(n + 1);
  for (let k = 0; k < n * t; k++) {
    const next = (taps[k] ?? 0) + 1;
    starts[next] = (starts[next] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) starts[i + 1] = (starts[i + 1] ?? 0) + (starts[i] ?? 0);
  const fill = starts.slice(0, n);
  const outputs = new Uint32Array(n * t);
  for (let j = 0; j < n; j++)
    for (let s = 0; s < t; s++) {
      const tap = taps[j * t + s] ?? 0;
      const k = fill[tap] ?? 0;
      fill[tap] = k + 1;
      outputs[k] = j;
    }
  return { starts, outputs };
}

/**
 * {@link diffuse} by inverted taps: the same output, in time proportional to the set bits.
 * @example
 * ```ts
 * diffuseSparse(bits, invertTaps(taps, bits.length * 8, 3));
 * ```
 */
export function diffuseSparse(b: Uint8Array, inv: InvertedTaps): Uint8Array {
  const out = new Uint8Array(b.length);
  const { starts, outputs } = inv;
  for (let byte = 0; byte < b.length; byte++) {
    const v = b[byte] ?? 0;
    if (v === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if (((v >> (7 - bit)) & 1) === 0) continue;
      const i = 8 * byte + bit;
      for (let k = starts[i] ?? 0, end = starts[i + 1] ?? 0; k < end; k++) {
        const j = outputs[k] ?? 0;
        out[j >> 3] = (out[j >> 3] ?? 0) ^ (1 << (7 - (j & 7)));
      }
    }
  }
  return out;
}

/** Taps for {@link diffuse}: `t` distinct input positions for each of `n` output bits. */
export function diffusionTaps(stream: KeyedStream, n: number, t: number): Uint32Array {
  const taps = new Uint32Array(n * t);
  for (let j = 0; j < n; j++) {
    const chosen = new Set<number>();
    while (chosen.size < t) chosen.add(stream.below(n));
    let s = 0;
    for (const c of chosen) taps[j * t + s++] = c;
  }
  return taps;
}

/**
 * BLIP (Schnell & Borgs 2016; randomised response): flips each bit with probability `f`. The coin
 * flips come from `stream`, which the encoder seeds from the key and the value, so the same value
 * always gives the same filter (both parties agree), while no bit can be trusted individually.
 */
export function blip(b: Uint8Array, f: number, stream: KeyedStream): Uint8Array {
  const out = b.slice();
  const n = b.length * 8;
  const threshold = Math.floor(f * 0x100000000);
  for (let i = 0; i < n; i++)
    if (stream.next() < threshold) out[i >> 3] = (out[i >> 3] ?? 0) ^ (1 << (7 - (i & 7)));
  return out;
}
