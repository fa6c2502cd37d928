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
import type { Stream } from '../core/random.js';

/**
 * Writes the Langevin proposal of n chains ([n, d] row-major) into `y`, drawing the n·d
 * normals ξ from `noise` in row-major order. `C` is the diagonal preconditioner (identity when absent).
 */
export function langevinProposal(
  noise: Stream,
  x: Float32Array,
  gx: Float32Array,
  y: Float32Array,
  n: number,
  d: number,
  eps: number,
  C: Float32Array | undefined,
): void {
  const s2e = Math.sqrt(2 * eps);
  noise.fillNormal(y, 0, n * d); // ξ first, in row-major order, then y = x + ε C g + √(2ε) C^{1/2} ξ in place
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
