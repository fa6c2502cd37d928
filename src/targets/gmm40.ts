/**
 * Isotropic Gaussian mixtures, and GMM-40, the 40-mode 2-D benchmark of FAB (Midgley et al.,
 * "Flow Annealed Importance Sampling Bootstrap", ICLR 2023) used again by iDEM and NETS
 * (Albergo & Vanden-Eijnden, "NETS: a non-equilibrium transport sampler", 2024).
 *
 * With weights w_k (normalised to sum 1), means μ_k ∈ R^d and standard deviation s,
 *
 *   log p(x) = logsumexp_k( log w_k − |x − μ_k|² / (2s²) ) − (d/2) log(2π s²),
 *   ∇ log p(x) = −Σ_k r_k (x − μ_k) / s² = (Σ_k r_k μ_k − x) / s²,
 *   r_k = softmax_k( log w_k − |x − μ_k|² / (2s²) ),
 *
 * a normalised density (log Z = 0).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { tf } from '../core/backend.js';
import { ArgumentError, checkNonNegativeInt, checkPositive } from '../core/errors.js';
import { Stream, type Key } from '../core/random.js';
import { logWeightsOption } from './fused.js';
import type { Target } from './target.js';

/**
 * Modes whose log-weight term lies more than this below the largest one are skipped by the
 * fused kernel: each contributes less than e^−32 ≈ 1.3e−14 relative to the largest, far below
 * float32 resolution (6e−8), so skipping them changes no float32 result.
 */
const SKIP_BELOW_MAX = 32;

/** Options of {@link gaussianMixture}. */
export interface GaussianMixtureOptions {
  /** The K means, each of length d. */
  means: number[][];
  /** The standard deviation s > 0 of every component, in every coordinate. */
  scale: number;
  /** Component weights (K non-negative numbers, not all 0); normalised to sum 1. Default equal. */
  weights?: number[];
}

/**
 * An isotropic Gaussian mixture Σ_k w_k N(μ_k, s² I) on R^d (normalised: log Z = 0), with a
 * TensorFlow.js log density (differentiable), a fused host log density and gradient (one pass
 * per point computing the log-sum-exp and the responsibilities together, skipping modes whose
 * weight underflows float32 relative to the largest), and an exact sampler.
 *
 * @throws ArgumentError for empty or ragged means, non-finite values, scale ≤ 0, or weights of
 *   the wrong length, negative, non-finite or all zero.
 */
export function gaussianMixture(opts: GaussianMixtureOptions): Target {
  const { means, scale } = opts ?? ({} as GaussianMixtureOptions);
  if (!Array.isArray(means) || means.length === 0) throw new ArgumentError('means', 'a non-empty array of means (number[][])', means);
  const K = means.length;
  const d = Array.isArray(means[0]) ? means[0].length : 0;
  if (d < 1) throw new ArgumentError('means[0]', 'an array of at least one number', means[0]);
  const mu = new Float64Array(K * d);
  means.forEach((m, k) => {
    if (!Array.isArray(m) || m.length !== d) throw new ArgumentError(`means[${k}]`, `an array of ${d} numbers (like means[0])`, m);
    m.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`means[${k}][${j}]`, 'a finite number', v);
      mu[k * d + j] = v;
    });
  });
  checkPositive('scale', scale);
  const logW = logWeightsOption('weights', opts.weights, K);

  const s2 = scale * scale;
  const half = 1 / (2 * s2);
  const norm = -(d / 2) * Math.log(2 * Math.PI * s2);
  const muF32 = Float32Array.from(mu);
  const logWF32 = Float32Array.from(logW);
  // log w_k − |x − μ_k|²/(2s²) = b_k(x) − |x|²/(2s²) with b_k(x) = (log w_k − |μ_k|²/(2s²)) + x · μ_k/s²
  // (float64: no cancellation at float32 accuracy); the |x|² term is common to all modes
  const bias = new Float64Array(K);
  const slope = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    let q = 0;
    for (let j = 0; j < d; j++) {
      q += mu[k * d + j] ** 2;
      slope[k * d + j] = mu[k * d + j] / s2;
    }
    bias[k] = logW[k] - q * half;
  }
  const b = new Float64Array(K);
  const acc = new Float64Array(d);

  /** Fills b[k] = b_k(x_i) for row i and returns max_k b_k. */
  function logits(x: Float32Array, i: number): number {
    const xo = i * d;
    let m = -Infinity;
    if (d === 2) {
      const x0 = x[xo];
      const x1 = x[xo + 1];
      for (let k = 0; k < K; k++) {
        const v = bias[k] + x0 * slope[2 * k] + x1 * slope[2 * k + 1];
        b[k] = v;
        if (v > m) m = v;
      }
      return m;
    }
    for (let k = 0, ko = 0; k < K; k++, ko += d) {
      let v = bias[k];
      for (let j = 0; j < d; j++) v += x[xo + j] * slope[ko + j];
      b[k] = v;
      if (v > m) m = v;
    }
    return m;
  }

  /** log p(x_i) from the logits' maximum m and the sum of exp(b_k − m). */
  function finish(x: Float32Array, i: number, m: number, sum: number): number {
    let q = 0;
    for (let j = 0, xo = i * d; j < d; j++) q += x[xo + j] * x[xo + j];
    return m + Math.log(sum) - q * half + norm;
  }

  function logDensityAndGrad(x: Float32Array, n: number, logp: Float32Array, grad: Float32Array): void {
    for (let i = 0; i < n; i++) {
      const m = logits(x, i);
      const cut = m - SKIP_BELOW_MAX;
      let sum = 0;
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        if (b[k] < cut) continue;
        const e = Math.exp(b[k] - m);
        sum += e;
        for (let j = 0, ko = k * d; j < d; j++) acc[j] += e * mu[ko + j];
      }
      logp[i] = finish(x, i, m, sum);
      const xo = i * d;
      for (let j = 0; j < d; j++) grad[xo + j] = (acc[j] / sum - x[xo + j]) / s2;
    }
  }

  function logDensityHost(x: Float32Array, n: number, logp: Float32Array): void {
    for (let i = 0; i < n; i++) {
      const m = logits(x, i);
      const cut = m - SKIP_BELOW_MAX;
      let sum = 0;
      for (let k = 0; k < K; k++) if (b[k] >= cut) sum += Math.exp(b[k] - m);
      logp[i] = finish(x, i, m, sum);
    }
  }

  function logDensity(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const diff = tf.sub(tf.expandDims(x, 1), tf.tensor3d(muF32, [1, K, d])); // [n, K, d]
      const lg = tf.add(tf.mul(tf.sum(tf.square(diff), 2), -half), tf.tensor2d(logWF32, [1, K]));
      return tf.add(tf.logSumExp(lg, 1), norm) as tf.Tensor1D;
    });
  }

  /** Exact draws: a component k with probability w_k, then μ_k + s ξ. */
  function sample(key: Key, n: number): Float32Array {
    checkNonNegativeInt('n', n);
    const s = new Stream(key);
    const cw = new Float64Array(K);
    let tot = 0;
    for (let k = 0; k < K; k++) cw[k] = tot += Math.exp(logW[k]);
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const u = s.uniform() * tot;
      let k = 0;
      while (k < K - 1 && u >= cw[k]) k++;
      for (let j = 0; j < d; j++) out[i * d + j] = mu[k * d + j] + scale * s.normal();
    }
    return out;
  }

  return { name: 'gaussianMixture', dim: d, logZ: 0, logDensity, logDensityAndGrad, logDensityHost, sample };
}

/** The GMM-40 component standard deviation: softplus(1) computed in float32. */
export const GMM40_SCALE = 1.31326162815094;

/**
 * GMM-40: 40 equally weighted isotropic Gaussians in 2-D with standard deviation softplus(1) ≈
 * 1.3133 and means uniform in [−40, 40]², the exact float32 means of fab-torch's construction
 * (torch.manual_seed(0)), shipped in data/gmm40.json with their provenance. Midgley et al.,
 * ICLR 2023; Albergo & Vanden-Eijnden (NETS), 2024.
 */
export function gmm40(): Target {
  const file = new URL('../../data/gmm40.json', import.meta.url);
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { means?: unknown; weights?: unknown };
  if (!Array.isArray(spec.means) || spec.means.length !== 40) {
    throw new ArgumentError(file.pathname, 'a JSON object with 40 means', spec.means);
  }
  return { ...gaussianMixture({ means: spec.means as number[][], scale: GMM40_SCALE, weights: spec.weights as number[] | undefined }), name: 'gmm40' };
}
