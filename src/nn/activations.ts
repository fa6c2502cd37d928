/**
 * Pointwise activation functions of the dense networks, by name, each with its derivative
 * for the hand-written backward pass of the fast dense layer (./dense.ts).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';

/** The activation functions an MLP accepts. */
export type Activation = 'silu' | 'tanh' | 'relu' | 'softplus' | 'gelu' | 'elu' | 'leakyRelu';

/** One activation: h = act(u), and du = dy ⊙ act′(u) from what the forward pass kept. */
interface ActivationImpl {
  /** h = act(u) with differentiable ops (any order of gradient). */
  apply(u: tf.Tensor): tf.Tensor;
  /** h = act(u) and the tensors {@link backward} needs. */
  forward(u: tf.Tensor): { h: tf.Tensor; saved: tf.Tensor[] };
  /** dy ⊙ act′(u), given the tensors kept by {@link forward}. */
  backward(dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor;
}

const LEAK = 0.01;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Φ(u) = ½(1 + erf(u/√2)), the standard normal CDF. */
const normalCdf = (u: tf.Tensor): tf.Tensor => tf.mul(0.5, tf.add(1, tf.erf(tf.mul(u, Math.SQRT1_2))));

const IMPLS: Record<Activation, ActivationImpl> = {
  // silu(u) = u σ(u);  silu′(u) = σ(u)(1 + u(1 − σ(u))) = σ + h(1 − σ) with h = u σ(u).
  silu: {
    apply: (u) => tf.mul(u, tf.sigmoid(u)),
    forward(u) {
      const s = tf.sigmoid(u);
      const h = tf.mul(u, s);
      return { h, saved: [s, h] };
    },
    backward: (dy, [s, h]) => tf.mul(dy, tf.add(s, tf.sub(h, tf.mul(h, s)))),
  },
  // tanh′(u) = 1 − tanh²(u).
  tanh: {
    apply: (u) => tf.tanh(u),
    forward(u) {
      const h = tf.tanh(u);
      return { h, saved: [h] };
    },
    backward: (dy, [h]) => tf.mul(dy, tf.sub(1, tf.square(h))),
  },
  // relu′(u) = 1 for u > 0, else 0 (0 at u = 0, as PyTorch).
  relu: {
    apply: (u) => tf.relu(u),
    forward(u) {
      const h = tf.relu(u);
      return { h, saved: [h] };
    },
    backward: (dy, [h]) => tf.mul(dy, tf.step(h)),
  },
  // softplus(u) = log(1 + eᵘ);  softplus′(u) = σ(u).
  softplus: {
    apply: (u) => tf.softplus(u),
    forward: (u) => ({ h: tf.softplus(u), saved: [u] }),
    backward: (dy, [u]) => tf.mul(dy, tf.sigmoid(u)),
  },
  // gelu(u) = u Φ(u);  gelu′(u) = Φ(u) + u φ(u).
  gelu: {
    apply: (u) => tf.mul(u, normalCdf(u)),
    forward: (u) => ({ h: tf.mul(u, normalCdf(u)), saved: [u] }),
    backward: (dy, [u]) => tf.mul(dy, tf.add(normalCdf(u), tf.mul(u, tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(u))))))),
  },
  // elu(u) = u for u > 0, else eᵘ − 1;  elu′(u) = 1 for u > 0, else eᵘ = h + 1.
  elu: {
    apply: (u) => tf.elu(u),
    forward(u) {
      const h = tf.elu(u);
      return { h, saved: [u, h] };
    },
    backward: (dy, [u, h]) => tf.mul(dy, tf.where(tf.greater(u, 0), tf.onesLike(u), tf.add(h, 1))),
  },
  // leakyRelu(u) = max(u, 0.01 u);  derivative 1 for u > 0, else 0.01.
  leakyRelu: {
    apply: (u) => tf.leakyRelu(u, LEAK),
    forward: (u) => ({ h: tf.leakyRelu(u, LEAK), saved: [u] }),
    backward: (dy, [u]) => tf.mul(dy, tf.add(LEAK, tf.mul(1 - LEAK, tf.step(u)))),
  },
};

/** Every {@link Activation} name, for validation and listings. */
export const ACTIVATIONS = Object.keys(IMPLS) as readonly Activation[];

/**
 * Applies an activation elementwise with differentiable TensorFlow.js ops (any order of
 * gradient): silu(u) = u·σ(u) (Elfwing et al. 2018), tanh, relu(u) = max(u, 0),
 * softplus(u) = log(1 + eᵘ), gelu(u) = u·Φ(u) = ½u(1 + erf(u/√2)) (exact form, as PyTorch's
 * default; Hendrycks & Gimpel 2016), elu(u) = u for u > 0 else eᵘ − 1, leakyRelu(u) =
 * max(u, 0.01u) (PyTorch's default slope).
 */
export function activate<T extends tf.Tensor>(u: T, activation: Activation): T {
  return IMPLS[activation].apply(u) as T;
}

/** The forward/backward pair of an activation, for hand-written backward passes. */
export function activationImpl(activation: Activation): ActivationImpl {
  return IMPLS[activation];
}

/** Throws an {@link ArgumentError} unless `name` is an {@link Activation}. */
export function checkActivation(name: unknown): asserts name is Activation {
  if (!(ACTIVATIONS as readonly unknown[]).includes(name)) {
    throw new ArgumentError('activation', `one of ${ACTIVATIONS.join(', ')}`, name);
  }
}
