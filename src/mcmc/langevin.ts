/**
 * The Langevin proposal shared by MALA and ULA: one Euler–Maruyama step of the overdamped
 * Langevin diffusion dX = C ∇log π(X) dt + √2 C^{1/2} dW preconditioned by a diagonal C = M⁻¹,
 *
 *   y = x + ε C ∇log π(x) + √(2ε) C^{1/2} ξ,   ξ ~ N(0, I).
 *
 * (Roberts & Tweedie, "Exponential convergence of Langevin distributions and their discrete
 * approximations", Bernoulli 1996.)
 *
 * @module
 */
import { Stream, type Key } from '../core/random.js';
import { normalLanes } from '../core/normals-simd.js';

/**
 * Writes the Langevin proposal of n chains ([n, d] row-major) into `y`, drawing the n·d
 * normals ξ in row-major order from `noise`: a {@link Stream}, or a key for the four-lane bulk
 * generator of ../core/normals-simd.ts (about twice as fast). `C` is the diagonal preconditioner (identity when absent).
 */
export function langevinProposal(
  noise: Stream | Key,
  x: Float32Array,
  gx: Float32Array,
  y: Float32Array,
  n: number,
  d: number,
  eps: number,
  C: Float32Array | undefined,
): void {
  const s2e = Math.sqrt(2 * eps);
  if (noise instanceof Stream) noise.fillNormal(y, 0, n * d);
  else normalLanes(noise, n * d, y);
  // ξ first, in row-major order, then y = x + ε C g + √(2ε) C^{1/2} ξ in place
  if (!C) {
    for (let i = 0; i < n * d; i++) y[i] = x[i] + eps * gx[i] + s2e * y[i];
    return;
  }
  for (let r = 0, i = 0; r < n; r++) {
    for (let j = 0; j < d; j++, i++) {
      const c = C[j];
      y[i] = x[i] + eps * c * gx[i] + s2e * Math.sqrt(c) * y[i];
    }
  }
}

/**
 * log q(x | y) − log q(y | x) for chain r of the Langevin proposal, where
 * log q(y | x) = −‖y − x − ε C ∇log π(x)‖²_{C⁻¹} / (4ε). With a = y − x − ε C g_x and
 * b = x − y − ε C g_y, (a² − b²)/c = (a − b)(a + b)/c = −ε (g_x + g_y)(2(y − x) − ε c (g_x − g_y))
 * per coordinate, so the ratio is −¼ Σ_j (g_x + g_y)_j (2(y − x)_j − ε c_j (g_x − g_y)_j):
 * one sum without the cancellation of two nearly equal squared norms. Non-finite inputs give a
 * non-finite result.
 */
export function langevinLogRatio(
  x: Float32Array,
  gx: Float32Array,
  y: Float32Array,
  gy: Float32Array,
  r: number,
  d: number,
  eps: number,
  C: Float32Array | undefined,
): number {
  let s = 0;
  const i0 = r * d;
  if (C) {
    for (let j = 0, i = i0; j < d; j++, i++) {
      const gxi = gx[i];
      const gyi = gy[i];
      s += (gxi + gyi) * (2 * (y[i] - x[i]) - eps * C[j] * (gxi - gyi));
    }
  } else {
    for (let i = i0, end = i0 + d; i < end; i++) {
      const gxi = gx[i];
      const gyi = gy[i];
      s += (gxi + gyi) * (2 * (y[i] - x[i]) - eps * (gxi - gyi));
    }
  }
  return -0.25 * s;
}
