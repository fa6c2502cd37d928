/**
 * Neal's funnel (Neal, "Slice sampling", Ann. Statist. 31, 2003, §8): v ~ N(0, σ²) and, given
 * v, x_1 … x_{d−1} ~ N(0, e^v) independently. Its neck (v ≪ 0) needs tiny steps and its mouth
 * large ones, so no single step size fits: a standard stress test for MCMC.
 *
 *   log π(v, x) = −v²/(2σ²) − ½ e^{−v} Σ x_i² − (d−1) v / 2,
 *   log Z = (d/2) log 2π + log σ,
 *   ∂/∂v = −v/σ² + ½ e^{−v} Σ x_i² − (d−1)/2,   ∂/∂x_i = −e^{−v} x_i.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { checkPositive, checkPositiveInt, ArgumentError } from '../core/errors.js';
import { normal } from '../core/random.js';
import { column, fusedPaths, gaussianLogZ } from './fused.js';
import type { Target } from './target.js';

/** Options of {@link funnel}. */
export interface FunnelOptions {
  /** The dimension d ≥ 2: the first coordinate is v, the others x (default 10). */
  dim?: number;
  /** The standard deviation σ of v (default 3, Neal's choice). */
  scale?: number;
}

/** Neal's funnel in R^d with an exact sampler and exact log Z. */
export function funnel(opts: FunnelOptions = {}): Target {
  const d = opts.dim ?? 10;
  const sigma = opts.scale ?? 3;
  checkPositiveInt('dim', d);
  if (d < 2) throw new ArgumentError('dim', 'an integer >= 2 (v and at least one x)', d);
  checkPositive('scale', sigma);
  const s2 = sigma * sigma;
  return {
    name: 'funnel',
    dim: d,
    logZ: gaussianLogZ(d, 2 * Math.log(sigma)),
    logDensity: (x) =>
      tf.tidy(() => {
        const v = column(x, 0);
        const r2 = tf.sum(tf.square(tf.slice(x, [0, 1], [-1, d - 1])), 1);
        return tf.neg(tf.square(v).div(2 * s2).add(tf.mul(r2, tf.exp(tf.neg(v))).mul(0.5)).add(v.mul((d - 1) / 2))) as tf.Tensor1D;
      }),
    ...fusedPaths(d, (x, o, grad) => {
      const v = x[o];
      const ev = Math.exp(-v);
      let r2 = 0;
      for (let j = 1; j < d; j++) {
        const xi = x[o + j];
        r2 += xi * xi;
        if (grad) grad[o + j] = -ev * xi;
      }
      if (grad) grad[o] = -v / s2 + 0.5 * ev * r2 - (d - 1) / 2;
      return -(v * v) / (2 * s2) - 0.5 * ev * r2 - ((d - 1) * v) / 2;
    }),
    sample(k, n) {
      const z = normal(k, n * d);
      for (let i = 0; i < n; i++) {
        const v = sigma * z[i * d];
        z[i * d] = v;
        const sd = Math.exp(v / 2);
        for (let j = 1; j < d; j++) z[i * d + j] *= sd;
      }
      return z;
    },
  };
}
