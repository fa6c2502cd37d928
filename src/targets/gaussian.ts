/**
 * Gaussian targets: N(μ, Σ) with a full or diagonal covariance, and the ill-conditioned Gaussian used to
 * stress step-size and mass-matrix adaptation (eigenvalues of Σ log-spaced between 1 and a
 * condition number, in a random rotated basis).
 *
 * Unnormalised: log π(x) = −½ (x − μ)ᵀ Σ⁻¹ (x − μ), so that
 * log Z = (d/2) log 2π + ½ log det Σ, and ∇ log π(x) = −Σ⁻¹ (x − μ).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { key as makeKey, normal, type Key } from '../core/random.js';
import { fusedPaths, gaussianLogZ, vectorOption } from './fused.js';
import { cholesky, inverseFromCholesky, randomOrthogonal } from './linalg.js';
import type { Target } from './target.js';

/** Options of {@link gaussian}. */
export interface GaussianOptions {
  /** The dimension d. */
  dim: number;
  /** The mean μ ([d]; default 0). */
  mean?: ArrayLike<number>;
  /** The covariance Σ, symmetric positive definite: d rows of d values, or d² values row-major (default I). */
  cov?: ArrayLike<ArrayLike<number>> | ArrayLike<number>;
  /** Instead of `cov`: the standard deviations σ > 0 of a diagonal Σ = diag(σ²), one number for every coordinate or [d] values. */
  scale?: number | ArrayLike<number>;
}

/** A target with an exact sampler and its exact log Z. */
export type ExactTarget = Target & Required<Pick<Target, 'sample' | 'logZ'>>;

/**
 * The Gaussian N(μ, Σ) as an unnormalised target with its exact log Z and an exact sampler
 * x = μ + L z (L the Cholesky factor of Σ, z ~ N(0, I)); with a diagonal Σ = diag(σ²)
 * (`scale`, or neither `scale` nor `cov`: Σ = I) it works coordinate by coordinate, O(d) per point.
 */
export function gaussian(opts: GaussianOptions): ExactTarget {
  const d = opts.dim;
  checkPositiveInt('dim', d);
  const mean = vectorOption('mean', opts.mean, d);
  if (opts.cov === undefined) return diagonalForm('gaussian', d, mean, scaleOption(opts.scale ?? 1, d));
  if (opts.scale !== undefined) throw new ArgumentError('scale', 'either scale or cov, not both', opts.scale);
  const cov = flatCov(opts.cov, d);
  const l = cholesky('cov', cov, d);
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]);
  return factorForm('gaussian', d, mean, inverseFromCholesky(l, d), l, logDet);
}

/** Options of {@link illConditionedGaussian}. */
export interface IllConditionedOptions {
  /** The dimension d. */
  dim: number;
  /** The condition number κ ≥ 1 of Σ: its eigenvalues are κ^{i/(d−1)}, i = 0 … d−1. */
  condition: number;
  /** The key of the random rotation (default `key(0)`). */
  key?: Key;
}

/**
 * A zero-mean Gaussian with covariance Σ = Q diag(λ) Qᵀ, λ_i = κ^{i/(d−1)} log-spaced between
 * 1 and the condition number κ, and Q a Haar-random rotation drawn from `key`: the standard
 * test of preconditioning and step-size adaptation (e.g. Hoffman & Gelman, "The No-U-Turn
 * Sampler", JMLR 2014, §4; Neal, "MCMC using Hamiltonian dynamics", 2011, §5.4).
 */
export function illConditionedGaussian(opts: IllConditionedOptions): ExactTarget {
  const d = opts.dim;
  checkPositiveInt('dim', d);
  checkPositive('condition', opts.condition);
  if (opts.condition < 1) throw new ArgumentError('condition', 'a condition number >= 1', opts.condition);
  const q = randomOrthogonal(opts.key ?? makeKey(0), d);
  const lambda = new Float64Array(d);
  let logDet = 0;
  for (let i = 0; i < d; i++) {
    lambda[i] = d === 1 ? 1 : opts.condition ** (i / (d - 1));
    logDet += Math.log(lambda[i]);
  }
  const precision = new Float64Array(d * d);
  const sqrtCov = new Float64Array(d * d); // Q diag(√λ): Σ = (Q √Λ)(Q √Λ)ᵀ
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      sqrtCov[i * d + j] = q[i * d + j] * Math.sqrt(lambda[j]);
      let s = 0;
      for (let k = 0; k < d; k++) s += (q[i * d + k] * q[j * d + k]) / lambda[k];
      precision[i * d + j] = s;
    }
  }
  return factorForm('illcond-gaussian', d, new Float64Array(d), precision, sqrtCov, logDet);
}

function flatCov(cov: ArrayLike<ArrayLike<number>> | ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  if (typeof cov[0] !== 'number' && cov.length === d) {
    const rows = cov as ArrayLike<ArrayLike<number>>;
    for (let i = 0; i < d; i++) {
      if (rows[i]?.length !== d) throw new ArgumentError('cov', `${d} rows of ${d} values`, `${rows[i]?.length} values in row ${i}`);
      for (let j = 0; j < d; j++) out[i * d + j] = rows[i][j];
    }
  } else if (typeof cov[0] === 'number' && cov.length === d * d) {
    for (let i = 0; i < d * d; i++) out[i] = (cov as ArrayLike<number>)[i];
  } else {
    throw new ArgumentError('cov', `a [${d}, ${d}] matrix (d rows of d values, or d² values)`, `${cov.length} entries`);
  }
  for (let i = 0; i < d * d; i++) {
    if (!Number.isFinite(out[i])) throw new ArgumentError('cov', 'finite values', `${out[i]} at [${Math.floor(i / d)}, ${i % d}]`);
  }
  return out;
}

/** The standard deviations σ > 0: one number for every coordinate or d values. */
function scaleOption(scale: number | ArrayLike<number>, d: number): Float64Array {
  const sigma = typeof scale === 'number' ? new Float64Array(d).fill(scale) : Float64Array.from(scale);
  if (sigma.length !== d) throw new ArgumentError('scale', `a number or ${d} values (as mean)`, `${sigma.length} values`);
  sigma.forEach((s, j) => checkPositive(`scale[${j}]`, s));
  return sigma;
}

/**
 * N(μ, diag(σ²)): log π(x) = −½ Σ_j z_j², z_j = (x_j − μ_j)/σ_j, ∇ log π(x) = −z/σ,
 * log Z = (d/2) log 2π + Σ_j log σ_j, exact draws μ + σ z.
 */
function diagonalForm(name: string, d: number, mean: Float64Array, sigma: Float64Array): ExactTarget {
  const mean32 = Float32Array.from(mean);
  const invSigma32 = Float32Array.from(sigma, (s) => 1 / s);
  let logZ = gaussianLogZ(d);
  for (const s of sigma) logZ += Math.log(s); // + ½ log det Σ
  return {
    name,
    dim: d,
    logZ,
    logDensity: (x) => tf.tidy(() => tf.mul(-0.5, tf.sum(tf.square(tf.mul(tf.sub(x, tf.tensor1d(mean32)), tf.tensor1d(invSigma32))), 1))) as tf.Tensor1D,
    ...fusedPaths(d, (x, o, grad) => {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const z = (x[o + j] - mean[j]) / sigma[j];
        s += z * z;
        if (grad) grad[o + j] = -z / sigma[j];
      }
      return -0.5 * s;
    }),
    sample(k, n) {
      checkPositiveInt('n', n);
      const z = normal(k, n * d);
      for (let i = 0; i < n * d; i++) z[i] = mean[i % d] + sigma[i % d] * z[i];
      return z;
    },
  };
}

/** N(μ, Σ) from its precision P = Σ⁻¹, a square root S (Σ = S Sᵀ) and log det Σ. */
function factorForm(name: string, d: number, mean: Float64Array, precision: Float64Array, sqrtCov: Float64Array, logDetCov: number): ExactTarget {
  const mean32 = Float32Array.from(mean);
  const prec32 = Float32Array.from(precision);
  const r = new Float64Array(d);
  return {
    name,
    dim: d,
    logZ: gaussianLogZ(d, logDetCov),
    logDensity: (x) =>
      tf.tidy(() => {
        const diff = tf.sub(x, tf.tensor1d(mean32));
        return tf.sum(tf.mul(tf.matMul(diff, tf.tensor2d(prec32, [d, d])), diff), 1).mul(-0.5);
      }),
    ...fusedPaths(d, (x, o, grad) => {
      for (let j = 0; j < d; j++) r[j] = x[o + j] - mean[j];
      let q = 0;
      for (let i = 0; i < d; i++) {
        let g = 0;
        for (let j = 0; j < d; j++) g -= precision[i * d + j] * r[j];
        q += r[i] * g;
        if (grad) grad[o + i] = g;
      }
      return 0.5 * q;
    }),
    sample(k, n) {
      const z = normal(k, n * d);
      const out = new Float32Array(n * d);
      for (let s = 0; s < n; s++) {
        for (let i = 0; i < d; i++) {
          let v = mean[i];
          for (let j = 0; j < d; j++) v += sqrtCov[i * d + j] * z[s * d + j];
          out[s * d + i] = v;
        }
      }
      return out;
    },
  };
}
