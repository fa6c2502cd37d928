/**
 * MADE: masked autoencoder for distribution estimation (Germain, Gregor, Murray & Larochelle,
 * ICML 2015), the conditioner of MAF and IAF. Dense layers h ← act(h (W ⊙ M) + b) whose 0/1
 * masks M give output block j (one block of `outputsPerInput` units per input coordinate) a
 * dependence on inputs 1..j−1 only (degrees in the natural order):
 *
 *   input degree m(i) = i (1..d), hidden degrees cycle through 1..max(1, d−1),
 *   M_in→hidden[i, u] = [m(u) ≥ m(i)],  M_hidden→hidden[u, v] = [m(v) ≥ m(u)],
 *   M_hidden→out[u, (j, r)] = [j > m(u)].
 *
 * Output layout: [n, outputsPerInput · d], block r holding the r-th parameter of every coordinate.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import { split, uniform, type Key } from '../core/random.js';
import { checkActivation, type Activation } from '../nn/activations.js';
import { dense } from '../nn/dense.js';
import { valueVariable } from './bijector.js';
import type { Conditioner } from './coupling.js';

/** Options of {@link made}. */
export interface MadeOptions {
  /** Hidden widths (default [64, 64]). */
  hidden?: number[];
  /** Activation (default `'silu'`). */
  activation?: Activation;
  /** Scale of the last layer's initial weights and biases (default 1; 0 starts at a zero output). */
  finalScale?: number;
  /** Prefix of the variable names (default `made`). */
  name?: string;
}

/** A MADE network R^dim → R^(outputsPerInput·dim), autoregressive in the natural order. */
export function made(key: Key, dim: number, outputsPerInput: number, opts: MadeOptions = {}): Conditioner {
  checkPositiveInt('dim', dim);
  checkPositiveInt('outputsPerInput', outputsPerInput);
  const hidden = opts.hidden ?? [64, 64];
  hidden.forEach((h, i) => checkPositiveInt(`hidden[${i}]`, h));
  const activation = opts.activation ?? 'silu';
  checkActivation(activation);
  const finalScale = opts.finalScale ?? 1;
  if (!Number.isFinite(finalScale)) throw new ArgumentError('finalScale', 'a finite number', finalScale);
  const name = opts.name ?? 'made';

  const inDeg = Array.from({ length: dim }, (_, i) => i + 1);
  const maxHidden = Math.max(1, dim - 1);
  const degrees = [inDeg, ...hidden.map((h) => Array.from({ length: h }, (_, u) => (u % maxHidden) + 1))];
  const outDeg = Array.from({ length: outputsPerInput * dim }, (_, o) => (o % dim) + 1);
  const sizes = [dim, ...hidden, outputsPerInput * dim];
  const keys = split(key, 2 * (sizes.length - 1));
  const params: tf.Variable[] = [];
  const masks: tf.Tensor2D[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const [nIn, nOut] = [sizes[l], sizes[l + 1]];
    const last = l === sizes.length - 2;
    const m = new Float32Array(nIn * nOut);
    for (let i = 0; i < nIn; i++) {
      for (let o = 0; o < nOut; o++) m[i * nOut + o] = last ? Number(outDeg[o] > degrees[l][i]) : Number(degrees[l + 1][o] >= degrees[l][i]);
    }
    masks.push(tf.tensor2d(m, [nIn, nOut]));
    const bound = (last ? finalScale : 1) / Math.sqrt(nIn);
    const draw = (k: Key, n: number) => (bound === 0 ? new Float32Array(n) : uniform(k, n, -Math.abs(bound), Math.abs(bound)));
    params.push(valueVariable(`${name}.W${l + 1}`, draw(keys[2 * l], nIn * nOut), [nIn, nOut]));
    params.push(valueVariable(`${name}.b${l + 1}`, draw(keys[2 * l + 1], nOut), [nOut]));
  }
  return {
    params,
    apply(x: tf.Tensor2D): tf.Tensor2D {
      return tf.tidy(() => {
        let h = x;
        for (let l = 0; l < masks.length; l++) {
          const W = tf.mul(params[2 * l], masks[l]) as tf.Tensor2D;
          h = dense(h, W, params[2 * l + 1] as tf.Tensor1D, l < masks.length - 1 ? activation : undefined);
        }
        return h;
      });
    },
    dispose() {
      params.forEach((p) => p.dispose());
      masks.forEach((m) => m.dispose());
    },
  };
}
