/**
 * Time embeddings for time-dependent networks (velocity fields, scores, drifts).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';

/**
 * Sinusoidal features of times t ∈ [0, 1], the transformer position encoding (Vaswani et al.
 * 2017) as DDPM uses it for time (Ho et al. 2020, with t scaled to [0, 1000]): with h = dim/2,
 *
 *     ω_k = 1000 · 10000^(−k/(h − 1)),  k = 0 … h − 1   (ω_0 = 1000 when h = 1),
 *     emb(t) = [sin(ω_0 t), …, sin(ω_{h−1} t), cos(ω_0 t), …, cos(ω_{h−1} t)].
 *
 * The frequencies range from 1000 down to 0.1 rad per unit time, so the features resolve both
 * fine and coarse differences of t.
 * @param t times, shape [n, 1].
 * @param dim the number of features, an even positive integer.
 * @returns [n, dim].
 */
export function timeEmbedding(t: tf.Tensor2D, dim: number): tf.Tensor2D {
  checkPositiveInt('dim', dim);
  if (dim % 2 !== 0) throw new ArgumentError('dim', 'an even positive integer', dim);
  if (!(t instanceof tf.Tensor) || t.rank !== 2 || t.shape[1] !== 1) {
    throw new ArgumentError('t', 'a tensor of shape [n, 1]', t instanceof tf.Tensor ? `shape [${t.shape}]` : t);
  }
  const half = dim / 2;
  const freqs = new Float32Array(half);
  for (let k = 0; k < half; k++) freqs[k] = 1000 * 10000 ** (-k / Math.max(half - 1, 1));
  return tf.tidy(() => {
    const arg = tf.mul(t, tf.tensor2d(freqs, [1, half]));
    return tf.concat([tf.sin(arg), tf.cos(arg)], 1) as tf.Tensor2D;
  });
}
