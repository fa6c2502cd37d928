/**
 * Wasserstein-2 distances between samples: exact 1-D W2 between empirical distributions, and
 * the sliced W2 (Rabin, Peyré, Delon & Bernot, "Wasserstein barycenter and its application to
 * texture mixing", SSVM 2011; Bonneel et al. 2015) that averages 1-D W2² over random directions:
 *
 *   SW2²(μ, ν) = E_{θ ~ U(S^{d−1})} W2²(θᵀ#μ, θᵀ#ν),   W2²(p, q) = ∫_0^1 (F_p⁻¹(u) − F_q⁻¹(u))² du.
 *
 * For Gaussians N(μ₁, σ₁²I), N(μ₂, σ₂²I) in R^d: SW2² = ‖μ₁ − μ₂‖²/d + (σ₁ − σ₂)².
 *
 * @module
 */
import { checkPositiveInt } from '../core/errors.js';
import { Stream, type Key } from '../core/random.js';
import { sampleRows } from './input.js';

/**
 * W2² between the empirical distributions of sorted 1-D samples a and b: the integral of the
 * squared difference of their quantile functions (step functions), exact for any sizes.
 */
function w2SquaredSorted(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let u = 0;
  let s = 0;
  while (i < n && j < m) {
    const ua = (i + 1) / n;
    const ub = (j + 1) / m;
    const next = Math.min(ua, ub);
    const t = a[i] - b[j];
    s += (next - u) * t * t;
    u = next;
    if (ua <= next) i++;
    if (ub <= next) j++;
  }
  return s;
}

/** Options of {@link slicedWasserstein}. */
export interface SlicedWassersteinOptions {
  /** The dimension d of the points. */
  dim: number;
  /** Number of random directions (default 128; with dim = 1 a single exact 1-D W2 is computed). */
  projections?: number;
}

/**
 * The sliced Wasserstein-2 distance between samples x [n, d] and y [m, d] (row-major flat
 * arrays), with directions uniform on the sphere drawn from `key`. Returns the squared value
 * (an unbiased Monte Carlo estimate of SW2² of the two empirical measures) and its square root.
 */
export function slicedWasserstein(key: Key, x: ArrayLike<number>, y: ArrayLike<number>, opts: SlicedWassersteinOptions): { squared: number; distance: number } {
  const d = opts.dim;
  const nx = sampleRows('x', x, d);
  const ny = sampleRows('y', y, d);
  const projections = d === 1 ? 1 : (opts.projections ?? 128);
  checkPositiveInt('projections', projections);
  const s = new Stream(key);
  const theta = new Float64Array(d);
  const px = new Float64Array(nx);
  const py = new Float64Array(ny);
  let total = 0;
  for (let p = 0; p < projections; p++) {
    let norm = 0;
    do {
      norm = 0;
      for (let k = 0; k < d; k++) norm += (theta[k] = s.normal()) ** 2;
    } while (norm === 0);
    norm = Math.sqrt(norm);
    for (let k = 0; k < d; k++) theta[k] /= norm;
    const project = (a: ArrayLike<number>, n: number, out: Float64Array) => {
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let k = 0; k < d; k++) v += a[i * d + k] * theta[k];
        out[i] = v;
      }
      out.sort();
    };
    project(x, nx, px);
    project(y, ny, py);
    total += w2SquaredSorted(px, py);
  }
  const squared = total / projections;
  return { squared, distance: Math.sqrt(squared) };
}
