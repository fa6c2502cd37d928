/**
 * Autocovariance and autocorrelation of a series by the fast Fourier transform (Wiener–
 * Khinchin): zero-pad the centred series to a power of two m ≥ 2n, so that the circular
 * correlation equals the linear one, and take |FFT|² back through the inverse transform:
 *
 *   γ̂_t = (1/n) Σ_{i=0}^{n−1−t} (x_i − x̄)(x_{i+t} − x̄),   t = 0..n−1
 *
 * (the biased estimator, as in ArviZ's `autocov` and Stan). O(n log n), float64 throughout.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';

/** In-place iterative radix-2 Cooley–Tukey FFT of (re, im), length a power of two; `inverse` omits the 1/m factor. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const m = re.length;
  for (let i = 1, j = 0; i < m; i++) {
    let bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= m; len <<= 1) {
    const ang = (sign * 2 * Math.PI) / len;
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(ang * k);
      const wi = Math.sin(ang * k);
      for (let i = k; i < m; i += len) {
        const j = i + half;
        const xr = re[j] * wr - im[j] * wi;
        const xi = re[j] * wi + im[j] * wr;
        re[j] = re[i] - xr;
        im[j] = im[i] - xi;
        re[i] += xr;
        im[i] += xi;
      }
    }
  }
}

/** The biased autocovariance γ̂_0..γ̂_{n−1} of a series of n ≥ 1 finite values. */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (!(n >= 1)) throw new ArgumentError('x', 'a non-empty series', n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new ArgumentError('x', 'finite values', `${x[i]} at index ${i}`);
    mean += x[i];
  }
  mean /= n;
  let m = 1;
  while (m < 2 * n) m <<= 1;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let i = 0; i < n; i++) re[i] = x[i] - mean;
  fft(re, im, false);
  for (let i = 0; i < m; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fft(re, im, true);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = re[t] / (m * n);
  return out;
}

/** The autocorrelation ρ̂_t = γ̂_t / γ̂_0 (for a constant series, by convention, 1 at lag 0 and 0 elsewhere). */
export function autocorrelation(x: ArrayLike<number>): Float64Array {
  const g = autocovariance(x);
  const g0 = g[0];
  if (g0 === 0) {
    g.fill(0);
    g[0] = 1;
    return g;
  }
  for (let t = 0; t < g.length; t++) g[t] /= g0;
  return g;
}
