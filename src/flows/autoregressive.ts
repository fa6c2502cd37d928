/**
 * Autoregressive affine flows with a MADE conditioner: the masked autoregressive flow (MAF;
 * Papamakarios, Pavlakou & Murray, NeurIPS 2017) and the inverse autoregressive flow (IAF;
 * Kingma et al., NeurIPS 2016). Both are the affine autoregressive map between z and x
 *
 *   MAF:  x_i = z_i exp(s_i(x_<i)) + m_i(x_<i)      IAF:  x_i = z_i exp(s_i(z_<i)) + m_i(z_<i)
 *
 * with (m, s) from one MADE pass and a tanh-bounded log-scale s = tanh(·); log |det ∂x/∂z| = Σ_i s_i.
 * The MAF density direction x → z is one pass, its sampling direction d passes; IAF is the
 * reverse. A d-pass direction iterates v ← F(v) from v = 0: after pass k the first k coordinates
 * are exact, so d passes give the exact inverse, and since ∂F is strictly triangular (nilpotent)
 * autodiff through the unrolled passes gives the exact gradient.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { checkPositiveInt } from '../core/errors.js';
import type { Key } from '../core/random.js';
import { checkBatch, type Bijector } from './bijector.js';
import { made, type MadeOptions } from './made.js';

/** Options of {@link maf} and {@link iaf}. */
export type AutoregressiveOptions = MadeOptions;

function autoregressive(key: Key, dim: number, kind: 'maf' | 'iaf', opts: AutoregressiveOptions): Bijector {
  checkPositiveInt('dim', dim);
  const net = made(key, dim, 2, { finalScale: 0, ...opts, name: opts.name ?? kind });
  /** (m, s) of the conditioner at v. */
  const params = (v: tf.Tensor2D) => {
    const [m, raw] = tf.split(net.apply(v), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { m, s: tf.tanh(raw) };
  };
  /** z → x given the conditioner input (x itself for MAF: iterate; z for IAF: one pass). */
  const toX = (z: tf.Tensor2D, c: { m: tf.Tensor2D; s: tf.Tensor }) => tf.add(tf.mul(z, tf.exp(c.s)), c.m) as tf.Tensor2D;
  const toZ = (x: tf.Tensor2D, c: { m: tf.Tensor2D; s: tf.Tensor }) => tf.mul(tf.sub(x, c.m), tf.exp(tf.neg(c.s))) as tf.Tensor2D;
  /** One pass when the conditioner reads the input, d passes when it reads the output. */
  const map = (u: tf.Tensor2D, f: typeof toX, onePass: boolean, sign: number) =>
    tf.tidy(() => {
      let out = onePass ? u : tf.zerosLike(u);
      let c = params(out);
      for (let k = 0; k < (onePass ? 1 : dim); k++) {
        if (k > 0) c = params(out);
        out = f(u, c);
      }
      return { y: out, logDet: tf.mul(sign, tf.sum(c.s, 1)) as tf.Tensor1D };
    });
  return {
    name: kind,
    dim,
    params: net.params,
    forwardAndLogDet: (z) => (checkBatch('x', z, dim), map(z, toX, kind === 'iaf', 1)),
    inverseAndLogDet: (x) => (checkBatch('y', x, dim), map(x, toZ, kind === 'maf', -1)),
    dispose: () => net.dispose(),
  };
}

/** A masked autoregressive flow layer (one-pass density direction). */
export function maf(key: Key, dim: number, opts: AutoregressiveOptions = {}): Bijector {
  return autoregressive(key, dim, 'maf', opts);
}

/** An inverse autoregressive flow layer (one-pass sampling direction). */
export function iaf(key: Key, dim: number, opts: AutoregressiveOptions = {}): Bijector {
  return autoregressive(key, dim, 'iaf', opts);
}
