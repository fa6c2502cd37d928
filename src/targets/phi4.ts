/**
 * The φ⁴ scalar lattice field theory in two dimensions on an L × L periodic lattice, in the form
 * of Albergo, Kanwar & Shanahan, "Flow-based generative models for Markov chain Monte Carlo in
 * lattice field theory", Phys. Rev. D 100, 034515 (2019):
 *
 *   S(φ) = Σ_x [ −2 Σ_μ φ_x φ_{x+μ̂} + (2D + m²) φ_x² + λ φ_x⁴ ],   D = 2,
 *   log p(φ) = −S(φ),
 *   −∂S/∂φ_x = 2 Σ_μ (φ_{x+μ̂} + φ_{x−μ̂}) − 2(2D + m²) φ_x − 4λ φ_x³.
 *
 * A field is a row of d = L² values, row-major (site x = (r, c) at index r·L + c).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Target } from './target.js';

/** Options of {@link phi4}. */
export interface Phi4Options {
  /** Lattice side L (d = L²), default 16. */
  L?: number;
  /** Bare mass squared m² (any finite number), default −4. */
  m2?: number;
  /** Quartic coupling λ ≥ 0 (λ = 0 needs m² > 0), default 8. */
  lambda?: number;
}

/**
 * The 2-D φ⁴ target log p = −S (unnormalised; log Z unknown), with a TensorFlow.js log density
 * (periodic shifts by slicing and concatenation) and a fused host action and gradient over
 * precomputed neighbour tables.
 *
 * @throws ArgumentError for a non-integer or non-positive L, non-finite m², or λ < 0 (or λ = 0
 *   with m² ≤ 0, which is not normalisable).
 */
export function phi4(opts: Phi4Options = {}): Target {
  const { L = 16, m2 = -4, lambda = 8 } = opts;
  checkPositiveInt('L', L);
  if (typeof m2 !== 'number' || !Number.isFinite(m2)) throw new ArgumentError('m2', 'a finite number', m2);
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) throw new ArgumentError('lambda', 'a finite number ≥ 0', lambda);
  if (lambda === 0 && !(m2 > 0)) throw new ArgumentError('m2', 'a number > 0 when lambda = 0 (otherwise the density is not normalisable)', m2);
  const d = L * L;
  const c2 = 4 + m2; // 2D + m², D = 2
  // right (x + ê_c) and down (x + ê_r) neighbours, and their inverses
  const right = new Int32Array(d);
  const left = new Int32Array(d);
  const down = new Int32Array(d);
  const up = new Int32Array(d);
  for (let r = 0; r < L; r++) {
    for (let c = 0; c < L; c++) {
      const x = r * L + c;
      right[x] = r * L + ((c + 1) % L);
      left[x] = r * L + ((c + L - 1) % L);
      down[x] = ((r + 1) % L) * L + c;
      up[x] = ((r + L - 1) % L) * L + c;
    }
  }

  function logDensityAndGrad(phi: Float32Array, n: number, logp: Float32Array, grad: Float32Array): void {
    for (let i = 0, o = 0; i < n; i++, o += d) {
      let s = 0;
      for (let x = 0; x < d; x++) {
        const f = phi[o + x];
        const f2 = f * f;
        s += f * (lambda * f2 * f + c2 * f - 2 * (phi[o + right[x]] + phi[o + down[x]]));
        const nb = phi[o + right[x]] + phi[o + left[x]] + phi[o + down[x]] + phi[o + up[x]];
        grad[o + x] = 2 * nb - f * (2 * c2 + 4 * lambda * f2);
      }
      logp[i] = -s;
    }
  }

  function logDensityHost(phi: Float32Array, n: number, logp: Float32Array): void {
    for (let i = 0, o = 0; i < n; i++, o += d) {
      let s = 0;
      for (let x = 0; x < d; x++) {
        const f = phi[o + x];
        s += f * (lambda * f * f * f + c2 * f - 2 * (phi[o + right[x]] + phi[o + down[x]]));
      }
      logp[i] = -s;
    }
  }

  function logDensity(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const n = x.shape[0];
      const f = tf.reshape(x, [n, L, L]);
      // f_{x+μ̂}: shift by one along rows and along columns, periodically
      const shift = (axis: 1 | 2) => (L === 1 ? f : tf.concat([tf.slice(f, axis === 1 ? [0, 1, 0] : [0, 0, 1], axis === 1 ? [n, L - 1, L] : [n, L, L - 1]), tf.slice(f, [0, 0, 0], axis === 1 ? [n, 1, L] : [n, L, 1])], axis));
      const f2 = tf.square(f);
      const kin = tf.mul(f, tf.add(shift(1), shift(2)));
      const s = tf.add(tf.add(tf.mul(kin, -2), tf.mul(f2, c2)), tf.mul(tf.square(f2), lambda));
      return tf.neg(tf.sum(tf.reshape(s, [n, d]), 1)) as tf.Tensor1D;
    });
  }

  return { name: 'phi4', dim: d, logDensity, logDensityAndGrad, logDensityHost };
}
