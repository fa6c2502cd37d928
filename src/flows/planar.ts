/**
 * Planar flow (Rezende & Mohamed, "Variational inference with normalizing flows", ICML 2015):
 *
 *   T(x) = x + û tanh(wᵀx + b),   log |det ∂T/∂x| = log |1 + (1 − tanh²(wᵀx + b)) wᵀû|,
 *
 * with û = u + (m(wᵀu) − wᵀu) w / ‖w‖², m(a) = −1 + softplus(a), which enforces wᵀû > −1 and
 * so invertibility (appendix A of the paper).
 *
 * Inverse: α = wᵀx + b solves the scalar equation α + c tanh α = wᵀy + b (c = wᵀû > −1, a
 * strictly increasing function of α), found per row on the host by safeguarded Newton in
 * float64 on the bracket [t − |c|, t + |c|]; then x = y − û tanh α. The root α* enters the
 * tensor graph through one Newton step α = α* − f(α*)/f'(α*) with α* held constant, which leaves
 * the value unchanged and gives the exact implicit-function gradient −(∂f/∂θ)/f'.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { checkPositiveInt } from '../core/errors.js';
import { split, type Key } from '../core/random.js';
import { checkBatch, normalVariable, valueVariable, type Bijector } from './bijector.js';

/** A planar bijector on R^dim with parameters u, w ~ N(0, 1/dim) and b = 0, drawn from `key`; `name` prefixes the variable names. */
export function planar(key: Key, dim: number, name = 'planar'): Bijector {
  checkPositiveInt('dim', dim);
  const [ku, kw] = split(key);
  const u = normalVariable(`${name}.u`, ku, [dim], 1 / Math.sqrt(dim));
  const w = normalVariable(`${name}.w`, kw, [dim], 1 / Math.sqrt(dim));
  const b = valueVariable(`${name}.b`, [0], [1]);

  /** û and c = wᵀû. */
  function uHat(): { uh: tf.Tensor1D; c: tf.Scalar } {
    const wu = tf.sum(tf.mul(w, u));
    const m = tf.sub(tf.softplus(wu), 1);
    const uh = tf.add(u, tf.mul(tf.div(tf.sub(m, wu), tf.sum(tf.square(w))), w)) as tf.Tensor1D;
    return { uh, c: tf.sum(tf.mul(w, uh)) };
  }
  const affine = (x: tf.Tensor2D) => tf.add(tf.sum(tf.mul(x, w), 1), b) as tf.Tensor1D;
  /** log |1 + c (1 − tanh² α)|. */
  const logDetAt = (alpha: tf.Tensor1D, c: tf.Scalar) =>
    tf.log(tf.abs(tf.add(1, tf.mul(c, tf.sub(1, tf.square(tf.tanh(alpha))))))) as tf.Tensor1D;

  return {
    name,
    dim,
    params: [u, w, b],
    forwardAndLogDet: (x) =>
      tf.tidy(() => {
        checkBatch('x', x, dim);
        const { uh, c } = uHat();
        const a = affine(x);
        const y = tf.add(x, tf.mul(tf.expandDims(tf.tanh(a), 1), uh)) as tf.Tensor2D;
        return { y, logDet: logDetAt(a, c) };
      }),
    inverseAndLogDet: (y) =>
      tf.tidy(() => {
        checkBatch('y', y, dim);
        const { uh, c } = uHat();
        const t = affine(y);
        const root = tf.tensor1d(Float32Array.from(solve(t.dataSync() as Float32Array, c.dataSync()[0])));
        const th = tf.tanh(root);
        const f = tf.sub(tf.add(root, tf.mul(c, th)), t);
        const fp = tf.add(1, tf.mul(c, tf.sub(1, tf.square(th))));
        const alpha = tf.sub(root, tf.div(f, fp)) as tf.Tensor1D;
        const x = tf.sub(y, tf.mul(tf.expandDims(tf.tanh(alpha), 1), uh)) as tf.Tensor2D;
        return { y: x, logDet: tf.neg(logDetAt(alpha, c)) as tf.Tensor1D };
      }),
    dispose: () => [u, w, b].forEach((v) => v.dispose()),
  };
}

/** Roots of α + c tanh α = t_i (c > −1) by Newton with bisection safeguard, in float64. */
function solve(t: Float32Array, c: number): Float64Array {
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    let lo = t[i] - Math.abs(c);
    let hi = t[i] + Math.abs(c);
    let a = t[i] - c * Math.tanh(t[i]);
    for (let it = 0; it < 100; it++) {
      const th = Math.tanh(a);
      const f = a + c * th - t[i];
      if (f > 0) hi = a;
      else lo = a;
      const fp = 1 + c * (1 - th * th);
      let next = a - f / fp;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (Math.abs(next - a) <= 1e-14 * (1 + Math.abs(a))) {
        a = next;
        break;
      }
      a = next;
    }
    out[i] = a;
  }
  return out;
}
