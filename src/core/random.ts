/**
 * Explicit, splittable random keys (after JAX's `jax.random`).
 *
 * A {@link Key} is a pair of 32-bit words. Nothing here keeps hidden state: every random
 * function takes a key as its first argument and is a pure function of it, so the same key
 * gives the same numbers on every backend. Keys are derived with the Threefry-2x32 block
 * cipher (20 rounds; Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011),
 * as JAX does. Bulk draws seed a xoshiro128** stream (Blackman & Vigna 2018) from the key and
 * turn it into float32 uniforms and, with the ziggurat method (Marsaglia & Tsang 2000, with
 * Doornik's separation of the layer bits from the value bits), standard normals.
 *
 * @module
 */
import { ArgumentError, checkNonNegativeInt, checkPositiveInt } from './errors.js';

/** A random key: two uint32 words. Create with {@link key}, derive with {@link split}/{@link fold}. */
export class Key {
  /** @internal */
  constructor(readonly hi: number, readonly lo: number) {}
  toString(): string {
    return `Key(${this.hi >>> 0}, ${this.lo >>> 0})`;
  }
}

/** A key from an integer seed (any safe integer; 0 is a seed like any other). */
export function key(seed: number): Key {
  if (!Number.isSafeInteger(seed)) throw new ArgumentError('seed', 'a safe integer', seed);
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  const lo = seed >>> 0;
  const [a, b] = threefry2x32(0, 0, hi, lo);
  return new Key(a, b);
}

const ROT = [13, 15, 26, 6, 17, 29, 16, 24];

/** Threefry-2x32 with 20 rounds: encrypts the counter (c0, c1) under the key (k0, k1). */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number): [number, number] {
  const ks = [k0 >>> 0, k1 >>> 0, (0x1bd11bda ^ k0 ^ k1) >>> 0];
  let x0 = (c0 + ks[0]) >>> 0;
  let x1 = (c1 + ks[1]) >>> 0;
  for (let i = 0; i < 5; i++) {
    const r = i % 2 === 0 ? 0 : 4;
    for (let j = 0; j < 4; j++) {
      x0 = (x0 + x1) >>> 0;
      const s = ROT[r + j];
      x1 = ((x1 << s) | (x1 >>> (32 - s))) >>> 0;
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[(i + 1) % 3]) >>> 0;
    x1 = (x1 + ks[(i + 2) % 3] + i + 1) >>> 0;
  }
  return [x0, x1];
}

/** `n` new independent keys derived from `k` (default 2). The parent key should not be reused. */
export function split(k: Key, n = 2): Key[] {
  checkPositiveInt('n', n);
  const out: Key[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = threefry2x32(k.hi, k.lo, 0, i);
    out.push(new Key(a, b));
  }
  return out;
}

/** A key derived from `k` and an integer `data` (e.g. a step index): `fold(k, i)`. */
export function fold(k: Key, data: number): Key {
  const [a, b] = threefry2x32(k.hi, k.lo, 1, data >>> 0);
  return new Key(a, b);
}

/**
 * A xoshiro128** stream seeded from a key. Used by the bulk draws below; exposed for fused
 * kernels that draw inside a loop (one stream per key, never shared between keys).
 */
export class Stream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  constructor(k: Key) {
    const [a, b] = threefry2x32(k.hi, k.lo, 2, 0);
    const [c, d] = threefry2x32(k.hi, k.lo, 2, 1);
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 1; // never all zero
  }
  /** Next 32-bit word, as a signed int32. */
  nextInt32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }
  /** A float32-resolution uniform in the open interval (0, 1). */
  uniform(): number {
    return ((this.nextInt32() >>> 8) + 0.5) * 5.960464477539063e-8;
  }
  /** A standard normal by the ziggurat method (128 layers). */
  normal(): number {
    const u = this.nextInt32();
    const iz = u & 127;
    const hz = u & ~127;
    if (Math.abs(hz) < KN[iz]) return hz * WN[iz];
    return this.normalTail(hz, iz);
  }
  /**
   * Writes `count` standard normals into `out` from `offset`: the same numbers as `count` calls
   * of {@link normal}, with the generator state held in locals (about twice as fast in bulk).
   */
  fillNormal(out: Float32Array | Float64Array, offset = 0, count = out.length - offset): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = offset, end = offset + count; i < end; i++) {
      const u = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const iz = u & 127;
      const hz = u & ~127;
      if (Math.abs(hz) < KN[iz]) {
        out[i] = hz * WN[iz];
      } else {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
        out[i] = this.normalTail(hz, iz);
        s0 = this.s0;
        s1 = this.s1;
        s2 = this.s2;
        s3 = this.s3;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
  /**
   * @internal The ziggurat's slow path for a word whose layer bits `iz` and value bits `hz`
   * missed the fast rectangle test: the wedge test, the base strip's tail (Marsaglia 1964), and
   * redraws from this stream until one is accepted.
   */
  normalTail(hz: number, iz: number): number {
    for (;;) {
      if (iz === 0) {
        let x: number, y: number;
        do {
          x = -Math.log(this.uniform()) / ZIG_R;
          y = -Math.log(this.uniform());
        } while (y + y < x * x);
        return hz > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      const x = hz * WN[iz];
      if (FN[iz] + this.uniform() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
      const u = this.nextInt32();
      iz = u & 127;
      hz = u & ~127;
      if (Math.abs(hz) < KN[iz]) return hz * WN[iz];
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// Ziggurat tables for the standard normal, 128 layers (Marsaglia & Tsang 2000).
const ZIG_R = 3.442619855899;
const KN = new Float64Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
(function zigset() {
  const m1 = 2147483648.0;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * m1;
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
})();

/**
 * @internal The ziggurat tables as the bulk generator of ./normals-simd.ts uses them: `kn[i]` =
 * ⌈KN[i]⌉ (so |hz| < KN[i] ⇔ |hz| < kn[i] for the integer hz) and `wn[i]` = WN[i] rounded to float32.
 */
export const ZIGGURAT = {
  kn: Uint32Array.from(KN, (v) => Math.ceil(v)),
  wn: Float32Array.from(WN),
};

/** `n` standard normals N(0, 1) as float32, written into `out` when given. */
export function normal(k: Key, n: number, out?: Float32Array): Float32Array {
  checkNonNegativeInt('n', n);
  const o = out ?? new Float32Array(n);
  new Stream(k).fillNormal(o, 0, n);
  return o;
}

/** `n` uniforms on the open interval (lo, hi) as float32 (default (0, 1)). */
export function uniform(k: Key, n: number, lo = 0, hi = 1, out?: Float32Array): Float32Array {
  checkNonNegativeInt('n', n);
  if (!(hi > lo)) throw new ArgumentError('hi', `a number > lo = ${lo}`, hi);
  const mid = Math.fround(lo + (hi - lo) / 2);
  if (!(mid > lo && mid < hi)) throw new ArgumentError('hi', `a float32 interval (lo, hi) with room inside (lo = ${lo})`, hi);
  const o = out ?? new Float32Array(n);
  const s = new Stream(k);
  const w = hi - lo;
  // Rounding lo + w·u to float32 can land on an end point; redraw then, so the interval stays open.
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = Math.fround(lo + w * s.uniform());
    while (v <= lo || v >= hi);
    o[i] = v;
  }
  return o;
}

/** `n` integers uniform on {lo, ..., hi - 1}. */
export function randint(k: Key, n: number, lo: number, hi: number): Int32Array {
  checkNonNegativeInt('n', n);
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && hi > lo)) {
    throw new ArgumentError('lo, hi', 'integers with lo < hi', `${lo}, ${hi}`);
  }
  const o = new Int32Array(n);
  const s = new Stream(k);
  const w = hi - lo;
  for (let i = 0; i < n; i++) o[i] = lo + Math.floor(s.uniform() * w);
  return o;
}

/** `n` Bernoulli(p) draws as 0/1. */
export function bernoulli(k: Key, n: number, p = 0.5): Uint8Array {
  checkNonNegativeInt('n', n);
  if (!(p >= 0 && p <= 1)) throw new ArgumentError('p', 'a probability in [0, 1]', p);
  const o = new Uint8Array(n);
  const s = new Stream(k);
  for (let i = 0; i < n; i++) o[i] = s.uniform() < p ? 1 : 0;
  return o;
}

/**
 * One category per row of `logits` ([rows, k], row-major, unnormalised log-probabilities) by
 * inverting the cumulative distribution of softmax(row) at one uniform per row.
 */
export function categorical(k: Key, logits: ArrayLike<number>, rows: number): Int32Array {
  checkPositiveInt('rows', rows);
  const m = logits.length / rows;
  if (!Number.isInteger(m) || m < 1) {
    throw new ArgumentError('logits', `a multiple of rows = ${rows} entries`, logits.length);
  }
  const s = new Stream(k);
  const o = new Int32Array(rows);
  const p = new Float64Array(m);
  for (let r = 0; r < rows; r++) {
    let mx = -Infinity;
    for (let j = 0; j < m; j++) mx = Math.max(mx, logits[r * m + j]);
    if (!Number.isFinite(mx)) throw new ArgumentError('logits', `a finite logit in every row (row ${r} has none)`);
    let tot = 0;
    for (let j = 0; j < m; j++) tot += p[j] = Math.exp(logits[r * m + j] - mx);
    let u = s.uniform() * tot;
    let j = 0;
    while (j < m - 1 && u >= p[j]) u -= p[j++];
    o[r] = j;
  }
  return o;
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(k: Key, n: number): Int32Array {
  checkNonNegativeInt('n', n);
  const s = new Stream(k);
  const o = new Int32Array(n);
  for (let i = 0; i < n; i++) o[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(s.uniform() * (i + 1));
    const t = o[i];
    o[i] = o[j];
    o[j] = t;
  }
  return o;
}
