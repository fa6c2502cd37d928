/**
 * Autocovariance and autocorrelation of a series by the fast Fourier transform (Wiener–
 * Khinchin): zero-pad the centred series to a power of two m ≥ 2n, so that the circular
 * correlation equals the linear one, and take |FFT|² back through the inverse transform:
 *
 *   γ̂_t = (1/n) Σ_{i=0}^{n−1−t} (x_i − x̄)(x_{i+t} − x̄),   t = 0..n−1
 *
 * (the biased estimator, as in ArviZ's `autocov` and Stan). O(n log n), float64 throughout;
 * many series of one length (the chains of an ESS) share buffers, twiddle tables and FFTs.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';

/** cos and sin of the FFT twiddle angles ±2πk/len, stage by stage (len = 2, 4, …, m; k < len/2 at offset len/2 − 1). */
interface Twiddles {
  cos: Float64Array;
  sin: Float64Array;
}

function twiddles(m: number, inverse: boolean): Twiddles {
  const w: Twiddles = { cos: new Float64Array(m), sin: new Float64Array(m) };
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= m; len <<= 1) {
    const ang = (sign * 2 * Math.PI) / len;
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      w.cos[half - 1 + k] = Math.cos(ang * k);
      w.sin[half - 1 + k] = Math.sin(ang * k);
    }
  }
  return w;
}

/**
 * In-place iterative radix-2 Cooley–Tukey FFT of (re, im), length m a power of two, with m's
 * bit-reversal permutation and the twiddles of its direction (the inverse omits the 1/m factor).
 * Stages are done two at a time (radix 2², the same arithmetic with half the memory traffic).
 */
function fft(re: Float64Array, im: Float64Array, rev: Uint32Array, w: Twiddles): void {
  const m = re.length;
  for (let i = 1; i < m; i++) {
    const j = rev[i];
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const { cos, sin } = w;
  let len = 2;
  // two radix-2 stages (len and 2·len) per pass over the data, on four entries held in registers
  for (; 2 * len <= m; len <<= 2) {
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const ar = cos[half - 1 + k];
      const ai = sin[half - 1 + k];
      const br = cos[len - 1 + k];
      const bi = sin[len - 1 + k];
      const cr = cos[len - 1 + k + half];
      const ci = sin[len - 1 + k + half];
      for (let i = k; i < m; i += 2 * len) {
        const i1 = i + half;
        const i2 = i + len;
        const i3 = i2 + half;
        // stage len: (i, i1) and (i2, i3) with twiddle a
        let xr = re[i1] * ar - im[i1] * ai;
        let xi = re[i1] * ai + im[i1] * ar;
        const r1 = re[i] - xr;
        const m1 = im[i] - xi;
        const r0 = re[i] + xr;
        const m0 = im[i] + xi;
        xr = re[i3] * ar - im[i3] * ai;
        xi = re[i3] * ai + im[i3] * ar;
        const r3 = re[i2] - xr;
        const m3 = im[i2] - xi;
        const r2 = re[i2] + xr;
        const m2 = im[i2] + xi;
        // stage 2·len: (i, i2) with twiddle b, (i1, i3) with twiddle c
        xr = r2 * br - m2 * bi;
        xi = r2 * bi + m2 * br;
        re[i2] = r0 - xr;
        im[i2] = m0 - xi;
        re[i] = r0 + xr;
        im[i] = m0 + xi;
        xr = r3 * cr - m3 * ci;
        xi = r3 * ci + m3 * cr;
        re[i3] = r1 - xr;
        im[i3] = m1 - xi;
        re[i1] = r1 + xr;
        im[i1] = m1 + xi;
      }
    }
  }
  for (; len <= m; len <<= 1) {
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const wr = cos[half - 1 + k];
      const wi = sin[half - 1 + k];
      for (let i = k; i < m; i += len) {
        const j = i + half;
        const rj = re[j];
        const ij = im[j];
        const xr = rj * wr - ij * wi;
        const xi = rj * wi + ij * wr;
        re[j] = re[i] - xr;
        im[j] = im[i] - xi;
        re[i] += xr;
        im[i] += xi;
      }
    }
  }
}

/** The bit-reversal permutation of 0..m−1, m a power of two. */
function bitReversal(m: number): Uint32Array {
  const rev = new Uint32Array(m);
  for (let i = 1, j = 0; i < m; i++) {
    let bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    rev[i] = j;
  }
  return rev;
}

/**
 * The mean autocovariance (1/R) Σ_c γ̂_{c,t}, t = 0..n−1, over the R rows of a row-major [R, n]
 * matrix of finite values (the caller checks them). The transform is linear, so the power
 * spectra are summed and transformed back once; two real rows x, y share one complex FFT
 * Z = F(x + iy), whose |Z_k|² + |Z_{m−k}|² = 2(|X_k|² + |Y_k|²) (the cross terms cancel, X and Y
 * being conjugate-symmetric). Cost: ⌈R/2⌉ + 1 FFTs of length m.
 */
export function meanAutocovariance(data: Float64Array, rows: number, n: number): Float64Array {
  let m = 1;
  while (m < 2 * n) m <<= 1;
  const rev = bitReversal(m);
  const forward = twiddles(m, false);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const power = new Float64Array(m);
  const centre = (c: number, into: Float64Array) => {
    into.fill(0);
    if (c >= rows) return;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[c * n + i];
    mean /= n;
    for (let i = 0; i < n; i++) into[i] = data[c * n + i] - mean;
  };
  for (let c = 0; c < rows; c += 2) {
    centre(c, re);
    centre(c + 1, im);
    fft(re, im, rev, forward);
    for (let k = 0; k < m; k++) power[k] += re[k] * re[k] + im[k] * im[k];
  }
  for (let k = 0; k < m; k++) {
    re[k] = (power[k] + power[(m - k) & (m - 1)]) / 2;
    im[k] = 0;
  }
  fft(re, im, rev, twiddles(m, true));
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = re[t] / (m * n * rows);
  return out;
}

/** The biased autocovariance γ̂_0..γ̂_{n−1} of a series of n ≥ 1 finite values. */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (!(n >= 1)) throw new ArgumentError('x', 'a non-empty series', n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new ArgumentError('x', 'finite values', `${x[i]} at index ${i}`);
  }
  return meanAutocovariance(Float64Array.from(x), 1, n);
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
