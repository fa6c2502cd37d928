/**
 * Proposals for importance sampling and bases of annealing paths: a {@link Proposal} is a
 * {@link Target} that can also draw exact samples and knows its normaliser, so that
 * log q(x) = logDensity(x) − logZ is a normalised log density.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { normal, type Key } from '../core/random.js';
import type { Target } from '../targets/target.js';

/** A target with an exact sampler and a known log Z: a proposal distribution q = π / Z. */
export interface Proposal extends Target {
  /** n independent draws from q, [n, d] row-major. */
  sample(key: Key, n: number): Float32Array;
  /** log Z = log ∫ π, so that log q = log π − log Z. */
  readonly logZ: number;
}

/** Throws unless `p` is a {@link Proposal} (a target with `sample` and a finite `logZ`) of dimension `dim` when given. */
export function checkProposal(name: string, p: Proposal, dim?: number): void {
  if (p === null || typeof p !== 'object' || typeof p.logDensity !== 'function' || typeof p.sample !== 'function' || !Number.isFinite(p.logZ)) {
    throw new ArgumentError(name, 'a proposal: a target with sample(key, n) and a finite logZ', p);
  }
  if (dim !== undefined && p.dim !== dim) throw new ArgumentError(`${name}.dim`, `the target's dimension ${dim}`, p.dim);
}

/**
 * The Gaussian N(μ, diag(σ²)) as a proposal: log π(x) = −½ Σ_j ((x_j − μ_j)/σ_j)², with
 * log Z = (d/2) log 2π + Σ_j log σ_j, ∇ log π(x) = −(x − μ)/σ², and exact draws μ + σ z.
 * @param mean μ, [d] (its length sets d).
 * @param scale σ > 0, one number for every coordinate or [d] values (default 1).
 */
export function gaussianProposal(mean: ArrayLike<number>, scale: number | ArrayLike<number> = 1): Proposal {
  const d = mean?.length;
  checkPositiveInt('mean.length', d);
  const mu = Float64Array.from(mean);
  for (let j = 0; j < d; j++) if (!Number.isFinite(mu[j])) throw new ArgumentError('mean', 'finite values', `${mu[j]} at index ${j}`);
  const sigma = typeof scale === 'number' ? new Float64Array(d).fill(scale) : Float64Array.from(scale);
  if (sigma.length !== d) throw new ArgumentError('scale', `a number or ${d} values (as mean)`, `${sigma.length} values`);
  sigma.forEach((s, j) => checkPositive(`scale[${j}]`, s));
  let logZ = 0.5 * d * Math.log(2 * Math.PI);
  for (const s of sigma) logZ += Math.log(s);
  const mu32 = Float32Array.from(mu);
  const invSigma32 = Float32Array.from(sigma, (s) => 1 / s);

  function logDensityAndGrad(x: Float32Array, n: number, logp: Float32Array, grad: Float32Array): void {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const z = (x[i * d + j] - mu[j]) / sigma[j];
        s += z * z;
        grad[i * d + j] = -z / sigma[j];
      }
      logp[i] = -0.5 * s;
    }
  }
  function logDensityHost(x: Float32Array, n: number, logp: Float32Array): void {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const z = (x[i * d + j] - mu[j]) / sigma[j];
        s += z * z;
      }
      logp[i] = -0.5 * s;
    }
  }
  return {
    name: 'gaussianProposal',
    dim: d,
    logZ,
    logDensity: (x) => tf.tidy(() => tf.mul(-0.5, tf.sum(tf.square(tf.mul(tf.sub(x, tf.tensor1d(mu32)), tf.tensor1d(invSigma32))), 1))) as tf.Tensor1D,
    logDensityAndGrad,
    logDensityHost,
    sample(key: Key, n: number): Float32Array {
      checkPositiveInt('n', n);
      const z = normal(key, n * d);
      for (let i = 0; i < n * d; i++) z[i] = mu[i % d] + sigma[i % d] * z[i];
      return z;
    },
  };
}
