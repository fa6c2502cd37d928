/**
 * Test targets and Monte Carlo helpers shared by the MCMC test files: a correlated 2-D Gaussian
 * and a rotated 2-D two-component Gaussian mixture, each with a TensorFlow.js log density, a
 * fused host path, an exact sampler and closed-form moments, plus the exact stationary moments
 * of ULA on them (closed form for the Gaussian, a numerical solve for the mixture).
 */
import { tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { defineTarget, type Target } from '../src/targets/target.js';

/** Mean and covariance of a 2-D law. */
export interface Moments2 {
  mean: [number, number];
  /** [Σ00, Σ11, Σ01]. */
  cov: [number, number, number];
}

/** The inverse of a symmetric 2x2 matrix [a, b; b, c], as [a', c', b']. */
function inv2(a: number, c: number, b: number): [number, number, number] {
  const det = a * c - b * b;
  return [c / det, a / det, -b / det];
}

/** N(μ, Σ) on R^2 with μ = (1, −1), σ = (1, 2), ρ = 0.9. */
export function correlatedGaussian(opts: { fused?: boolean } = {}): Target & { moments: Moments2; precision: [number, number, number] } {
  const mu: [number, number] = [1, -1];
  const s1 = 1;
  const s2 = 2;
  const rho = 0.9;
  const cov: [number, number, number] = [s1 * s1, s2 * s2, rho * s1 * s2];
  const [p00, p11, p01] = inv2(...cov);
  const l11 = Math.sqrt(cov[1] - (cov[2] * cov[2]) / cov[0]);
  const target = defineTarget({
    name: 'correlated-gaussian',
    dim: 2,
    logDensity: (x) =>
      tf.tidy(() => {
        const z = tf.sub(x, tf.tensor1d(mu));
        const [z0, z1] = tf.split(z, 2, 1);
        const q = tf.addN([tf.mul(p00, tf.square(z0)), tf.mul(p11, tf.square(z1)), tf.mul(2 * p01, tf.mul(z0, z1))]);
        return tf.mul(-0.5, tf.squeeze(q, [1]));
      }),
    logDensityAndGrad:
      opts.fused === false
        ? undefined
        : (x, n, lp, g) => {
            for (let r = 0; r < n; r++) {
              const z0 = x[2 * r] - mu[0];
              const z1 = x[2 * r + 1] - mu[1];
              const g0 = -(p00 * z0 + p01 * z1);
              const g1 = -(p01 * z0 + p11 * z1);
              g[2 * r] = g0;
              g[2 * r + 1] = g1;
              lp[r] = 0.5 * (z0 * g0 + z1 * g1);
            }
          },
    sample: (key, n) => {
      const e = random.normal(key, 2 * n);
      const out = new Float32Array(2 * n);
      for (let r = 0; r < n; r++) {
        out[2 * r] = mu[0] + s1 * e[2 * r];
        out[2 * r + 1] = mu[1] + (cov[2] / s1) * e[2 * r] + l11 * e[2 * r + 1];
      }
      return out;
    },
  });
  return { ...target, moments: { mean: mu, cov }, precision: [p00, p11, p01] };
}

/** Stationary moments of ULA with step ε on N(μ, Σ): mean μ, covariance (P − ε P²/2)⁻¹ with P = Σ⁻¹. */
export function ulaGaussianMoments(mean: [number, number], precision: [number, number, number], eps: number): Moments2 {
  const [a, c, b] = precision;
  // P² for symmetric P = [a b; b c]
  const q00 = a * a + b * b;
  const q11 = b * b + c * c;
  const q01 = a * b + b * c;
  return { mean, cov: inv2(a - (eps / 2) * q00, c - (eps / 2) * q11, b - (eps / 2) * q01) };
}

/** Parameters of the rotated mixture: x = c + R(θ) z, z₁ ~ w N(−a, s²) + (1 − w) N(a, s²), z₂ ~ N(0, τ²). */
const MIX = { w: 0.3, a: 1.2, s: 0.6, tau: 0.8, theta: Math.PI / 6, c: [0.5, -0.5] as [number, number] };

/** log and d/dz of the 1-D two-component mixture density of z₁. */
function mix1(z: number): [number, number] {
  const { w, a, s } = MIX;
  const la = Math.log(w) - ((z + a) ** 2) / (2 * s * s);
  const lb = Math.log(1 - w) - ((z - a) ** 2) / (2 * s * s);
  const m = Math.max(la, lb);
  const ea = Math.exp(la - m);
  const eb = Math.exp(lb - m);
  const lse = m + Math.log(ea + eb);
  const grad = (ea * (-(z + a) / (s * s)) + eb * (-(z - a) / (s * s))) / (ea + eb);
  return [lse - Math.log(Math.sqrt(2 * Math.PI) * s), grad];
}

/**
 * A 2-D two-component Gaussian mixture: components N(c ± R(a, 0), R diag(s², τ²) Rᵀ) with weights
 * 0.3 / 0.7 (a rotation R of a mixture that is separable in z = Rᵀ(x − c)).
 */
export function rotatedMixture(): Target & { moments: Moments2 } {
  const { w, a, s, tau, theta, c } = MIX;
  const cs = Math.cos(theta);
  const sn = Math.sin(theta);
  const target = defineTarget({
    name: 'rotated-mixture',
    dim: 2,
    logDensity: (x) =>
      tf.tidy(() => {
        const y = tf.sub(x, tf.tensor1d(c));
        const z = tf.matMul(y, tf.tensor2d([cs, -sn, sn, cs], [2, 2])); // rows zᵀ = yᵀ R
        const [z0, z1] = tf.split(z, 2, 1);
        const comp = (mean: number, weight: number) => tf.add(Math.log(weight), tf.mul(-1 / (2 * s * s), tf.square(tf.sub(z0, mean))));
        const l0 = tf.sub(tf.logSumExp(tf.concat([comp(-a, w), comp(a, 1 - w)], 1), 1), Math.log(Math.sqrt(2 * Math.PI) * s));
        return tf.add(l0, tf.mul(-1 / (2 * tau * tau), tf.squeeze(tf.square(z1), [1])));
      }),
    logDensityAndGrad: (x, n, lp, g) => {
      for (let r = 0; r < n; r++) {
        const y0 = x[2 * r] - c[0];
        const y1 = x[2 * r + 1] - c[1];
        const z0 = cs * y0 + sn * y1;
        const z1 = -sn * y0 + cs * y1;
        const [l0, g0] = mix1(z0);
        const g1 = -z1 / (tau * tau);
        lp[r] = l0 - (z1 * z1) / (2 * tau * tau);
        g[2 * r] = cs * g0 - sn * g1;
        g[2 * r + 1] = sn * g0 + cs * g1;
      }
    },
    sample: (key, n) => {
      const [ku, kz] = random.split(key);
      const u = random.uniform(ku, n);
      const e = random.normal(kz, 2 * n);
      const out = new Float32Array(2 * n);
      for (let r = 0; r < n; r++) {
        const z0 = (u[r] < w ? -a : a) + s * e[2 * r];
        const z1 = tau * e[2 * r + 1];
        out[2 * r] = c[0] + cs * z0 - sn * z1;
        out[2 * r + 1] = c[1] + sn * z0 + cs * z1;
      }
      return out;
    },
  });
  const m1 = -w * a + (1 - w) * a;
  return { ...target, moments: rotate(m1, s * s + a * a - m1 * m1, tau * tau) };
}

/** Moments in x of a law with E z₁ = m1, Var z₁ = v1, z₂ centred with variance v2, uncorrelated, x = c + R z. */
function rotate(m1: number, v1: number, v2: number): Moments2 {
  const { theta, c } = MIX;
  const cs = Math.cos(theta);
  const sn = Math.sin(theta);
  return {
    mean: [c[0] + cs * m1, c[1] + sn * m1],
    cov: [cs * cs * v1 + sn * sn * v2, sn * sn * v1 + cs * cs * v2, cs * sn * (v1 - v2)],
  };
}

/**
 * Mean and variance of the stationary law of the 1-D ULA chain z' = z + ε g(z) + √(2ε) ξ on a
 * grid (Nyström discretisation of its Gaussian transition kernel, rows renormalised), by solving
 * pᵀ(T − I) = 0, Σ p = 1 with Gaussian elimination.
 */
export function ulaStationary1d(grad: (z: number) => number, eps: number, lo: number, hi: number, h: number): { mean: number; variance: number } {
  const m = Math.round((hi - lo) / h) + 1;
  const xs = Float64Array.from({ length: m }, (_, i) => lo + i * h);
  // A = Tᵀ − I, row-major; A[i][k] = T[k][i] − δ_ik
  const A = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const mu = xs[k] + eps * grad(xs[k]);
    let tot = 0;
    const row = new Float64Array(m);
    for (let i = 0; i < m; i++) tot += row[i] = Math.exp(-((xs[i] - mu) ** 2) / (4 * eps));
    for (let i = 0; i < m; i++) A[i * m + k] = row[i] / tot - (i === k ? 1 : 0);
  }
  const b = new Float64Array(m);
  for (let k = 0; k < m; k++) A[(m - 1) * m + k] = 1; // normalisation replaces the last equation
  b[m - 1] = 1;
  const p = solve(A, b, m);
  let mean = 0;
  let second = 0;
  for (let i = 0; i < m; i++) {
    mean += p[i] * xs[i];
    second += p[i] * xs[i] * xs[i];
  }
  return { mean, variance: second - mean * mean };
}

/** Solves A p = b (A row-major m×m, overwritten) by Gaussian elimination with partial pivoting. */
function solve(A: Float64Array, b: Float64Array, m: number): Float64Array {
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r * m + col]) > Math.abs(A[piv * m + col])) piv = r;
    if (piv !== col) {
      for (let k = 0; k < m; k++) [A[col * m + k], A[piv * m + k]] = [A[piv * m + k], A[col * m + k]];
      [b[col], b[piv]] = [b[piv], b[col]];
    }
    const d = A[col * m + col];
    for (let r = col + 1; r < m; r++) {
      const f = A[r * m + col] / d;
      if (f === 0) continue;
      for (let k = col; k < m; k++) A[r * m + k] -= f * A[col * m + k];
      b[r] -= f * b[col];
    }
  }
  const p = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < m; k++) s -= A[r * m + k] * p[k];
    p[r] = s / A[r * m + r];
  }
  return p;
}

/** Stationary moments of ULA with step ε on {@link rotatedMixture} (numerical in z₁, closed form in z₂). */
export function ulaMixtureMoments(eps: number): Moments2 {
  const { a, s, tau } = MIX;
  const z1 = ulaStationary1d((z) => mix1(z)[1], eps, -a - 12 * s, a + 12 * s, 0.04);
  return rotate(z1.mean, z1.variance, (tau * tau) / (1 - eps / (2 * tau * tau)));
}

/** Per-chain averages of x₀, x₁, (x₀ − m₀)², (x₁ − m₁)², (x₀ − m₀)(x₁ − m₁) over the draws of each chain. */
function chainAverages(c0: Float64Array[], c1: Float64Array[], m: [number, number]): number[][] {
  return c0.map((a, r) => {
    const b = c1[r];
    const s = [0, 0, 0, 0, 0];
    for (let t = 0; t < a.length; t++) {
      const u = a[t] - m[0];
      const v = b[t] - m[1];
      s[0] += a[t];
      s[1] += b[t];
      s[2] += u * u;
      s[3] += v * v;
      s[4] += u * v;
    }
    return s.map((x) => x / a.length);
  });
}

/**
 * z-scores (estimate − expected) / SE of the mean, both variances and the covariance, where the
 * estimate is the average over independent chains of the per-chain averages and SE is the
 * standard deviation of the per-chain averages over √(chains): honest whatever the
 * autocorrelation within a chain, since the chains are independent and start at stationarity.
 */
export function momentZScores(c0: Float64Array[], c1: Float64Array[], expected: Moments2): { z: number[]; estimate: number[]; se: number[] } {
  const per = chainAverages(c0, c1, expected.mean);
  const truth = [...expected.mean, ...expected.cov];
  const k = per.length;
  const estimate: number[] = [];
  const se: number[] = [];
  const z = truth.map((t, q) => {
    const mean = per.reduce((s, p) => s + p[q], 0) / k;
    const sd = Math.sqrt(per.reduce((s, p) => s + (p[q] - mean) ** 2, 0) / (k - 1));
    estimate.push(mean);
    se.push(sd / Math.sqrt(k));
    return (mean - t) / (sd / Math.sqrt(k));
  });
  return { z, estimate, se };
}
