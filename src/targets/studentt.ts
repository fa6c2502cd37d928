/**
 * A mixture of isotropic multivariate Student-t distributions: heavy-tailed and multimodal,
 * a test of samplers and importance weights beyond Gaussian tails.
 *
 *   π(x) = Σ_k w_k t_ν(x; μ_k, s² I),
 *   t_ν(x; μ, s² I) = Γ((ν+d)/2) / (Γ(ν/2) (νπ)^{d/2} s^d) · (1 + |x − μ|²/(ν s²))^{−(ν+d)/2},
 *
 * normalised (log Z = 0). With r_k = |x − μ_k|² and responsibilities ρ_k ∝ w_k t_ν(x; μ_k):
 *   ∇ log π(x) = −Σ_k ρ_k (ν + d)/(ν s² + r_k) (x − μ_k).
 * Exact draws: k ~ w, x = μ_k + s z / √(g/ν), z ~ N(0, I), g ~ χ²_ν.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { checkPositive } from '../core/errors.js';
import { Stream, categorical, split } from '../core/random.js';
import { fusedPaths, logWeightsOption, matrixOption } from './fused.js';
import { gammaVariate, logGamma } from './special.js';
import type { Target } from './target.js';

/** Options of {@link studentTMixture}. */
export interface StudentTMixtureOptions {
  /** The component locations μ_k: K rows of d values. */
  locs: ArrayLike<ArrayLike<number>>;
  /** Degrees of freedom ν > 0 (shared by the components; default 5). */
  df?: number;
  /** Scale s > 0 of every component (default 1). */
  scale?: number;
  /** Mixture weights (K non-negative values, normalised here; default uniform). */
  weights?: ArrayLike<number>;
}

/** The Student-t mixture Σ_k w_k t_ν(μ_k, s² I), normalised, with an exact sampler. */
export function studentTMixture(opts: StudentTMixtureOptions): Target {
  const { data: locs, rows: K, cols: d } = matrixOption('locs', opts.locs);
  const nu = opts.df ?? 5;
  const s = opts.scale ?? 1;
  checkPositive('df', nu);
  checkPositive('scale', s);
  const logW = logWeightsOption('weights', opts.weights, K);
  const c = logGamma((nu + d) / 2) - logGamma(nu / 2) - (d / 2) * Math.log(nu * Math.PI) - d * Math.log(s);
  const e = (nu + d) / 2;
  const ns2 = nu * s * s;
  const bias = Float32Array.from(logW, (lw) => lw + c);
  const locs32 = Float32Array.from(locs);
  const a = new Float64Array(K);
  const r2 = new Float64Array(K);
  return {
    name: 'student-t-mixture',
    dim: d,
    logZ: 0,
    logDensity: (x) =>
      tf.tidy(() => {
        const diff = tf.sub(tf.expandDims(x, 1), tf.tensor2d(locs32, [K, d])); // [n, K, d]
        const comp = tf.sub(tf.tensor1d(bias), tf.log1p(tf.sum(tf.square(diff), 2).div(ns2)).mul(e));
        return tf.logSumExp(comp, 1);
      }),
    ...fusedPaths(d, (x, o, grad) => {
      let m = -Infinity;
      for (let k = 0; k < K; k++) {
        let q = 0;
        for (let j = 0; j < d; j++) q += (x[o + j] - locs[k * d + j]) ** 2;
        r2[k] = q;
        a[k] = logW[k] - e * Math.log1p(q / ns2);
        if (a[k] > m) m = a[k];
      }
      let tot = 0;
      for (let k = 0; k < K; k++) tot += a[k] = Math.exp(a[k] - m);
      if (grad) {
        for (let j = 0; j < d; j++) grad[o + j] = 0;
        for (let k = 0; k < K; k++) {
          const f = ((a[k] / tot) * 2 * e) / (ns2 + r2[k]);
          for (let j = 0; j < d; j++) grad[o + j] -= f * (x[o + j] - locs[k * d + j]);
        }
      }
      return c + m + Math.log(tot);
    }),
    sample(key, n) {
      const [kc, kz] = split(key);
      const comp = categorical(kc, Float64Array.from({ length: n * K }, (_, i) => logW[i % K]), n);
      const st = new Stream(kz);
      const out = new Float32Array(n * d);
      for (let i = 0; i < n; i++) {
        const f = s / Math.sqrt((2 * gammaVariate(st, nu / 2)) / nu);
        const k = comp[i];
        for (let j = 0; j < d; j++) out[i * d + j] = locs[k * d + j] + f * st.normal();
      }
      return out;
    },
  };
}
