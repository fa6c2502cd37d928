/**
 * Sorting and rank normalisation of large float64 samples for the rank-based convergence
 * diagnostics (Vehtari et al. 2021): one sort gives the ascending order of the S draws; average
 * ranks, the rank-normal scores z = Φ⁻¹((r − 3/8)/(S + 1/4)) (Blom 1958) and the order of the
 * folded draws |x − c| all follow from it in linear time.
 *
 * The sort: one pass distributes the draws into ~S/512 equal-width buckets, then each bucket is
 * sorted by a native sort of packed 64-bit keys: the IEEE-754 bits of a draw mapped to an unsigned
 * integer of the same order (sign bit flipped for x ≥ 0, all bits flipped for x < 0, −0 as +0),
 * its lowest b = ⌈log₂ k⌉ bits (k the bucket's size) replaced by the draw's position in the
 * bucket. Draws whose keys agree above those b bits (equal draws, or draws within ~2^(b−52)
 * relative of each other) are re-sorted by value afterwards, so the order is exact for any input.
 *
 * @module
 */
import { normalQuantile } from './normal.js';

/** Draws in ascending order: `values[p]` = x[`order[p]`]. */
export interface Sorted {
  order: Uint32Array;
  values: Float64Array;
}

/** Word positions of the high and low 32 bits of a float64 on this platform. */
const [HI, LO] = new Uint32Array(new Float64Array([1]).buffer)[1] !== 0 ? [1, 0] : [0, 1];

/** Draws per bucket aimed at: a bucket's keys and draws stay in cache while it is sorted. */
const BUCKET = 512;

/**
 * The draws `v` in ascending order, with the indices that sort them (ties in any order). The
 * draws are first distributed into buckets of equal width over [min, max] (a monotone map, so
 * the buckets are in order), then each bucket is sorted on its own.
 */
export function sortValues(v: Float64Array): Sorted {
  const s = v.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s; i++) {
    if (v[i] < lo) lo = v[i];
    if (v[i] > hi) hi = v[i];
  }
  let buckets = Math.max(1, Math.min(1 << 16, Math.ceil(s / BUCKET)));
  let scale = buckets / (hi - lo);
  if (!(scale < Infinity && scale > 0)) {
    buckets = 1;
    scale = 0;
  }
  const bucket = (x: number) => Math.min(buckets - 1, Math.floor((x - lo) * scale));
  const start = new Uint32Array(buckets + 1);
  for (let i = 0; i < s; i++) start[bucket(v[i]) + 1]++;
  for (let k = 0; k < buckets; k++) start[k + 1] += start[k];
  const next = start.slice(0, buckets);
  const values = new Float64Array(s);
  const index = new Uint32Array(s);
  for (let i = 0; i < s; i++) {
    const p = next[bucket(v[i])]++;
    values[p] = v[i];
    index[p] = i;
  }
  const order = new Uint32Array(s);
  let largest = 0;
  for (let k = 0; k < buckets; k++) largest = Math.max(largest, start[k + 1] - start[k]);
  const work: BucketWork = {
    values,
    index,
    order,
    bits: new Uint32Array(values.buffer, values.byteOffset, 2 * s),
    keys: new BigUint64Array(largest),
    local: new Uint32Array(largest),
    sorted: new Float64Array(largest),
  };
  for (let k = 0; k < buckets; k++) sortBucket(work, start[k], start[k + 1]);
  return { order, values };
}

/** The bucketed draws, their indices, the output order and scratch space for the largest bucket. */
interface BucketWork {
  values: Float64Array;
  index: Uint32Array;
  order: Uint32Array;
  /** `values` as 32-bit words */
  bits: Uint32Array;
  keys: BigUint64Array;
  local: Uint32Array;
  sorted: Float64Array;
}

/**
 * Sorts values[a..e) in place and writes their indices (from `index`) in that order into
 * order[a..e): one native sort of 64-bit keys (the draw's order-preserving IEEE-754 bits, the
 * lowest b = ⌈log₂(e − a)⌉ of them replaced by its position in the bucket), then draws sharing a
 * truncated key are put in order by value.
 */
function sortBucket(w: BucketWork, a: number, e: number): void {
  const { values, index, order, bits, local, sorted } = w;
  const k = e - a;
  if (k === 1) order[a] = index[a];
  if (k <= 1) return;
  const b = 32 - Math.clz32(k - 1);
  const mask = b === 32 ? 0xffffffff : (1 << b) - 1;
  const key = w.keys.subarray(0, k);
  const k32 = new Uint32Array(key.buffer, 0, 2 * k);
  for (let j = 0; j < k; j++) {
    let h = bits[2 * (a + j) + HI];
    let l = bits[2 * (a + j) + LO];
    if (values[a + j] === 0) {
      h = 0;
      l = 0;
    }
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else {
      h |= 0x80000000;
    }
    k32[2 * j + HI] = h;
    k32[2 * j + LO] = (l & ~mask) | j;
  }
  key.sort();
  for (let p = 0; p < k; p++) local[p] = k32[2 * p + LO] & mask;
  for (let r = 0; r < k; ) {
    let q = r + 1;
    let inOrder = true;
    while (q < k && k32[2 * q + HI] === k32[2 * r + HI] && ((k32[2 * q + LO] ^ k32[2 * r + LO]) & ~mask) === 0) {
      if (values[a + local[q]] < values[a + local[q - 1]]) inOrder = false;
      q++;
    }
    if (!inOrder) local.subarray(r, q).sort((i, j) => values[a + i] - values[a + j]);
    r = q;
  }
  for (let p = 0; p < k; p++) {
    sorted[p] = values[a + local[p]];
    order[a + p] = index[a + local[p]];
  }
  values.set(sorted.subarray(0, k), a);
}

/**
 * The folded draws |x − c| in ascending order, from the ascending order of x: the draws below c
 * read downwards and those from c upwards are each ascending in |x − c| (floating-point
 * subtraction is monotone), so one merge orders them.
 */
export function foldSorted(x: Sorted, c: number): Sorted {
  const { order, values } = x;
  const s = values.length;
  let up = 0;
  while (up < s && values[up] < c) up++;
  let down = up - 1;
  const out: Sorted = { order: new Uint32Array(s), values: new Float64Array(s) };
  for (let p = 0; p < s; p++) {
    const fd = down >= 0 ? Math.abs(values[down] - c) : NaN;
    const fu = up < s ? Math.abs(values[up] - c) : NaN;
    if (up === s || fd <= fu) {
      out.order[p] = order[down--];
      out.values[p] = fd;
    } else {
      out.order[p] = order[up++];
      out.values[p] = fu;
    }
  }
  return out;
}

/**
 * Rank-normal scores z_i = Φ⁻¹((r_i − 3/8)/(S + 1/4)) of the S sorted draws, in the draws'
 * original positions; r_i is the average 1-based rank (ties share their mean rank, as scipy's
 * `rankdata(method='average')`).
 */
export function normalScores(x: Sorted): Float64Array {
  const { order, values } = x;
  const s = values.length;
  const z = new Float64Array(s);
  for (let i = 0; i < s; ) {
    let j = i;
    while (j + 1 < s && values[j + 1] === values[i]) j++;
    const zi = normalQuantile(((i + j) / 2 + 1 - 0.375) / (s + 0.25));
    for (let k = i; k <= j; k++) z[order[k]] = zi;
    i = j + 1;
  }
  return z;
}
