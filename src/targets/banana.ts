/**
 * The banana-shaped ("twisted Gaussian") target of Haario, Saksman & Tamminen ("Adaptive
 * proposal distribution for random walk Metropolis algorithm", Comput. Stat. 14, 1999; also
 * "An adaptive Metropolis algorithm", Bernoulli 7, 2001): the Gaussian N(0, diag(σ², 1, …, 1))
 * pushed through the volume-preserving twist φ(x) = (x_1, x_2 + b x_1² − b σ², x_3, …).
 *
 *   log π(y) = −y_1²/(2σ²) − (y_2 + b y_1² − b σ²)²/2 − ½ Σ_{i≥3} y_i²,
 *   log Z = (d/2) log 2π + log σ   (det ∂φ = 1),
 *   with u = y_2 + b y_1² − b σ²: ∂/∂y_1 = −y_1/σ² − 2 b y_1 u, ∂/∂y_2 = −u, ∂/∂y_i = −y_i.
 *
 * Haario et al. use σ = 10 and b = 0.03 (moderately) or 0.1 (strongly twisted).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { normal } from '../core/random.js';
import { column, fusedPaths, gaussianLogZ } from './fused.js';
import type { Target } from './target.js';

/** Options of {@link banana}. */
export interface BananaOptions {
  /** The twist b ≥ 0 (default 0.1). */
  b?: number;
  /** The dimension d ≥ 2 (default 2). */
  dim?: number;
  /** The standard deviation σ of the first coordinate (default 10). */
  sigma?: number;
}

/** The twisted Gaussian of Haario et al. with exact log Z and an exact sampler y = φ(x). */
export function banana(opts: BananaOptions = {}): Target {
  const b = opts.b ?? 0.1;
  const d = opts.dim ?? 2;
  const sigma = opts.sigma ?? 10;
  checkPositiveInt('dim', d);
  if (d < 2) throw new ArgumentError('dim', 'an integer >= 2', d);
  if (!(Number.isFinite(b) && b >= 0)) throw new ArgumentError('b', 'a finite number >= 0', b);
  checkPositive('sigma', sigma);
  const s2 = sigma * sigma;
  return {
    name: 'banana',
    dim: d,
    logZ: gaussianLogZ(d, 2 * Math.log(sigma)),
    logDensity: (x) =>
      tf.tidy(() => {
        const y1 = column(x, 0);
        const y2 = column(x, 1);
        const u = y2.add(tf.square(y1).mul(b)).sub(b * s2);
        let q = tf.square(y1).div(s2).add(tf.square(u));
        if (d > 2) q = q.add(tf.sum(tf.square(tf.slice(x, [0, 2], [-1, d - 2])), 1));
        return q.mul(-0.5);
      }),
    ...fusedPaths(d, (x, o, grad) => {
      const y1 = x[o];
      const u = x[o + 1] + b * y1 * y1 - b * s2;
      let rest = 0;
      for (let j = 2; j < d; j++) {
        rest += x[o + j] * x[o + j];
        if (grad) grad[o + j] = -x[o + j];
      }
      if (grad) {
        grad[o] = -y1 / s2 - 2 * b * y1 * u;
        grad[o + 1] = -u;
      }
      return -0.5 * ((y1 * y1) / s2 + u * u + rest);
    }),
    sample(k, n) {
      const z = normal(k, n * d);
      for (let i = 0; i < n; i++) {
        const y1 = sigma * z[i * d];
        z[i * d] = y1;
        z[i * d + 1] -= b * y1 * y1 - b * s2;
      }
      return z;
    },
  };
}
