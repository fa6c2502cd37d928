/**
 * Sorting and rank normalisation of large float64 samples for the rank-based convergence
 * diagnostics (Vehtari et al. 2021): one O(S log S) native sort of packed 64-bit keys gives the
 * ascending order of S draws; average ranks, the rank-normal scores
 * z = Φ⁻¹((r − 3/8)/(S + 1/4)) (Blom 1958) and the order of the folded draws |x − c| all follow
 * from it in linear time.
 *
 * Keys: the IEEE-754 bits of a draw mapped to an unsigned integer of the same order (sign bit
 * flipped for x ≥ 0, all bits flipped for x < 0, −0 as +0), its lowest b = ⌈log₂ S⌉ bits
 * replaced by the draw's index. Draws whose keys agree above those b bits (equal draws, or draws
 * within ~2^(b−52) relative of each other) are re-sorted by value afterwards, so the order is
 * exact for any input.
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

/** The draws `v` in ascending order, with the indices that sort them (ties in any order). */
export function sortValues(v: Float64Array): Sorted {
  const s = v.length;
  const b = s > 1 ? 32 - Math.clz32(s - 1) : 0; // index bits
  const mask = b === 32 ? 0xffffffff : (1 << b) - 1;
  const bits = new Uint32Array(v.buffer, v.byteOffset, 2 * s);
  const keys = new BigUint64Array(s);
  const k32 = new Uint32Array(keys.buffer);
  for (let i = 0; i < s; i++) {
    let hi = bits[2 * i + HI];
    let lo = bits[2 * i + LO];
    if (v[i] === 0) {
      hi = 0;
      lo = 0;
    }
    if (hi & 0x80000000) {
      hi = ~hi;
      lo = ~lo;
    } else {
      hi |= 0x80000000;
    }
    k32[2 * i + HI] = hi;
    k32[2 * i + LO] = (lo & ~mask) | i;
  }
  keys.sort();
  const order = new Uint32Array(s);
  for (let p = 0; p < s; p++) order[p] = k32[2 * p + LO] & mask;
  // draws that share a truncated key: restore their order by value
  for (let r = 0; r < s; ) {
    let e = r + 1;
    let inOrder = true;
    while (e < s && k32[2 * e + HI] === k32[2 * r + HI] && ((k32[2 * e + LO] ^ k32[2 * r + LO]) & ~mask) === 0) {
      if (v[order[e]] < v[order[e - 1]]) inOrder = false;
      e++;
    }
    if (!inOrder) order.subarray(r, e).sort((i, j) => v[i] - v[j]);
    r = e;
  }
  const values = new Float64Array(s);
  for (let p = 0; p < s; p++) values[p] = v[order[p]];
  return { order, values };
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
