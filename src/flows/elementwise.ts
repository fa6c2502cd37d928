/**
 * Elementwise affine maps and coordinate permutations.
 *
 * - {@link elementwiseAffine}: y = x ⊙ exp(s) + t, log |det| = Σ_j s_j (s = log-scale).
 * - {@link permutation}: y = x[:, π], log |det| = 0; used between couplings and for Glow's squeeze.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkAllFinite, checkPositiveInt } from '../core/errors.js';
import { Key, permutation as randomPermutation } from '../core/random.js';
import { ColumnSelect, checkBatch, checkPermutation, invertPermutation, valueVariable, type Bijector } from './bijector.js';

/** Options of {@link elementwiseAffine}. */
export interface ElementwiseAffineOptions {
  /** Initial scale exp(s), a number or [d] values > 0 (default 1). */
  scale?: number | ArrayLike<number>;
  /** Initial shift t, a number or [d] values (default 0). */
  shift?: number | ArrayLike<number>;
  /** Whether s and t are trained (default true); false gives a fixed map, e.g. an output scale. */
  trainable?: boolean;
  /** Prefix of the variable names (default `affine`). */
  name?: string;
}

function vector(name: string, v: number | ArrayLike<number>, d: number): Float32Array {
  const out = typeof v === 'number' ? new Float32Array(d).fill(v) : Float32Array.from(v);
  if (out.length !== d) throw new ArgumentError(name, `a number or ${d} values`, `${out.length} values`);
  checkAllFinite(name, out);
  return out;
}

/** The elementwise affine bijector y = x ⊙ exp(s) + t on R^d, log |det ∂y/∂x| = Σ_j s_j. */
export function elementwiseAffine(dim: number, opts: ElementwiseAffineOptions = {}): Bijector {
  checkPositiveInt('dim', dim);
  const scale = vector('scale', opts.scale ?? 1, dim);
  if (scale.some((v) => !(v > 0))) throw new ArgumentError('scale', 'values > 0', Array.from(scale).find((v) => !(v > 0)));
  const trainable = opts.trainable ?? true;
  const name = opts.name ?? 'affine';
  const logScale = valueVariable(`${name}.logScale`, scale.map(Math.log), [dim], trainable);
  const shift = valueVariable(`${name}.shift`, vector('shift', opts.shift ?? 0, dim), [dim], trainable);
  const total = (n: number, sign: number) => tf.mul(tf.fill([n], sign), tf.sum(logScale)) as tf.Tensor1D;
  return {
    name: 'elementwiseAffine',
    dim,
    params: trainable ? [logScale, shift] : [],
    forwardAndLogDet: (x) =>
      tf.tidy(() => {
        checkBatch('x', x, dim);
        return { y: tf.add(tf.mul(x, tf.exp(logScale)), shift) as tf.Tensor2D, logDet: total(x.shape[0], 1) };
      }),
    inverseAndLogDet: (y) =>
      tf.tidy(() => {
        checkBatch('y', y, dim);
        return { y: tf.mul(tf.sub(y, shift), tf.exp(tf.neg(logScale))) as tf.Tensor2D, logDet: total(y.shape[0], -1) };
      }),
    dispose: () => {
      logScale.dispose();
      shift.dispose();
    },
  };
}

/**
 * The permutation of coordinates y_j = x_{π(j)} (log |det| = 0). `perm` is a permutation of
 * 0..d−1, or `'reverse'`, or a random key for a uniformly random permutation.
 */
export function permutation(dim: number, perm: ArrayLike<number> | 'reverse' | Key, name = 'permutation'): Bijector {
  checkPositiveInt('dim', dim);
  const p =
    perm === 'reverse'
      ? Int32Array.from({ length: dim }, (_, i) => dim - 1 - i)
      : perm instanceof Key
        ? randomPermutation(perm, dim)
        : checkPermutation('perm', perm as ArrayLike<number>, dim);
  const fwd = new ColumnSelect(dim, p);
  const inv = new ColumnSelect(dim, invertPermutation(p));
  const zero = (n: number) => tf.zeros([n]) as tf.Tensor1D;
  return {
    name,
    dim,
    params: [],
    forwardAndLogDet: (x) => (checkBatch('x', x, dim), tf.tidy(() => ({ y: fwd.select(x), logDet: zero(x.shape[0]) }))),
    inverseAndLogDet: (y) => (checkBatch('y', y, dim), tf.tidy(() => ({ y: inv.select(y), logDet: zero(y.shape[0]) }))),
    dispose: () => {
      fwd.dispose();
      inv.dispose();
    },
  };
}
