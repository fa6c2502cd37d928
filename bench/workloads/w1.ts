/**
 * W1 (WORKLOADS.md): one flow-matching training step on the 2-D checkerboard, batch 4096.
 * Velocity network MLP(3, 256, 256, 256, 2) with SiLU (133,122 parameters) on concat(x_t, t);
 * linear interpolant x_t = (1 − t) x0 + t x1 with x0 ~ N(0, I₂), x1 ~ checkerboard,
 * t ~ U(0, 1); loss = mean over the 2n entries of (v − (x1 − x0))²; Adam, lr 1e-3. Everything
 * random is drawn inside the call from the workload's key folded with the call index.
 */
import { tf, ready } from '../../src/core/backend.js';
import { fold, key, normal, split, uniform } from '../../src/core/random.js';
import { sampleCheckerboard } from '../../src/targets/toy2d.js';
import { adam, mlp } from '../../src/nn/index.js';
import type { Workload } from '../workload.js';

const n = 4096;

const w1: Workload = {
  id: 'W1',
  title: 'flow matching, MLP 3-256-256-256-2 SiLU, batch 4096, Adam step',
  async setup() {
    await ready();
    const [kInit, kData] = split(key(1), 2);
    const net = mlp(kInit, [3, 256, 256, 256, 2], { activation: 'silu', name: 'w1' });
    const opt = adam(net.params, { lr: 1e-3 });
    const input = new Float32Array(3 * n);
    const target = new Float32Array(2 * n);
    let calls = 0;
    let loss = NaN;
    return {
      call() {
        const [k1, k0, kt] = split(fold(kData, calls++), 3);
        const x1 = sampleCheckerboard(k1, n);
        const x0 = normal(k0, 2 * n);
        const t = uniform(kt, n);
        for (let i = 0; i < n; i++) {
          const ti = t[i];
          for (let j = 0; j < 2; j++) {
            const a = x0[2 * i + j];
            const b = x1[2 * i + j];
            input[3 * i + j] = (1 - ti) * a + ti * b;
            target[2 * i + j] = b - a;
          }
          input[3 * i + 2] = ti;
        }
        const xt = tf.tensor2d(input, [n, 3]);
        const y = tf.tensor2d(target, [n, 2]);
        loss = opt.step(() => tf.mean(tf.squaredDifference(net.apply(xt), y)) as tf.Scalar);
        xt.dispose();
        y.dispose();
      },
      sanity: () => ({ loss }),
      dispose() {
        opt.dispose();
        net.dispose();
      },
    };
  },
};

export default w1;
