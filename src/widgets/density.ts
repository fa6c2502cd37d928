/**
 * Density estimates of sample columns for the plots: 1-D histograms, binned Gaussian kernel
 * density estimates and 2-D histograms, all normalised as densities (they integrate to 1 over the
 * plotted range) and optionally weighted (self-normalised importance weights). Fused loops over
 * the row-major Float32Array, no copies.
 *
 * @module
 */
import { ArgumentError, checkAllFinite, checkPositiveInt } from '../core/errors.js';

/** Row-major samples [n, d]. */
export interface Samples {
  data: Float32Array;
  n: number;
  d: number;
}

/** A closed interval [lo, hi] with lo < hi. */
export type Range = [number, number];

/** Checks that `s` is a row-major sample [n, d] with finite entries; `name` is the argument. */
export function checkSamples(name: string, s: Samples): void {
  if (s === null || typeof s !== 'object' || !(s.data instanceof Float32Array)) throw new ArgumentError(name, 'samples { data: Float32Array, n, d } (row-major [n, d])', s);
  checkPositiveInt(`${name}.n`, s.n);
  checkPositiveInt(`${name}.d`, s.d);
  if (s.data.length !== s.n * s.d) throw new ArgumentError(`${name}.data`, `${s.n * s.d} values (shape [${s.n}, ${s.d}])`, `${s.data.length} values`);
  checkAllFinite(`${name}.data`, s.data);
}

/** The range of column `j` of every sample set, widened by 5% on each side (a unit interval around a constant). */
export function columnRange(sets: Samples[], j: number): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sets) {
    for (let i = j; i < s.data.length; i += s.d) {
      const v = s.data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(lo <= hi)) return [-1, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** The centres of `bins` equal bins over `range`. */
export function binCenters(range: Range, bins: number): Float32Array {
  const w = (range[1] - range[0]) / bins;
  const out = new Float32Array(bins);
  for (let b = 0; b < bins; b++) out[b] = range[0] + (b + 0.5) * w;
  return out;
}

/** The bin of `v` (the upper edge belongs to the last bin), or -1 outside the range. */
function binOf(v: number, lo: number, scale: number, bins: number): number {
  const x = (v - lo) * scale;
  if (x === bins) return bins - 1;
  const b = Math.floor(x);
  return b >= 0 && b < bins ? b : -1;
}

/**
 * Histogram density of column `j` over `range` with `bins` bins: height_b = w_b / (W · width),
 * with w_b the (weighted) count in bin b and W the total weight of all samples (those outside
 * the range included, so the bars integrate to the mass inside the range).
 */
export function histogram(s: Samples, j: number, range: Range, bins: number, weights?: ArrayLike<number>): Float32Array {
  const counts = new Float64Array(bins);
  const scale = bins / (range[1] - range[0]);
  let total = 0;
  for (let r = 0; r < s.n; r++) {
    const w = weights ? weights[r] : 1;
    total += w;
    const b = binOf(s.data[r * s.d + j], range[0], scale, bins);
    if (b >= 0) counts[b] += w;
  }
  const out = new Float32Array(bins);
  const norm = total > 0 ? scale / total : 0;
  for (let b = 0; b < bins; b++) out[b] = counts[b] * norm;
  return out;
}

/**
 * Gaussian kernel density estimate of column `j` on `points` grid points over `range`:
 * p̂(x) = Σ_r w_r N(x; x_r, h²) / Σ_r w_r, with Scott's bandwidth h = 1.06 σ̂ n_eff^(-1/5)
 * (σ̂ the weighted standard deviation, n_eff Kish's effective sample size). Computed by linear
 * binning on the grid and a discrete convolution with the kernel truncated at 4h (Wand 1994,
 * "Fast computation of multivariate kernel estimators"), O(n + points · 8h/Δ).
 */
export function kde(s: Samples, j: number, range: Range, points: number, weights?: ArrayLike<number>): Float32Array {
  const delta = (range[1] - range[0]) / (points - 1);
  const grid = new Float64Array(points);
  let sw = 0;
  let sw2 = 0;
  let mean = 0;
  let m2 = 0;
  for (let r = 0; r < s.n; r++) {
    const w = weights ? weights[r] : 1;
    if (w <= 0) continue;
    const v = s.data[r * s.d + j];
    sw += w;
    sw2 += w * w;
    const dm = v - mean;
    mean += (w / sw) * dm;
    m2 += w * dm * (v - mean);
    const pos = (v - range[0]) / delta;
    const k = Math.floor(pos);
    const f = pos - k;
    if (k >= 0 && k < points) grid[k] += w * (1 - f);
    if (k + 1 >= 0 && k + 1 < points) grid[k + 1] += w * f;
  }
  const out = new Float32Array(points);
  if (sw <= 0) return out;
  const sd = Math.sqrt(m2 / sw);
  const nEff = (sw * sw) / sw2;
  const h = Math.max(1.06 * (sd > 0 ? sd : delta) * nEff ** -0.2, delta);
  const half = Math.min(points - 1, Math.ceil((4 * h) / delta));
  const kernel = new Float64Array(2 * half + 1);
  const c = 1 / (sw * h * Math.sqrt(2 * Math.PI));
  for (let k = -half; k <= half; k++) kernel[k + half] = c * Math.exp(-0.5 * ((k * delta) / h) ** 2);
  for (let g = 0; g < points; g++) {
    if (grid[g] === 0) continue;
    const lo = Math.max(0, g - half);
    const hi = Math.min(points - 1, g + half);
    for (let x = lo; x <= hi; x++) out[x] += grid[g] * kernel[x - g + half];
  }
  return out;
}

/**
 * 2-D histogram density of columns (`i`, `j`) as plotly heatmap rows: z[b_j][b_i] =
 * w / (W · area), bins × bins cells over `rangeI` × `rangeJ`.
 */
export function histogram2d(s: Samples, i: number, j: number, rangeI: Range, rangeJ: Range, bins: number, weights?: ArrayLike<number>): number[][] {
  const counts = new Float64Array(bins * bins);
  const si = bins / (rangeI[1] - rangeI[0]);
  const sj = bins / (rangeJ[1] - rangeJ[0]);
  let total = 0;
  for (let r = 0; r < s.n; r++) {
    const w = weights ? weights[r] : 1;
    total += w;
    const bi = binOf(s.data[r * s.d + i], rangeI[0], si, bins);
    const bj = binOf(s.data[r * s.d + j], rangeJ[0], sj, bins);
    if (bi >= 0 && bj >= 0) counts[bj * bins + bi] += w;
  }
  const norm = total > 0 ? (si * sj) / total : 0;
  const z: number[][] = [];
  for (let bj = 0; bj < bins; bj++) {
    const row = new Array<number>(bins);
    for (let bi = 0; bi < bins; bi++) row[bi] = Math.fround(counts[bj * bins + bi] * norm);
    z.push(row);
  }
  return z;
}
