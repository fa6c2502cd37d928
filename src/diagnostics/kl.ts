/**
 * Kullback–Leibler divergence KL(P ‖ Q) = Σ_b P_b log(P_b / Q_b) between histograms of 1-D or
 * 2-D samples, with Q given by samples or by a log density evaluated at the bin centres.
 *
 * Smoothing (so that no log 0 occurs): sample histograms get an additive pseudocount α per bin
 * (default α = 1/2, the Krichevsky–Trofimov / Jeffreys estimate), P_b = (c_b + α)/(N + αB); a
 * density histogram q_b ∝ exp(log q(centre_b)) is mixed with the uniform distribution over the
 * grid with weight 10⁻¹⁰, Q_b = (1 − 10⁻¹⁰) q_b + 10⁻¹⁰/B. The result is a biased, grid-
 * dependent estimate (it tends to the true KL as N grows and the bins shrink); use it to compare
 * samplers on the same grid.
 *
 * @module
 */
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { sampleRows } from './input.js';

/** Q as a log density: `points` is [n, dim] row-major; returns log q at each point (−∞ allowed). */
export type GridLogDensity = (points: Float64Array, n: number) => ArrayLike<number>;

/** Options of {@link histogramKl}. */
export interface HistogramKlOptions {
  /** Dimension of the points: 1 or 2. */
  dim: 1 | 2;
  /** Bins per axis (default 50 in 1-D, 25 in 2-D). */
  bins?: number;
  /** [lo, hi] per axis. Default: the range of all samples (required when Q is a density). Points outside are counted in the edge bins. */
  range?: [number, number][];
  /** Pseudocount α > 0 added to every bin of a sample histogram (default 0.5). */
  pseudocount?: number;
}

const DENSITY_FLOOR = 1e-10;

/**
 * KL(P ‖ Q) between the histogram of samples `x` ([n, dim] row-major) and `reference`: other
 * samples ([m, dim]) or a log density on the grid. See the module notes for the smoothing.
 */
export function histogramKl(x: ArrayLike<number>, reference: ArrayLike<number> | GridLogDensity, opts: HistogramKlOptions): number {
  const d = opts.dim;
  if (d !== 1 && d !== 2) throw new ArgumentError('dim', '1 or 2', d);
  const bins = opts.bins ?? (d === 1 ? 50 : 25);
  checkPositiveInt('bins', bins);
  const alpha = opts.pseudocount ?? 0.5;
  checkPositive('pseudocount', alpha);
  const nx = sampleRows('x', x, d);
  const isDensity = typeof reference === 'function';
  const ny = isDensity ? 0 : sampleRows('reference', reference, d);
  const range = axisRanges(opts.range, d, () => {
    if (isDensity) throw new ArgumentError('range', 'a [lo, hi] per axis when the reference is a density');
    return [x, reference as ArrayLike<number>];
  });
  const nb = bins ** d;
  const p = histogram(x, nx, d, bins, range, alpha);
  let q: Float64Array;
  if (isDensity) {
    const centres = new Float64Array(nb * d);
    for (let b = 0; b < nb; b++) {
      for (let k = 0, r = b; k < d; k++, r = Math.floor(r / bins)) {
        const [lo, hi] = range[k];
        centres[b * d + k] = lo + ((r % bins) + 0.5) * ((hi - lo) / bins);
      }
    }
    q = gridProbabilities(reference(centres, nb), nb);
  } else {
    q = histogram(reference, ny, d, bins, range, alpha);
  }
  let kl = 0;
  for (let b = 0; b < nb; b++) kl += p[b] * Math.log(p[b] / q[b]);
  return kl;
}

/** The ranges per axis: the given ones (checked) or the pooled range of the samples. */
function axisRanges(given: [number, number][] | undefined, d: number, samples: () => ArrayLike<number>[]): [number, number][] {
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length !== d) throw new ArgumentError('range', `${d} pairs [lo, hi]`, given);
    for (const [lo, hi] of given) {
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new ArgumentError('range', 'finite pairs with lo < hi', `[${lo}, ${hi}]`);
    }
    return given;
  }
  const out: [number, number][] = [];
  for (let k = 0; k < d; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of samples()) {
      for (let i = k; i < a.length; i += d) {
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
    }
    if (!(hi > lo)) throw new ArgumentError('x', 'samples that are not all equal along an axis (give range)', `axis ${k}`);
    out.push([lo, hi]);
  }
  return out;
}

/** Smoothed bin probabilities (c_b + α)/(N + αB) of n points; points outside the range go to the edge bins. */
function histogram(a: ArrayLike<number>, n: number, d: number, bins: number, range: [number, number][], alpha: number): Float64Array {
  const nb = bins ** d;
  const counts = new Float64Array(nb).fill(alpha);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let k = d - 1; k >= 0; k--) {
      const [lo, hi] = range[k];
      const j = Math.min(bins - 1, Math.max(0, Math.floor(((a[i * d + k] - lo) / (hi - lo)) * bins)));
      b = b * bins + j;
    }
    counts[b] += 1;
  }
  const total = n + alpha * nb;
  return counts.map((c) => c / total);
}

/** Bin probabilities ∝ exp(log q) at the centres, mixed with 10⁻¹⁰ of the uniform distribution. */
function gridProbabilities(logq: ArrayLike<number>, nb: number): Float64Array {
  if (logq?.length !== nb) throw new ArgumentError('reference', `a log density returning ${nb} values (one per bin centre)`, logq?.length);
  let mx = -Infinity;
  for (let b = 0; b < nb; b++) {
    const v = logq[b];
    if (Number.isNaN(v) || v === Infinity) throw new ArgumentError('reference', 'log densities that are finite or −∞', `${v} at bin ${b}`);
    mx = Math.max(mx, v);
  }
  if (mx === -Infinity) throw new ArgumentError('reference', 'a density that is positive somewhere on the grid');
  const q = Float64Array.from({ length: nb }, (_, b) => Math.exp(logq[b] - mx));
  let s = 0;
  for (const v of q) s += v;
  return q.map((v) => (1 - DENSITY_FLOOR) * (v / s) + DENSITY_FLOOR / nb);
}
