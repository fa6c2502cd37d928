/**
 * One arithmetic over two kinds of numbers: plain JavaScript numbers and TensorFlow.js tensors.
 * Interpolant coefficients are written once against {@link Arith} and evaluated on either, so
 * the same formula serves fast scalar code (samplers, exact drifts) and differentiable tensor
 * code (losses, autodiff checks of the time derivatives).
 *
 * @module
 */
import { tf } from '../core/backend.js';

/** Elementwise arithmetic on values of type `T`; arguments may also be plain numbers (broadcast). */
export interface Arith<T> {
  /** A value shaped like `like`, filled with `v` (constants must keep the shape of t). */
  fill(like: T, v: number): T;
  add(a: T | number, b: T | number): T;
  sub(a: T | number, b: T | number): T;
  mul(a: T | number, b: T | number): T;
  div(a: T | number, b: T | number): T;
  sqrt(a: T): T;
  sin(a: T): T;
  cos(a: T): T;
  /** Heaviside step: 1 where a > 0, else 0 (derivative 0). */
  step(a: T): T;
}

/** {@link Arith} on JavaScript numbers. */
export const numbers: Arith<number> = {
  fill: (_like, v) => v,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  step: (a) => (a > 0 ? 1 : 0),
};

/** {@link Arith} on TensorFlow.js tensors (callers own the results; wrap in `tf.tidy`). */
export const tensors: Arith<tf.Tensor> = {
  fill: (like, v) => tf.fill(like.shape, v),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  sqrt: (a) => tf.sqrt(a),
  sin: (a) => tf.sin(a),
  cos: (a) => tf.cos(a),
  step: (a) => tf.step(a, 0),
};
