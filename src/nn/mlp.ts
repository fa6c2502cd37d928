/**
 * Multilayer perceptrons: the networks every generative model of transportlab trains. Small
 * networks run as one fused op with a one-pass backward (./fusedMlp.ts) where that was
 * measured to win and at most first-order gradients are taken; otherwise their layers are the
 * fast dense layer of ./dense.ts (plain products and a hand-written backward pass on wasm, any
 * order of gradient).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import { type Key, split, uniform } from '../core/random.js';
import { type Activation, checkActivation } from './activations.js';
import { dense } from './dense.js';
import { fusedMlp, fusedMlpApplies } from './fusedMlp.js';
import { uniqueVariableName } from './params.js';

export type { Activation } from './activations.js';

/** A multilayer perceptron h ← act(h W + b) with trainable weights. */
export interface MLP {
  /** Layer widths [n0, n1, ..., nk]. */
  readonly sizes: number[];
  /** Trainable variables W1, b1, ..., Wk, bk (W_i of shape [n_{i−1}, n_i], b_i of shape [n_i]). */
  readonly params: tf.Variable[];
  /**
   * [n, n0] → [n, nk]; the activation follows every layer but the last. One fused op when
   * `fusedMlpApplies(sizes, n)` (./fusedMlp.ts), else one dense layer per layer.
   */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** Frees the variables. */
  dispose(): void;
}

/**
 * A multilayer perceptron with `sizes.length − 1` dense layers h ← h W_i + b_i and the
 * activation after every layer but the last.
 *
 * Weights and biases are drawn from an explicit key, like PyTorch's `nn.Linear` default:
 * W_i, b_i ~ U(−1/√n_{i−1}, 1/√n_{i−1}). `finalScale` multiplies the last layer's weights and
 * bias (0 gives a zero output at initialisation, e.g. identity-initialised coupling layers).
 *
 * @param key the random key of the initialisation.
 * @param sizes the layer widths [n0, ..., nk], k ≥ 1.
 * @param opts.activation default `'silu'`.
 * @param opts.finalScale default 1.
 * @param opts.name prefix of the variable names (default `'mlp'`): `${name}.W1`, `${name}.b1`, ...
 */
export function mlp(key: Key, sizes: number[], opts: { activation?: Activation; finalScale?: number; name?: string } = {}): MLP {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new ArgumentError('sizes', 'an array of at least 2 layer widths', sizes);
  sizes.forEach((s, i) => checkPositiveInt(`sizes[${i}]`, s));
  const activation = opts.activation ?? 'silu';
  checkActivation(activation);
  const finalScale = opts.finalScale ?? 1;
  if (!Number.isFinite(finalScale)) throw new ArgumentError('finalScale', 'a finite number', finalScale);
  const name = opts.name ?? 'mlp';
  if (typeof name !== 'string' || name === '') throw new ArgumentError('name', 'a non-empty string', name);

  const k = sizes.length - 1;
  const keys = split(key, 2 * k);
  const draw = (kk: Key, n: number, bound: number, scale: number): Float32Array => {
    const v = uniform(kk, n, -bound, bound);
    if (scale !== 1) for (let j = 0; j < n; j++) v[j] *= scale;
    return v;
  };
  const params: tf.Variable[] = [];
  // A variable keeps its initial tensor's data; tidy releases the initial tensors (never variables).
  tf.tidy(() => {
    for (let i = 0; i < k; i++) {
      const [nIn, nOut] = [sizes[i], sizes[i + 1]];
      const bound = 1 / Math.sqrt(nIn);
      const scale = i === k - 1 ? finalScale : 1;
      const W = tf.tensor2d(draw(keys[2 * i], nIn * nOut, bound, scale), [nIn, nOut]);
      params.push(tf.variable(W, true, uniqueVariableName(`${name}.W${i + 1}`)));
      params.push(tf.variable(tf.tensor1d(draw(keys[2 * i + 1], nOut, bound, scale)), true, uniqueVariableName(`${name}.b${i + 1}`)));
    }
  });
  return {
    sizes: [...sizes],
    params,
    apply(x: tf.Tensor2D): tf.Tensor2D {
      if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== sizes[0] || x.dtype !== 'float32') {
        throw new ArgumentError('x', `a float32 tensor of shape [n, ${sizes[0]}]`, x instanceof tf.Tensor ? `${x.dtype} tensor of shape [${x.shape}]` : x);
      }
      if (fusedMlpApplies(sizes, x.shape[0])) return fusedMlp(x, params, activation);
      return tf.tidy(() => {
        let h = x;
        for (let i = 0; i < k; i++) {
          h = dense(h, params[2 * i] as tf.Variable<tf.Rank.R2>, params[2 * i + 1] as tf.Variable<tf.Rank.R1>, i < k - 1 ? activation : undefined);
        }
        return h;
      });
    },
    dispose(): void {
      for (const p of params) p.dispose();
    },
  };
}
