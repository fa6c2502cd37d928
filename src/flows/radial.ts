/**
 * Radial flow (Rezende & Mohamed, "Variational inference with normalizing flows", ICML 2015):
 *
 *   T(x) = x + β h(r) (x − x₀),   r = ‖x − x₀‖,   h(r) = 1 / (α + r),
 *   log |det ∂T/∂x| = (d − 1) log(1 + β h) + log(1 + β h + β h'(r) r),   h' = −1/(α + r)²,
 *
 * with α = softplus(α̂) > 0 and β = −α + softplus(β̂) ≥ −α, the invertibility condition of the
 * paper's appendix A.
 *
 * Inverse in closed form: ‖y − x₀‖ = r (1 + β/(α + r)), so r is the non-negative root of
 * r² + (α + β − r_y) r − α r_y = 0 (computed without cancellation), and
 * x = x₀ + (y − x₀) / (1 + β/(α + r)).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { checkPositiveInt } from '../core/errors.js';
import { split, type Key } from '../core/random.js';
import { checkBatch, normalVariable, type Bijector } from './bijector.js';

/** A radial bijector on R^dim with centre x₀ ~ N(0, I) and α̂, β̂ ~ N(0, 1), drawn from `key`; `name` prefixes the variable names. */
export function radial(key: Key, dim: number, name = 'radial'): Bijector {
  checkPositiveInt('dim', dim);
  const [k0, ka, kb] = split(key, 3);
  const x0 = normalVariable(`${name}.x0`, k0, [dim], 1);
  const aRaw = normalVariable(`${name}.alpha`, ka, [1], 1);
  const bRaw = normalVariable(`${name}.beta`, kb, [1], 1);
  const coeffs = () => {
    const alpha = tf.softplus(aRaw);
    return { alpha, beta: tf.sub(tf.softplus(bRaw), alpha) };
  };
  const radius = (v: tf.Tensor2D) => tf.sqrt(tf.sum(tf.square(tf.sub(v, x0)), 1));
  /** log |det ∂T/∂x| at radius r. */
  const logDetAt = (r: tf.Tensor, alpha: tf.Tensor, beta: tf.Tensor) => {
    const h = tf.reciprocal(tf.add(alpha, r));
    const bh = tf.mul(beta, h);
    const last = tf.sub(tf.add(1, bh), tf.mul(tf.mul(bh, h), r));
    return tf.add(tf.mul(dim - 1, tf.log(tf.abs(tf.add(1, bh)))), tf.log(tf.abs(last))) as tf.Tensor1D;
  };

  return {
    name,
    dim,
    params: [x0, aRaw, bRaw],
    forwardAndLogDet: (x) =>
      tf.tidy(() => {
        checkBatch('x', x, dim);
        const { alpha, beta } = coeffs();
        const r = radius(x);
        const g = tf.div(beta, tf.add(alpha, r));
        const y = tf.add(x, tf.mul(tf.expandDims(g, 1), tf.sub(x, x0))) as tf.Tensor2D;
        return { y, logDet: logDetAt(r, alpha, beta) };
      }),
    inverseAndLogDet: (y) =>
      tf.tidy(() => {
        checkBatch('y', y, dim);
        const { alpha, beta } = coeffs();
        const ry = radius(y);
        // r = (−B + √(B² + 4α r_y)) / 2, B = α + β − r_y; for B > 0 use 2α r_y / (B + √·).
        const B = tf.sub(tf.add(alpha, beta), ry);
        const disc = tf.sqrt(tf.add(tf.square(B), tf.mul(4, tf.mul(alpha, ry))));
        const r = tf.where(tf.greaterEqual(0, B), tf.div(tf.sub(disc, B), 2), tf.div(tf.mul(2, tf.mul(alpha, ry)), tf.add(B, disc)));
        const g = tf.add(1, tf.div(beta, tf.add(alpha, r)));
        const x = tf.add(x0, tf.div(tf.sub(y, x0), tf.expandDims(g, 1))) as tf.Tensor2D;
        return { y: x, logDet: tf.neg(logDetAt(r, alpha, beta)) as tf.Tensor1D };
      }),
    dispose: () => [x0, aRaw, bRaw].forEach((v) => v.dispose()),
  };
}
