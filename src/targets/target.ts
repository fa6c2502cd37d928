/**
 * The Target contract: an unnormalised log density on R^d, batched over the first axis.
 *
 * Points travel as row-major `Float32Array`s of shape [n, d] ("host batches"): samplers keep
 * thousands of chains in one such array. A target gives its log density as a TensorFlow.js
 * function (autodiff supplies the gradient, and flows or NETS can differentiate through it),
 * and may add a fused host evaluation of log π and ∇ log π in one pass, which samplers prefer
 * because it avoids per-op dispatch.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Key } from '../core/random.js';

/** An unnormalised density π on R^d. */
export interface Target {
  /** A short identifier, e.g. `gmm40`. */
  readonly name: string;
  /** The dimension d. */
  readonly dim: number;
  /** log π(x) for a batch x of shape [n, d] → [n] (differentiable TensorFlow.js ops). */
  logDensity(x: tf.Tensor2D): tf.Tensor1D;
  /**
   * Optional fused evaluation on host batches: writes log π(x_i) into `logp` ([n]) and
   * ∇ log π(x_i) into `grad` ([n, d], row-major). Must agree with `logDensity` and its autodiff
   * gradient to float32 accuracy.
   */
  logDensityAndGrad?(x: Float32Array, n: number, logp: Float32Array, grad: Float32Array): void;
  /** Optional fused log π on host batches, without the gradient. */
  logDensityHost?(x: Float32Array, n: number, logp: Float32Array): void;
  /** Optional exact sampler: n independent draws from π / Z, shape [n, d]. */
  sample?(key: Key, n: number): Float32Array;
  /** log Z = log ∫ π, when known. */
  readonly logZ?: number;
}

/** What a user supplies to {@link defineTarget}. */
export interface TargetSpec {
  name?: string;
  dim: number;
  logDensity: (x: tf.Tensor2D) => tf.Tensor;
  logDensityAndGrad?: Target['logDensityAndGrad'];
  logDensityHost?: Target['logDensityHost'];
  sample?: Target['sample'];
  logZ?: number;
}

/**
 * A target from a plain TensorFlow.js function of a batch [n, d] → [n]. The gradient comes
 * from autodiff unless `logDensityAndGrad` is given.
 *
 * @example
 * const banana = defineTarget({ dim: 2, logDensity: (x) => ... });
 */
export function defineTarget(spec: TargetSpec): Target {
  checkPositiveInt('dim', spec.dim);
  if (typeof spec.logDensity !== 'function') throw new ArgumentError('logDensity', 'a function of x: [n, d] → [n]', spec.logDensity);
  const { logDensity, ...rest } = spec;
  return { name: 'user', ...rest, logDensity: (x) => logDensity(x) as tf.Tensor1D };
}

/** log π and ∇ log π of n points, as host arrays. */
export interface Evaluation {
  logDensity: Float32Array;
  grad: Float32Array;
}

/**
 * log π(x) and ∇ log π(x) for a host batch: the target's fused path when it has one, else
 * TensorFlow.js autodiff of Σ_i log π(x_i). Writes into `out` when given.
 */
export function evaluate(target: Target, x: Float32Array, n: number, out?: Evaluation): Evaluation {
  const d = target.dim;
  const o = out ?? { logDensity: new Float32Array(n), grad: new Float32Array(n * d) };
  if (target.logDensityAndGrad) {
    target.logDensityAndGrad(x, n, o.logDensity, o.grad);
    return o;
  }
  let lp: tf.Tensor | undefined;
  const g = tf.tidy(() => {
    const xt = tf.tensor2d(x.subarray(0, n * d), [n, d]);
    return tf.grad((z: tf.Tensor) => {
      lp = tf.keep(checkShape(target, target.logDensity(z as tf.Tensor2D), n));
      return tf.sum(lp);
    })(xt);
  });
  try {
    o.logDensity.set(lp!.dataSync() as Float32Array);
    o.grad.set(g.dataSync() as Float32Array);
  } finally {
    lp?.dispose();
    g.dispose();
  }
  return o;
}

/** log π(x) for a host batch (fused path when available), into `out` when given. */
export function evaluateLogDensity(target: Target, x: Float32Array, n: number, out?: Float32Array): Float32Array {
  const o = out ?? new Float32Array(n);
  if (target.logDensityHost) {
    target.logDensityHost(x, n, o);
    return o;
  }
  if (target.logDensityAndGrad) {
    target.logDensityAndGrad(x, n, o, new Float32Array(n * target.dim));
    return o;
  }
  const lp = tf.tidy(() => checkShape(target, target.logDensity(tf.tensor2d(x.subarray(0, n * target.dim), [n, target.dim])), n));
  try {
    o.set(lp.dataSync() as Float32Array);
  } finally {
    lp.dispose();
  }
  return o;
}

function checkShape(target: Target, lp: tf.Tensor, n: number): tf.Tensor {
  if (lp.shape.length !== 1 || lp.shape[0] !== n) {
    throw new ArgumentError(`target ${target.name}: logDensity(x: [${n}, ${target.dim}])`, `shape [${n}]`, `shape [${lp.shape.join(', ')}]`);
  }
  return lp;
}

/**
 * Checks a batch of positions for a target: length n·d and finite log density at every point.
 * Samplers call it on their initial positions, so a target that returns NaN, ±Inf everywhere
 * or the wrong shape fails at once with an error naming the target.
 */
export function checkPositions(target: Target, x: Float32Array, n: number, logp: Float32Array, argument = 'position'): void {
  if (x.length !== n * target.dim) {
    throw new ArgumentError(argument, `${n * target.dim} values (shape [${n}, ${target.dim}])`, `${x.length} values`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(logp[i])) {
      throw new ArgumentError(`target ${target.name}`, `a finite log density at every initial ${argument}`, `${logp[i]} at row ${i}`);
    }
  }
}
