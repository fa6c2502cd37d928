/**
 * Maximum mean discrepancy with a Gaussian kernel k(x, y) = exp(−‖x − y‖² / (2h²)) (Gretton,
 * Borgwardt, Rasch, Schölkopf & Smola, "A kernel two-sample test", JMLR 2012), by the unbiased
 * U-statistic (their eq. 3):
 *
 *   MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_{i,j} k(x_i, y_j).
 *
 * It is 0 in expectation when both samples come from one distribution (and may then be slightly
 * negative), positive when they differ. O((n + m)² d) plain loops in float64.
 *
 * @module
 */
import { ArgumentError, checkPositive } from '../core/errors.js';
import { sampleRows } from './input.js';

/** Options of {@link mmd}. */
export interface MmdOptions {
  /** The dimension d of the points (rows of x and y). */
  dim: number;
  /**
   * The kernel bandwidth h > 0, or `'median'` (default): the median heuristic, h = the median
   * pairwise distance of the pooled sample (of its first 1000 points when larger).
   */
  bandwidth?: number | 'median';
}

/** Squared distance between row i of a and row j of b. */
function sqDist(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = a[i * d + k] - b[j * d + k];
    s += t * t;
  }
  return s;
}

/** The median pairwise distance among the first ≤ 1000 points of x then y. */
function medianDistance(x: ArrayLike<number>, nx: number, y: ArrayLike<number>, ny: number, d: number): number {
  const cap = 1000;
  const rows: [ArrayLike<number>, number][] = [];
  for (let i = 0; i < nx && rows.length < cap; i++) rows.push([x, i]);
  for (let i = 0; i < ny && rows.length < cap; i++) rows.push([y, i]);
  const dist: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) dist.push(Math.sqrt(sqDist(rows[i][0], rows[i][1], rows[j][0], rows[j][1], d)));
  }
  dist.sort((a, b) => a - b);
  const h = dist.length;
  return h % 2 ? dist[(h - 1) / 2] : (dist[h / 2 - 1] + dist[h / 2]) / 2;
}

/**
 * The unbiased squared MMD between samples x [n, d] and y [m, d] (row-major flat arrays, n, m ≥ 2)
 * and the bandwidth used.
 */
export function mmd(x: ArrayLike<number>, y: ArrayLike<number>, opts: MmdOptions): { mmd2: number; bandwidth: number } {
  const d = opts.dim;
  const nx = sampleRows('x', x, d, 2);
  const ny = sampleRows('y', y, d, 2);
  const bw = opts.bandwidth ?? 'median';
  let h: number;
  if (bw === 'median') {
    h = medianDistance(x, nx, y, ny, d);
    if (!(h > 0)) throw new ArgumentError('x, y', 'samples with distinct points (the median pairwise distance is 0)', h);
  } else {
    checkPositive('bandwidth', bw);
    h = bw;
  }
  const c = -1 / (2 * h * h);
  const within = (a: ArrayLike<number>, n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.exp(c * sqDist(a, i, a, j, d));
    return (2 * s) / (n * (n - 1));
  };
  let cross = 0;
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) cross += Math.exp(c * sqDist(x, i, y, j, d));
  return { mmd2: within(x, nx) + within(y, ny) - (2 * cross) / (nx * ny), bandwidth: h };
}
