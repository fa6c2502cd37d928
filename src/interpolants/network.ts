/**
 * Time-dependent networks for velocities, scores, denoisers and flow maps: an MLP on
 * [x, t_1, ..., t_k, (sinusoidal features of each t_i), cond] → R^d.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkNonNegativeInt, checkPositiveInt } from '../core/errors.js';
import type { Key } from '../core/random.js';
import { mlp, type Activation } from '../nn/mlp.js';
import { timeEmbedding } from '../nn/embedding.js';
import { checkBatch } from './checks.js';
import type { Field } from './ode.js';

/** Options of {@link timeNet}. */
export interface TimeNetOptions {
  /** Hidden layer widths (default [128, 128, 128]). */
  hidden?: number[];
  /** Number of time inputs k (default 1; 2 for a two-time flow map X_{s,t}). */
  times?: number;
  /** Sinusoidal features per time input ({@link timeEmbedding}; default 0: the raw times only, as in torchcfm's MLP). */
  embedding?: number;
  /** Width of a conditioning input (default 0). */
  condDim?: number;
  /** Default `'silu'`. */
  activation?: Activation;
  /** Scale of the last layer at initialisation (default 1). */
  finalScale?: number;
  /** Variable-name prefix (default `'field'`). */
  name?: string;
}

/** A network f(t, x, cond) → [n, d] with trainable parameters. */
export interface TimeNet {
  readonly dim: number;
  readonly times: number;
  readonly condDim: number;
  readonly params: tf.Variable[];
  /** t [n, times], x [n, dim], cond [n, condDim] (when condDim > 0) → [n, dim]. */
  apply(t: tf.Tensor2D, x: tf.Tensor2D, cond?: tf.Tensor2D): tf.Tensor2D;
  /** The network as a {@link Field} (t shared by the batch; one time input), optionally with a fixed condition. */
  field(cond?: tf.Tensor2D): Field;
  dispose(): void;
}

/** A time-dependent MLP (see {@link TimeNetOptions}); weights drawn from `key`. */
export function timeNet(key: Key, dim: number, opts: TimeNetOptions = {}): TimeNet {
  checkPositiveInt('dim', dim);
  const { hidden = [128, 128, 128], times = 1, embedding = 0, condDim = 0 } = opts;
  checkPositiveInt('times', times);
  checkNonNegativeInt('embedding', embedding);
  checkNonNegativeInt('condDim', condDim);
  const net = mlp(key, [dim + times * (1 + embedding) + condDim, ...hidden, dim], {
    activation: opts.activation,
    finalScale: opts.finalScale,
    name: opts.name ?? 'field',
  });
  function apply(t: tf.Tensor2D, x: tf.Tensor2D, cond?: tf.Tensor2D): tf.Tensor2D {
    checkBatch('x', x, undefined, dim);
    const n = x.shape[0];
    checkBatch('t', t, n, times);
    if (condDim > 0) checkBatch('cond', cond, n, condDim);
    else if (cond !== undefined) throw new ArgumentError('cond', 'undefined (the network has no conditioning input)', 'a tensor');
    return tf.tidy(() => {
      const parts: tf.Tensor2D[] = [x, t];
      if (embedding > 0) {
        for (let i = 0; i < times; i++) parts.push(timeEmbedding(tf.slice(t, [0, i], [n, 1]), embedding));
      }
      if (cond) parts.push(cond);
      return net.apply(tf.concat(parts, 1) as tf.Tensor2D);
    });
  }
  return {
    dim,
    times,
    condDim,
    params: net.params,
    apply,
    field(cond) {
      if (times !== 1) throw new ArgumentError('times', 'a network with one time input for field()', times);
      return (t, x) => tf.tidy(() => apply(tf.fill([x.shape[0], 1], t) as tf.Tensor2D, x, cond));
    },
    dispose: () => net.dispose(),
  };
}
