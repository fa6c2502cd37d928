/**
 * Rational-quadratic spline coupling (Durkan, Bekasov, Murray & Papamakarios, "Neural spline
 * flows", NeurIPS 2019), the coupling flowMC uses. On [−B, B] each transformed coordinate goes
 * through a monotone rational-quadratic spline with K bins whose knot positions (x_k, y_k) and
 * interior derivatives δ_k come from the conditioner; outside [−B, B] the map is the identity
 * (linear tails, boundary derivatives 1). In bin k, with ξ = (x − x_k)/w_k, s_k = h_k/w_k:
 *
 *   y = y_k + h_k [s_k ξ² + δ_k ξ(1−ξ)] / [s_k + (δ_{k+1} + δ_k − 2 s_k) ξ(1−ξ)],
 *   dy/dx = s_k² [δ_{k+1} ξ² + 2 s_k ξ(1−ξ) + δ_k (1−ξ)²] / [s_k + (δ_{k+1} + δ_k − 2 s_k) ξ(1−ξ)]²,
 *
 * and the inverse is the root ξ = 2c / (−b − √(b² − 4ac)) of the quadratic of eq. (6)–(8) of
 * the paper. Widths and heights are softmax-normalised with a minimum of 10⁻³ per bin, the
 * derivatives are 10⁻³ + softplus.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive } from '../core/errors.js';
import type { Key } from '../core/random.js';
import type { Bijector } from './bijector.js';
import { coupling, type CouplingOptions, type CouplingTransformFactory } from './coupling.js';

const MIN_BIN = 1e-3;
const MIN_DERIVATIVE = 1e-3;

/** Options of {@link splineCoupling}. */
export interface SplineOptions extends CouplingOptions {
  /** Number of bins K (default 8). */
  bins?: number;
  /** The spline acts on [−B, B] (default B = 5); identity outside. */
  bound?: number;
}

/** Normalised bin sizes (min MIN_BIN each) times 2B and the knots −B = k_0 < … < k_K = B, over the last axis. */
function knots(raw: tf.Tensor3D, bound: number, K: number): { size: tf.Tensor3D; lo: tf.Tensor3D } {
  const size = tf.mul(tf.add(MIN_BIN, tf.mul(1 - MIN_BIN * K, tf.softmax(raw))), 2 * bound) as tf.Tensor3D;
  const lo = tf.sub(tf.cumsum(size, 2, true), bound) as tf.Tensor3D; // exclusive cumsum: left edges
  return { size, lo };
}

/** Σ_k onehot_k · a_k over the last axis: the entry of `a` [n, m, K] in bin `oh` [n, m, K]. */
const pick = (a: tf.Tensor, oh: tf.Tensor) => tf.sum(tf.mul(a, oh), 2);

/** The rational-quadratic spline transform with K bins on [−B, B]. */
export function rqsTransform(bins: number, bound: number): CouplingTransformFactory {
  if (!(Number.isInteger(bins) && bins >= 2)) throw new ArgumentError('bins', 'an integer ≥ 2', bins);
  checkPositive('bound', bound);
  const K = bins;
  return (k) => ({
    outputs: k * (3 * K - 1),
    dispose: () => {},
    apply(xB, h, inverse) {
      const [n, m] = xB.shape;
      const p = tf.reshape(h, [n, m, 3 * K - 1]);
      const [wRaw, hRaw, dRaw] = tf.split(p, [K, K, K - 1], 2) as tf.Tensor3D[];
      const X = knots(wRaw, bound, K);
      const Y = knots(hRaw, bound, K);
      const ones = tf.ones([n, m, 1]);
      const delta = tf.concat([ones, tf.add(MIN_DERIVATIVE, tf.softplus(dRaw)), ones], 2); // [n, m, K+1]
      const [dLo, dHi] = [tf.slice(delta, [0, 0, 0], [n, m, K]), tf.slice(delta, [0, 0, 1], [n, m, K])];
      // (comparisons written as greaterEqual: the only comparison TensorFlow.js can backpropagate through)
      const inside = tf.greaterEqual(bound, tf.abs(xB));
      const v = tf.clipByValue(xB, -bound, bound);
      // bin index: number of interior left edges ≤ v (edges of the input side of the map)
      const edges = inverse ? Y.lo : X.lo;
      const idx = tf.sum(tf.cast(tf.greaterEqual(tf.expandDims(v, 2), tf.slice(edges, [0, 0, 1], [n, m, K - 1])), 'int32'), 2);
      const oh = tf.oneHot(idx, K);
      const [xk, wk, yk, hk, dk, dk1] = [X.lo, X.size, Y.lo, Y.size, dLo, dHi].map((a) => pick(a, oh));
      const sk = tf.div(hk, wk);
      const gap = tf.sub(tf.add(dk1, dk), tf.mul(2, sk));
      let xi: tf.Tensor;
      let out: tf.Tensor;
      if (inverse) {
        const dy = tf.sub(v, yk);
        const a = tf.add(tf.mul(hk, tf.sub(sk, dk)), tf.mul(dy, gap));
        const b = tf.sub(tf.mul(hk, dk), tf.mul(dy, gap));
        const c = tf.neg(tf.mul(sk, dy));
        const disc = tf.sqrt(tf.relu(tf.sub(tf.square(b), tf.mul(4, tf.mul(a, c)))));
        xi = tf.div(tf.mul(2, c), tf.sub(tf.neg(b), disc));
        out = tf.add(tf.mul(xi, wk), xk);
      } else {
        xi = tf.div(tf.sub(v, xk), wk);
        const t = tf.mul(xi, tf.sub(1, xi));
        out = tf.add(yk, tf.div(tf.mul(hk, tf.add(tf.mul(sk, tf.square(xi)), tf.mul(dk, t))), tf.add(sk, tf.mul(gap, t))));
      }
      const t = tf.mul(xi, tf.sub(1, xi));
      const num = tf.mul(tf.square(sk), tf.add(tf.add(tf.mul(dk1, tf.square(xi)), tf.mul(tf.mul(2, sk), t)), tf.mul(dk, tf.square(tf.sub(1, xi)))));
      const den = tf.add(sk, tf.mul(gap, t));
      const logDeriv = tf.where(inside, tf.sub(tf.log(num), tf.mul(2, tf.log(den))), tf.zerosLike(xB));
      const logDet = tf.sum(logDeriv, 1) as tf.Tensor1D;
      return { y: tf.where(inside, out, xB) as tf.Tensor2D, logDet: inverse ? tf.neg(logDet) : logDet };
    },
  });
}

/**
 * A rational-quadratic spline coupling layer on R^dim: kept coordinates (mask 1) condition a
 * monotone spline of the others on [−bound, bound], identity outside.
 */
export function splineCoupling(key: Key, dim: number, mask: ArrayLike<number | boolean>, opts: SplineOptions = {}): Bijector {
  return coupling(key, dim, mask, rqsTransform(opts.bins ?? 8, opts.bound ?? 5), 'splineCoupling', opts);
}
