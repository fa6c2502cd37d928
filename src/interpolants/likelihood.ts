/**
 * Log-likelihoods of a probability-flow ODE by the instantaneous change of variables
 * (Chen et al., "Neural ordinary differential equations", NeurIPS 2018):
 *
 *   d/dt log ρ_t(X_t) = −∇·b(t, X_t),   so   log ρ_1(x) = log ρ_0(X_0) − ∫_0^1 ∇·b(t, X_t) dt,
 *
 * integrating X backwards from X_1 = x. The divergence is exact in low dimension (one
 * vector–Jacobian product per coordinate) or Hutchinson's unbiased estimate
 * ∇·b ≈ εᵀ (∂b/∂x) ε with E[ε εᵀ] = I (Hutchinson 1989; FFJORD, Grathwohl et al., ICLR 2019),
 * with the probes ε fixed along the trajectory.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';
import { bernoulli, normal, type Key } from '../core/random.js';
import { checkBatch } from './checks.js';
import { solveOde, type Field, type OdeOptions } from './ode.js';

/** How to compute ∇·b: exactly, or by Hutchinson's estimator with the given probes [n, d]. */
export type DivergenceMode = { exact: true } | { probes: tf.Tensor2D };

/**
 * b(t, x) [n, d] and its divergence ∇·b(t, x) [n, 1], differentiable (usable inside a loss).
 * Exact: Σ_j (e_jᵀ ∂b/∂x)_j from d vector–Jacobian products; Hutchinson: (εᵀ ∂b/∂x) · ε.
 */
export function valueAndDivergence(b: Field, t: number, x: tf.Tensor2D, mode: DivergenceMode): { value: tf.Tensor2D; div: tf.Tensor2D } {
  return tf.tidy(() => {
    const vjp = tf.valueAndGrad((y: tf.Tensor2D) => b(t, y));
    if ('probes' in mode) {
      const { value, grad } = vjp(x, mode.probes);
      return { value: value as tf.Tensor2D, div: tf.sum(tf.mul(grad, mode.probes), 1, true) as tf.Tensor2D };
    }
    const [n, d] = x.shape;
    let value: tf.Tensor2D | undefined;
    let div: tf.Tensor = tf.zeros([n, 1]);
    for (let j = 0; j < d; j++) {
      const e = tf.oneHot(tf.fill([n], j, 'int32') as tf.Tensor1D, d).toFloat() as tf.Tensor2D;
      const r = vjp(x, e);
      value ??= r.value as tf.Tensor2D;
      div = tf.add(div, tf.sum(tf.mul(r.grad, e), 1, true));
    }
    return { value: value!, div: div as tf.Tensor2D };
  });
}

/** Hutchinson probes [n, d] from a key: Rademacher (±1, the lower-variance default) or Gaussian. */
export function hutchinsonProbes(key: Key, n: number, d: number, kind: 'rademacher' | 'gaussian' = 'rademacher'): tf.Tensor2D {
  if (kind === 'gaussian') return tf.tensor2d(normal(key, n * d), [n, d]);
  if (kind !== 'rademacher') throw new ArgumentError('probe', "'rademacher' or 'gaussian'", kind);
  const bits = bernoulli(key, n * d);
  const v = new Float32Array(n * d);
  for (let i = 0; i < v.length; i++) v[i] = bits[i] ? 1 : -1;
  return tf.tensor2d(v, [n, d]);
}

/** log N(x; 0, I) per row: −|x|²/2 − (d/2) log 2π. */
export function standardNormalLogDensity(x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(tf.mul(tf.sum(tf.square(x), 1), -0.5), (x.shape[1] * Math.log(2 * Math.PI)) / 2) as tf.Tensor1D);
}

/** Options of {@link logLikelihood}. */
export interface LikelihoodOptions extends Omit<OdeOptions, 't0' | 't1'> {
  /** `'exact'` (default for d ≤ 8) or `'hutchinson'` (needs `key`). */
  divergence?: 'exact' | 'hutchinson';
  /** The key of the Hutchinson probes. */
  key?: Key;
  /** Probe distribution (default Rademacher). */
  probe?: 'rademacher' | 'gaussian';
  /** log ρ_0 of the base (default the standard normal). */
  baseLogDensity?: (x: tf.Tensor2D) => tf.Tensor1D;
}

/**
 * log ρ̂_1(x) of the model pushing ρ_0 forward along dX/dt = b(t, X) over t ∈ [0, 1], for a
 * batch x [n, d]: integrates the augmented state (X_t, Δ_t) with dΔ/dt = ∇·b from t = 1
 * (Δ = 0) back to t = 0 and returns log ρ_0(X_0) + Δ_0 as a Float32Array [n].
 */
export async function logLikelihood(b: Field, x: tf.Tensor2D, opts: LikelihoodOptions = {}): Promise<Float32Array> {
  checkBatch('x', x);
  const [n, d] = x.shape;
  const how = opts.divergence ?? (d <= 8 ? 'exact' : 'hutchinson');
  if (how !== 'exact' && how !== 'hutchinson') throw new ArgumentError('divergence', "'exact' or 'hutchinson'", how);
  if (how === 'hutchinson' && opts.key === undefined) throw new ArgumentError('key', 'a random key for the Hutchinson probes');
  const probes = how === 'hutchinson' ? hutchinsonProbes(opts.key!, n, d, opts.probe) : undefined;
  const mode: DivergenceMode = probes ? { probes } : { exact: true };
  const augmented: Field = (t, y) =>
    tf.tidy(() => {
      const { value, div } = valueAndDivergence(b, t, tf.slice(y, [0, 0], [n, d]), mode);
      return tf.concat([value, div], 1) as tf.Tensor2D;
    });
  const y1 = tf.tidy(() => tf.concat([x, tf.zeros([n, 1])], 1) as tf.Tensor2D);
  try {
    const { x: y0 } = await solveOde(augmented, y1, { phase: 'likelihood', ...opts, t0: 1, t1: 0 });
    const logp = tf.tidy(() => {
      const base = (opts.baseLogDensity ?? standardNormalLogDensity)(tf.slice(y0, [0, 0], [n, d]));
      return tf.add(base, tf.reshape(tf.slice(y0, [0, d], [n, 1]), [n]));
    });
    y0.dispose();
    const out = logp.dataSync() as Float32Array;
    logp.dispose();
    return out;
  } finally {
    y1.dispose();
    probes?.dispose();
  }
}
