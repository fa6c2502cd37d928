/**
 * Pointwise activation functions of the dense networks, by name.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';

/** The activation functions an {@link MLP} accepts. */
export type Activation = 'silu' | 'tanh' | 'relu' | 'softplus' | 'gelu' | 'elu' | 'leakyRelu';

/** Every {@link Activation} name, for validation and listings. */
export const ACTIVATIONS: readonly Activation[] = ['silu', 'tanh', 'relu', 'softplus', 'gelu', 'elu', 'leakyRelu'];

/**
 * Applies an activation elementwise with differentiable TensorFlow.js ops (any order of
 * gradient): silu(u) = u·σ(u) (Elfwing et al. 2018), tanh, relu(u) = max(u, 0),
 * softplus(u) = log(1 + eᵘ), gelu(u) = u·Φ(u) = ½u(1 + erf(u/√2)) (exact form, as PyTorch's
 * default; Hendrycks & Gimpel 2016), elu(u) = u for u > 0 else eᵘ − 1, leakyRelu(u) = max(u, 0.01u)
 * (PyTorch's default slope).
 */
export function activate<T extends tf.Tensor>(u: T, activation: Activation): T {
  switch (activation) {
    case 'silu':
      return tf.mul(u, tf.sigmoid(u));
    case 'tanh':
      return tf.tanh(u);
    case 'relu':
      return tf.relu(u);
    case 'softplus':
      return tf.softplus(u);
    case 'gelu':
      return tf.mul(tf.mul(u, 0.5), tf.add(1, tf.erf(tf.mul(u, Math.SQRT1_2))));
    case 'elu':
      return tf.elu(u);
    case 'leakyRelu':
      return tf.leakyRelu(u, 0.01);
  }
}

/** Throws an {@link ArgumentError} unless `name` is an {@link Activation}. */
export function checkActivation(name: unknown): asserts name is Activation {
  if (!(ACTIVATIONS as readonly unknown[]).includes(name)) {
    throw new ArgumentError('activation', `one of ${ACTIVATIONS.join(', ')}`, name);
  }
}
