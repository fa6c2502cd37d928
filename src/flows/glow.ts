/**
 * The image bijectors of Glow (Kingma & Dhariwal, "Glow: generative flow with invertible 1×1
 * convolutions", NeurIPS 2018), on images [n, h, w, c] flattened row-major (channels last) to
 * [n, h·w·c]:
 *
 * - {@link actNorm}: per-channel affine x = z ⊙ exp(s) + b, log |det| = h·w·Σ_c s_c, with
 *   data-dependent initialisation (the first batch seen on the data side gets zero mean and unit
 *   variance per channel on the latent side);
 * - {@link invertibleConv1x1}: the same c×c matrix W at every pixel, x_p = z_p W, LU-parametrised
 *   W = P L (U + diag(sign · exp(log|s|))) (P a fixed permutation, L unit lower triangular, U
 *   strictly upper triangular), log |det| = h·w·Σ log|s|; W⁻¹ = (U + diag)⁻¹ L⁻¹ Pᵀ with the
 *   triangular inverses as finite Neumann products (I + N)⁻¹ = Π_j (I + (−N)^{2^j}) of the
 *   nilpotent part, so both directions are differentiable tensor programs;
 * - {@link squeeze}: the space-to-depth permutation [h, w, c] → [h/2, w/2, 4c] (log |det| = 0).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Key } from '../core/random.js';
import { randomOrthogonal } from '../targets/linalg.js';
import { checkBatch, valueVariable, type Bijector } from './bijector.js';
import { permutation } from './elementwise.js';

/** The shape [h, w, c] of one image. */
export type ImageShape = [number, number, number];

function checkImage(shape: ImageShape): number {
  if (!Array.isArray(shape) || shape.length !== 3) throw new ArgumentError('shape', 'an image shape [h, w, c]', shape);
  shape.forEach((v, i) => checkPositiveInt(`shape[${i}]`, v));
  return shape[0] * shape[1] * shape[2];
}

/**
 * ActNorm on images of the given shape (or on R^d with one "channel" per coordinate:
 * `[1, 1, d]`). Identity until initialised: the first `inverseAndLogDet` batch sets b and s to
 * that batch's per-channel mean and log standard deviation (parameters loaded from a file, or
 * `markInitialized`, skip this).
 */
export function actNorm(shape: ImageShape, name = 'actNorm'): Bijector {
  const dim = checkImage(shape);
  const c = shape[2];
  const pixels = shape[0] * shape[1];
  const logScale = valueVariable(`${name}.logScale`, new Float32Array(c), [c]);
  const shift = valueVariable(`${name}.shift`, new Float32Array(c), [c]);
  let initialized = false;
  const total = (n: number, sign: number) => tf.mul(tf.fill([n], sign * pixels), tf.sum(logScale)) as tf.Tensor1D;
  const byChannel = (x: tf.Tensor2D) => tf.reshape(x, [-1, c]);

  function initialize(y: tf.Tensor2D): void {
    if (y.shape[0] < 2) throw new ArgumentError('y', 'at least 2 rows for the data-dependent initialisation of actNorm', y.shape[0]);
    tf.tidy(() => {
      const { mean, variance } = tf.moments(byChannel(y), 0);
      shift.assign(mean as tf.Tensor1D);
      logScale.assign(tf.mul(0.5, tf.log(tf.add(variance, 1e-6))) as tf.Tensor1D);
    });
    initialized = true;
  }
  return {
    name: 'actNorm',
    dim,
    params: [logScale, shift],
    forwardAndLogDet: (x) =>
      tf.tidy(() => {
        checkBatch('x', x, dim);
        const y = tf.reshape(tf.add(tf.mul(byChannel(x), tf.exp(logScale)), shift), [-1, dim]) as tf.Tensor2D;
        return { y, logDet: total(x.shape[0], 1) };
      }),
    inverseAndLogDet: (y) => {
      checkBatch('y', y, dim);
      if (!initialized) initialize(y);
      return tf.tidy(() => {
        const x = tf.reshape(tf.mul(tf.sub(byChannel(y), shift), tf.exp(tf.neg(logScale))), [-1, dim]) as tf.Tensor2D;
        return { y: x, logDet: total(y.shape[0], -1) };
      });
    },
    dispose: () => [logScale, shift].forEach((v) => v.dispose()),
    get initialized() {
      return initialized;
    },
    markInitialized: () => {
      initialized = true;
    },
  };
}

/** (I + N)⁻¹ for a nilpotent c×c N: Π_j (I + (−N)^{2^j}) over 2^j < c (all factors commute). */
function nilpotentInverse(n: tf.Tensor2D, c: number, eye: tf.Tensor2D): tf.Tensor2D {
  let inv = eye;
  let p = tf.neg(n) as tf.Tensor2D;
  for (let k = 1; k < c; k *= 2) {
    inv = tf.matMul(inv, tf.add(eye, p));
    p = tf.matMul(p, p);
  }
  return inv;
}

/**
 * The invertible 1×1 convolution on images of the given shape, initialised at a random rotation
 * drawn from `key` (LU-decomposed with partial pivoting on the host).
 */
export function invertibleConv1x1(key: Key, shape: ImageShape, name = 'conv1x1'): Bijector {
  const dim = checkImage(shape);
  const c = shape[2];
  const pixels = shape[0] * shape[1];
  const { perm, lower, upper, diag } = luDecompose(randomOrthogonal(key, c), c);
  const L = valueVariable(`${name}.L`, lower, [c, c]);
  const U = valueVariable(`${name}.U`, upper, [c, c]);
  const logS = valueVariable(`${name}.logS`, diag.map((v) => Math.log(Math.abs(v))), [c]);
  const constants = tf.tidy(() => {
    const P = new Float32Array(c * c);
    perm.forEach((p, i) => (P[p * c + i] = 1));
    const lowerMask = new Float32Array(c * c);
    for (let i = 0; i < c; i++) for (let j = 0; j < i; j++) lowerMask[i * c + j] = 1;
    return {
      P: tf.tensor2d(P, [c, c]),
      lowerMask: tf.tensor2d(lowerMask, [c, c]),
      upperMask: tf.transpose(tf.tensor2d(lowerMask, [c, c])) as tf.Tensor2D,
      sign: tf.tensor1d(Float32Array.from(diag, Math.sign)),
      eye: tf.eye(c) as tf.Tensor2D,
    };
  });
  const { P, lowerMask, upperMask, sign, eye } = constants;
  /** W = P L (U + diag(sign exp(logS))) and, when asked, W⁻¹. */
  const weights = (inverse: boolean): tf.Tensor2D => {
    const nL = tf.mul(L, lowerMask) as tf.Tensor2D;
    const nU = tf.mul(U, upperMask) as tf.Tensor2D;
    const s = tf.mul(sign, tf.exp(logS)) as tf.Tensor1D;
    if (!inverse) return tf.matMul(P, tf.matMul(tf.add(eye, nL), tf.add(nU, tf.diag(s))));
    // (U + D)⁻¹ = (I + D⁻¹U)⁻¹ D⁻¹, D⁻¹U strictly upper (nilpotent)
    const dInv = tf.reciprocal(s);
    const uInv = tf.mul(nilpotentInverse(tf.mul(tf.expandDims(dInv, 1), nU) as tf.Tensor2D, c, eye), dInv) as tf.Tensor2D;
    return tf.matMul(tf.matMul(uInv, nilpotentInverse(nL, c, eye)), tf.transpose(P));
  };
  const run = (x: tf.Tensor2D, inverse: boolean) =>
    tf.tidy(() => {
      checkBatch(inverse ? 'y' : 'x', x, dim);
      const y = tf.reshape(tf.matMul(tf.reshape(x, [-1, c]), weights(inverse)), [-1, dim]) as tf.Tensor2D;
      const logDet = tf.mul(tf.fill([x.shape[0]], (inverse ? -1 : 1) * pixels), tf.sum(logS)) as tf.Tensor1D;
      return { y, logDet };
    });
  return {
    name: 'conv1x1',
    dim,
    params: [L, U, logS],
    forwardAndLogDet: (x) => run(x, false),
    inverseAndLogDet: (y) => run(y, true),
    dispose: () => [L, U, logS, P, lowerMask, upperMask, sign, eye].forEach((t) => t.dispose()),
  };
}

/**
 * LU decomposition with partial pivoting of a c×c matrix (row-major): A = P L U with P the
 * permutation matrix P[perm[i], i] = 1, L unit lower triangular (strict part returned), U upper
 * triangular split into its strict part and diagonal.
 */
function luDecompose(a: Float64Array, c: number): { perm: Int32Array; lower: Float64Array; upper: Float64Array; diag: Float64Array } {
  const m = Float64Array.from(a);
  const perm = Int32Array.from({ length: c }, (_, i) => i);
  for (let k = 0; k < c; k++) {
    let p = k;
    for (let i = k + 1; i < c; i++) if (Math.abs(m[i * c + k]) > Math.abs(m[p * c + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < c; j++) [m[k * c + j], m[p * c + j]] = [m[p * c + j], m[k * c + j]];
      [perm[k], perm[p]] = [perm[p], perm[k]];
    }
    for (let i = k + 1; i < c; i++) {
      m[i * c + k] /= m[k * c + k];
      for (let j = k + 1; j < c; j++) m[i * c + j] -= m[i * c + k] * m[k * c + j];
    }
  }
  const lower = new Float64Array(c * c);
  const upper = new Float64Array(c * c);
  const diag = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    diag[i] = m[i * c + i];
    for (let j = 0; j < c; j++) {
      if (j < i) lower[i * c + j] = m[i * c + j];
      else if (j > i) upper[i * c + j] = m[i * c + j];
    }
  }
  return { perm, lower, upper, diag };
}

/**
 * Glow's squeeze: the permutation of an image [h, w, c] (h, w even) into [h/2, w/2, 4c], output
 * channel (2·di + dj)·c + k at (i, j) holding input (2i + di, 2j + dj, k). Returns the
 * permutation bijector and the new image shape.
 */
export function squeeze(shape: ImageShape): { bijector: Bijector; shape: ImageShape } {
  const dim = checkImage(shape);
  const [h, w, c] = shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new ArgumentError('shape', 'an image with even height and width', `[${shape.join(', ')}]`);
  const perm = new Int32Array(dim);
  const [h2, w2, c4] = [h / 2, w / 2, 4 * c];
  for (let i = 0; i < h2; i++)
    for (let j = 0; j < w2; j++)
      for (let di = 0; di < 2; di++)
        for (let dj = 0; dj < 2; dj++)
          for (let k = 0; k < c; k++) perm[(i * w2 + j) * c4 + (2 * di + dj) * c + k] = ((2 * i + di) * w + (2 * j + dj)) * c + k;
  return { bijector: permutation(dim, perm, 'squeeze'), shape: [h2, w2, c4] };
}
