/**
 * Importance weights in log space: log-sum-exp, normalisation, Kish's effective sample size and
 * the log normalising-constant estimate with its delta-method standard error. Float64
 * throughout; a log-weight of −∞ is a zero weight, NaN and +∞ are errors.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { checkLogWeights } from './input.js';

/** log Σ_i exp(a_i), computed as m + log Σ exp(a_i − m) with m = max a (stable for any range). */
export function logSumExp(logw: ArrayLike<number>): number {
  const mx = checkLogWeights('logWeights', logw);
  let s = 0;
  for (let i = 0; i < logw.length; i++) s += Math.exp(logw[i] - mx);
  return mx + Math.log(s);
}

/** log((1/N) Σ_i exp(a_i)): the log of the mean weight, the importance-sampling estimate of log Z. */
export function logMeanExp(logw: ArrayLike<number>): number {
  return logSumExp(logw) - Math.log(logw.length);
}

/** Normalised log-weights log W_i = a_i − log Σ_j exp(a_j) (so Σ_i W_i = 1). */
export function normalizeLogWeights(logw: ArrayLike<number>): Float64Array {
  const lse = logSumExp(logw);
  return Float64Array.from(logw, (a) => a - lse);
}

/** Normalised weights W_i = exp(a_i) / Σ_j exp(a_j). */
export function normalizedWeights(logw: ArrayLike<number>): Float64Array {
  return normalizeLogWeights(logw).map(Math.exp);
}

/**
 * Kish's effective sample size of importance weights, ESS = (Σ w)² / Σ w² = 1 / Σ W_i²
 * (Kish 1965; Kong, Liu & Wong 1994), from log-weights: exp(2 LSE(a) − LSE(2a)). In [1, N].
 */
export function kishEss(logw: ArrayLike<number>): number {
  const lse = logSumExp(logw);
  let s = 0;
  for (let i = 0; i < logw.length; i++) s += Math.exp(2 * (logw[i] - lse));
  return 1 / s;
}

/** A log normalising-constant estimate with its standard error. */
export interface LogZEstimate {
  /** The estimate of log Z. */
  logZ: number;
  /** Its standard error (delta method: the relative standard error of Ẑ). */
  stderr: number;
}

/**
 * The importance-sampling estimate log Ẑ = log((1/N) Σ w_i) and its standard error by the delta
 * method, Var(log Ẑ) ≈ Var(Ẑ)/Z² ≈ s²_w / (N w̄²) = (N Σ W_i² − 1)/(N − 1), s²_w the sample
 * variance (ddof 1) of the weights. Needs N ≥ 2.
 */
export function logZFromWeights(logw: ArrayLike<number>): LogZEstimate {
  const n = logw.length;
  if (n < 2) throw new ArgumentError('logWeights', 'at least 2 log-weights', n);
  const logZ = logMeanExp(logw);
  const relVar = (n / kishEss(logw) - 1) / (n - 1);
  return { logZ, stderr: Math.sqrt(Math.max(relVar, 0)) };
}

/**
 * The error of a log Z estimate against the truth: `error` = estimate − truth and `z` = error /
 * stderr, the error in units of the estimate's standard error (|z| ≲ 3 for an honest error bar).
 */
export function logZError(estimate: number, stderr: number, truth: number): { error: number; z: number } {
  for (const [name, v] of [['estimate', estimate], ['truth', truth]] as const) {
    if (!Number.isFinite(v)) throw new ArgumentError(name, 'a finite number', v);
  }
  if (!(Number.isFinite(stderr) && stderr >= 0)) throw new ArgumentError('stderr', 'a finite number ≥ 0', stderr);
  const error = estimate - truth;
  return { error, z: error / stderr };
}
