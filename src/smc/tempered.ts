/**
 * The geometric annealing path between a base π₀ and a target π₁ (Gelman & Meng 1998; Neal,
 * "Annealed importance sampling", Statistics and Computing 2001):
 *
 *   log π_β(x) = (1 − β) log π₀(x) + β log π₁(x),   ∇ log π_β = (1 − β) ∇ log π₀ + β ∇ log π₁,
 *
 * itself a {@link Target}: differentiable TensorFlow.js ops, and a fused host path that
 * evaluates both endpoints (by their own fused paths when they have them) and combines them.
 * An endpoint of weight 0 is not evaluated, so β = 0 and β = 1 give the endpoints exactly.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkInRange } from '../core/errors.js';
import { evaluate, evaluateLogDensity, type Evaluation, type Target } from '../targets/target.js';

/** A target on the geometric path, with its β. */
export interface TemperedTarget extends Target {
  readonly beta: number;
}

/** π_β ∝ π₀^{1−β} π₁^β for β ∈ [0, 1]; `base` and `target` must have one dimension. */
export function temperedTarget(base: Target, target: Target, beta: number): TemperedTarget {
  checkInRange('beta', beta, 0, 1);
  if (base.dim !== target.dim) throw new ArgumentError('base.dim', `the target's dimension ${target.dim}`, base.dim);
  const d = target.dim;
  const a = 1 - beta;
  let buf: { e0: Evaluation; e1: Evaluation } | undefined;
  const buffers = (n: number) => {
    if (buf?.e0.logDensity.length !== n) {
      const make = () => ({ logDensity: new Float32Array(n), grad: new Float32Array(n * d) });
      buf = { e0: make(), e1: make() };
    }
    return buf;
  };
  return {
    name: `tempered(${base.name} → ${target.name}, β=${beta})`,
    dim: d,
    beta,
    logDensity(x: tf.Tensor2D): tf.Tensor1D {
      return tf.tidy(() => {
        if (beta === 0) return base.logDensity(x);
        if (beta === 1) return target.logDensity(x);
        return tf.add(tf.mul(a, base.logDensity(x)), tf.mul(beta, target.logDensity(x)));
      }) as tf.Tensor1D;
    },
    logDensityAndGrad(x: Float32Array, n: number, logp: Float32Array, grad: Float32Array): void {
      const { e0, e1 } = buffers(n);
      if (a > 0) evaluate(base, x, n, e0);
      if (beta > 0) evaluate(target, x, n, e1);
      for (let i = 0; i < n; i++) logp[i] = combine(a, e0.logDensity[i], beta, e1.logDensity[i]);
      for (let i = 0; i < n * d; i++) grad[i] = combine(a, e0.grad[i], beta, e1.grad[i]);
    },
    logDensityHost(x: Float32Array, n: number, logp: Float32Array): void {
      const { e0, e1 } = buffers(n);
      if (a > 0) evaluateLogDensity(base, x, n, e0.logDensity);
      if (beta > 0) evaluateLogDensity(target, x, n, e1.logDensity);
      for (let i = 0; i < n; i++) logp[i] = combine(a, e0.logDensity[i], beta, e1.logDensity[i]);
    },
  };
}

/** a·u + b·v where a term of weight 0 contributes 0 (even when its value is ±∞). */
function combine(a: number, u: number, b: number, v: number): number {
  return (a > 0 ? a * u : 0) + (b > 0 ? b * v : 0);
}
