/**
 * The posterior of a Bayesian logistic regression with a Gaussian prior, the standard MCMC
 * benchmark (e.g. Girolami & Calderhead, JRSS B 2011; Hoffman & Gelman, JMLR 2014):
 *
 *   log p(w) = Σ_i [ y_i ℓ_i − softplus(ℓ_i) ] − |w|² / (2σ²),   ℓ = X w,
 *   ∇ log p(w) = Xᵀ (y − sigmoid(ℓ)) − w / σ²,
 *
 * up to the additive constant (log Z unknown), with softplus(u) = max(u, 0) + log1p(e^−|u|)
 * computed stably. Σ_i y_i ℓ_i = w · (Xᵀ y) is precomputed.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkAllFinite, checkLength, checkPositive, checkPositiveInt } from '../core/errors.js';
import type { Target } from './target.js';

/** Options of {@link logisticRegression}. */
export interface LogisticRegressionOptions {
  /** Design matrix [n, d], row-major (include an intercept column if wanted). */
  X: Float32Array;
  /** Labels [n], each in [0, 1] (0/1 for ordinary data). */
  y: Float32Array;
  /** Number of observations. */
  n: number;
  /** Number of coefficients (columns of X). */
  d: number;
  /** Prior standard deviation σ > 0 of every coefficient, default 1. */
  priorScale?: number;
}

/**
 * The logistic-regression posterior as a target on R^d, with a TensorFlow.js log density
 * (ℓ = W Xᵀ by a plain matMul against a stored Xᵀ) and a fused host log density and gradient.
 *
 * @throws ArgumentError for non-positive n, d or priorScale, X or y of the wrong length,
 *   non-finite entries, or labels outside [0, 1].
 */
export function logisticRegression(opts: LogisticRegressionOptions): Target {
  const { X, y, n, d, priorScale = 1 } = opts ?? ({} as LogisticRegressionOptions);
  checkPositiveInt('n', n);
  checkPositiveInt('d', d);
  if (!(X instanceof Float32Array)) throw new ArgumentError('X', 'a Float32Array [n, d]', X);
  if (!(y instanceof Float32Array)) throw new ArgumentError('y', 'a Float32Array [n]', y);
  checkLength('X', X, n * d, `[${n}, ${d}]`);
  checkLength('y', y, n);
  checkAllFinite('X', X);
  for (let i = 0; i < n; i++) {
    if (!(y[i] >= 0 && y[i] <= 1)) throw new ArgumentError(`y[${i}]`, 'a label in [0, 1]', y[i]);
  }
  checkPositive('priorScale', priorScale);
  const prec = 1 / (priorScale * priorScale);
  const Xc = Float32Array.from(X);
  const yc = Float32Array.from(y);
  const XT = new Float32Array(d * n);
  const Xty = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      XT[j * n + i] = Xc[i * d + j];
      Xty[j] += yc[i] * Xc[i * d + j];
    }
  }
  const g = new Float64Array(d);

  /** log p of row c of W, and (when grad is given) ∇ log p into grad[c·d ...]. */
  function one(W: Float32Array, c: number, grad: Float32Array | null): number {
    const wo = c * d;
    let lp = 0;
    for (let j = 0; j < d; j++) {
      const w = W[wo + j];
      lp += w * (Xty[j] - 0.5 * prec * w);
      g[j] = Xty[j] - prec * w;
    }
    for (let i = 0, xo = 0; i < n; i++, xo += d) {
      let l = 0;
      for (let j = 0; j < d; j++) l += Xc[xo + j] * W[wo + j];
      const e = Math.exp(-Math.abs(l));
      lp -= (l > 0 ? l : 0) + Math.log1p(e);
      if (grad) {
        const sig = (l >= 0 ? 1 : e) / (1 + e);
        for (let j = 0; j < d; j++) g[j] -= sig * Xc[xo + j];
      }
    }
    if (grad) for (let j = 0; j < d; j++) grad[wo + j] = g[j];
    return lp;
  }

  function logDensityAndGrad(W: Float32Array, m: number, logp: Float32Array, grad: Float32Array): void {
    for (let c = 0; c < m; c++) logp[c] = one(W, c, grad);
  }

  function logDensityHost(W: Float32Array, m: number, logp: Float32Array): void {
    for (let c = 0; c < m; c++) logp[c] = one(W, c, null);
  }

  function logDensity(w: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const l = tf.matMul(w, tf.tensor2d(XT, [d, n])); // [m, n]
      const softplus = tf.add(tf.relu(l), tf.log1p(tf.exp(tf.neg(tf.abs(l)))));
      const ll = tf.sum(tf.sub(tf.mul(l, tf.tensor2d(yc, [1, n])), softplus), 1);
      return tf.sub(ll, tf.mul(tf.sum(tf.square(w), 1), 0.5 * prec)) as tf.Tensor1D;
    });
  }

  return { name: 'logisticRegression', dim: d, logDensity, logDensityAndGrad, logDensityHost };
}
