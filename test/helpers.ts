/** Small numeric helpers shared by the test files (not a test file itself). */
import assert from 'node:assert/strict';
import { tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { dense, mlp, type MLP } from '../src/nn/index.js';

/** Largest |a − b| relative to the largest |b| (both flattened). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

/** Mean and standard error of the mean of the values f(i), i < n. */
export function meanSe(n: number, f: (i: number) => number): [number, number] {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    s += v;
    s2 += v * v;
  }
  const m = s / n;
  return [m, Math.sqrt(Math.max(s2 / n - m * m, 0) / n)];
}

/** The kernels TensorFlow.js runs for `f`, as `name[inputShapes]`. */
export async function kernelsRun(f: () => tf.Tensor): Promise<string[]> {
  return (await tf.profile(() => tf.tidy(f))).kernels.map((k) => `${k.name}${JSON.stringify(k.inputShapes)}`);
}

/**
 * A 3-16-2 SiLU MLP applied layer by layer with `dense` (mlp.apply runs small networks as one
 * fused op, tested in nn-fused.test.ts), an input x [8, 3], and the kernels of one gradient
 * with respect to all parameters.
 */
export async function perLayerMlp(): Promise<{ net: MLP; x: tf.Tensor2D; perLayer: (z: tf.Tensor2D) => tf.Tensor2D; full: string[] }> {
  const net = mlp(random.key(2), [3, 16, 2]);
  const x = tf.randomUniform([8, 3], -1, 1, 'float32', 7) as tf.Tensor2D;
  const [W1, b1, W2, b2] = net.params as unknown as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
  const perLayer = (z: tf.Tensor2D) => dense(dense(z, W1, b1, 'silu'), W2, b2);
  const full = await kernelsRun(() => tf.addN(Object.values(tf.variableGrads(() => tf.sum(perLayer(x)) as tf.Scalar, net.params).grads).map((g) => tf.sum(g))));
  return { net, x, perLayer, full };
}
