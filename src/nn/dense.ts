/**
 * One dense layer y = act(x W + b).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { type Activation, activate } from './activations.js';

/**
 * y = act(x W + b) for x [n, nIn], W [nIn, nOut], b [nOut]; no activation when `activation`
 * is undefined. Differentiable to any order w.r.t. x, W and b.
 */
export function dense(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D, activation?: Activation): tf.Tensor2D {
  const u = tf.add(tf.matMul(x, W), b) as tf.Tensor2D;
  return activation === undefined ? u : activate(u, activation);
}
